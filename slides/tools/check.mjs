// The browser check: opens every deck (the "bare" rendering of build.mjs,
// every slide on one page) in headless Chromium and fails on
//  - a resource that does not load (a missing image or plot),
//  - a slide whose content overflows the slide (vertically or sideways),
//  - a stale snippet (checked again here, from the sources),
//  - text drawn in a font that is not one of the course's (tools/fonts.mjs),
//  - a bench plot whose smallest text is shown below MIN_PLOT_TEXT_PX on the
//    1280x720 slide (a plot must be an SVG, whose font sizes can be read),
// and captures, per deck, an overview PNG (every slide as a thumbnail), the
// first diagram slide and every slide with a bench plot or table at full size,
// into OUT/png for review.
//
//   node tools/check.mjs [--out DIR] [--decks DIR]   (run tools/build.mjs first)
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { checkSnippets, listDecks, handoutRoot } from './snippets.mjs';
import { fontEnv, SANS, MONO } from './fonts.mjs';

// The slide's small text is 0.72 x 26 px, about 18.7 px: a plot's axis labels,
// tick labels and legend must not be smaller on the 1280x720 slide.
const MIN_PLOT_TEXT_PX = 18;

const slidesDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const root = path.resolve(slidesDir, '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, 'build', 'slides'));
const pngDir = path.join(out, 'png');
const decksIndex = args.indexOf('--decks');
const decksDir = path.resolve(decksIndex >= 0 ? args[decksIndex + 1] : slidesDir);
const browserPath = process.env.CHROME_PATH ||
  ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));

const problems = checkSnippets({ root, decks: listDecks(decksDir) });
if (!browserPath) problems.push('no Chromium found (apt-get install chromium, or set CHROME_PATH)');
const decks = listDecks(decksDir).map((d) => path.basename(d, '.md'));
for (const d of decks) {
  if (!fs.existsSync(path.join(out, 'check', `${d}.html`)))
    problems.push(`${d}: ${path.join(out, 'check', `${d}.html`)} is missing (run tools/build.mjs first)`);
}
if (!browserPath || problems.some((p) => p.includes('is missing (run tools/build.mjs'))) {
  for (const p of problems) console.error(`check: ${p}`);
  process.exit(1);
}

// The smallest font size in an SVG and the width it is drawn for (its user
// units): the plot's text is shown at minFont x (shown width / width).
function svgTextSize(file) {
  const svg = fs.readFileSync(file, 'utf8');
  const root = svg.match(/<svg\b[^>]*>/)?.[0] || '';
  const viewBox = root.match(/viewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)/);
  const width = viewBox ? Number(viewBox[1]) : Number((root.match(/\bwidth\s*=\s*["']([\d.]+)/) || [])[1]);
  const sizes = [...svg.matchAll(/font-size\s*[=:]\s*["']?\s*([\d.]+)/g)].map((m) => Number(m[1]));
  return { width, minFont: sizes.length ? Math.min(...sizes) : undefined };
}

let env;
try {
  env = fontEnv(out);
} catch (e) {
  console.error(`check: ${e.message}`);
  process.exit(1);
}
fs.rmSync(pngDir, { recursive: true, force: true });
fs.mkdirSync(pngDir, { recursive: true });
const browser = await puppeteer.launch({
  executablePath: browserPath,
  headless: true,
  // Only the course's fonts (FONTCONFIG_FILE): the same verdict on every machine.
  env,
  // As root (CI) Chromium refuses to start with its sandbox.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'],
});
let slidesSeen = 0;
try {
  for (const deck of decks) {
    const page = await browser.newPage();
    const failed = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText})`));
    page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()} (HTTP ${r.status()})`); });
    await page.setViewport({ width: 1280, height: 720 });
    await page.goto(`file://${path.join(out, 'check', `${deck}.html`)}`, { waitUntil: 'load', timeout: 30000 });
    await page.evaluate(() => document.fonts.ready);
    for (const f of failed) problems.push(`${deck}: a resource did not load: ${f}`);

    const report = await page.evaluate(() => {
      const result = { slides: 0, broken: [], overflow: [], plots: [] };
      const sections = [...document.querySelectorAll('svg[data-marpit-svg] > foreignObject > section')];
      result.slides = sections.length;
      sections.forEach((section, i) => {
        const n = i + 1;
        for (const img of section.querySelectorAll('img')) {
          if (!img.complete || img.naturalWidth === 0) result.broken.push(`slide ${n}: image ${img.getAttribute('src')}`);
        }
        const title = (section.querySelector('h1, h2')?.textContent || '').trim().slice(0, 60);
        const tol = 2;
        // Bench plots (build.mjs puts them in plots/): the width they are shown at, in slide pixels.
        const slideScale = section.getBoundingClientRect().width / section.clientWidth;
        for (const img of section.querySelectorAll('img[src^="plots/"]'))
          result.plots.push({ n, title, src: img.getAttribute('src'), shown: img.getBoundingClientRect().width / slideScale });
        if (section.scrollHeight > section.clientHeight + tol)
          result.overflow.push(`slide ${n} "${title}": content is ${section.scrollHeight}px high, the slide ${section.clientHeight}px`);
        if (section.scrollWidth > section.clientWidth + tol)
          result.overflow.push(`slide ${n} "${title}": content is ${section.scrollWidth}px wide, the slide ${section.clientWidth}px`);
        // Marp shrinks a code block that is too wide for the slide to fit it
        // (marp-pre, auto-scaling): below 80 % the code is too small to read
        // from the back of the room, so that counts as overflowing too.
        for (const pre of section.querySelectorAll('marp-pre')) {
          const svg = pre.shadowRoot?.querySelector('marp-auto-scaling')?.shadowRoot?.querySelector('svg');
          const viewBox = svg?.viewBox?.baseVal;
          if (!viewBox || !viewBox.width) continue;
          const shrink = svg.clientWidth / viewBox.width;
          if (shrink < 0.8)
            result.overflow.push(`slide ${n} "${title}": a code block is too wide: shown at ${Math.round(shrink * 100)} % of its size (the limit is 80 %)`);
        }
        // Code and tables clip or scroll inside themselves: check them too.
        for (const el of section.querySelectorAll('pre, marp-pre, table, .columns > *, .columns-wide > *')) {
          if (el.scrollWidth > el.clientWidth + tol || el.scrollHeight > el.clientHeight + tol)
            result.overflow.push(`slide ${n} "${title}": a <${el.tagName.toLowerCase()}> overflows (${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`);
        }
        // Anything drawn below or right of the slide's box.
        const box = section.getBoundingClientRect();
        const scale = box.width / section.clientWidth;
        for (const el of section.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          if (r.bottom > box.bottom + tol * scale || r.right > box.right + tol * scale) {
            result.overflow.push(`slide ${n} "${title}": <${el.tagName.toLowerCase()}> reaches past the slide's edge`);
            break;
          }
        }
      });
      return result;
    });
    slidesSeen += report.slides;
    if (report.slides === 0) problems.push(`${deck}: no slides rendered`);
    for (const b of report.broken) problems.push(`${deck}: missing image: ${b}`);
    for (const o of report.overflow) problems.push(`${deck}: overflow: ${o}`);
    for (const p of report.plots) {
      const where = `${deck}: plot: slide ${p.n} "${p.title}": ${p.src}`;
      if (!p.src.endsWith('.svg')) {
        problems.push(`${where} is not an SVG: its text size cannot be checked (papaya-bench writes an SVG of every plot)`);
        continue;
      }
      const { width, minFont } = svgTextSize(path.join(out, 'check', p.src));
      if (!width || minFont === undefined) {
        problems.push(`${where}: no width or no font-size in the SVG: its text size cannot be checked`);
        continue;
      }
      const shownPx = (minFont * p.shown) / width;
      if (shownPx < MIN_PLOT_TEXT_PX - 0.05)
        problems.push(`${where}: its smallest text is ${shownPx.toFixed(1)} px on the slide (font-size ${minFont} ` +
          `in ${width} units shown ${Math.round(p.shown)} px wide); the minimum is ${MIN_PLOT_TEXT_PX} px`);
    }

    // Every piece of text in the course's fonts: what Chromium actually drew it with.
    const cdp = await page.target().createCDPSession();
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root: docRoot } = await cdp.send('DOM.getDocument', { depth: -1 });
    const strays = new Map();
    for (const tag of ['h1', 'h2', 'h3', 'p', 'li', 'th', 'td', 'code', 'strong', 'em', 'span', 'footer']) {
      const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: docRoot.nodeId, selector: `section ${tag}` });
      for (const nodeId of nodeIds) {
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
        for (const f of fonts) {
          if (f.familyName === SANS || f.familyName === MONO) continue;
          const key = `${f.familyName} (${f.postScriptName})`;
          if (!strays.has(key)) strays.set(key, new Set());
          strays.get(key).add(`<${tag}>`);
        }
      }
    }
    for (const [font, tags] of strays)
      problems.push(`${deck}: font: text in ${[...tags].join(' ')} was drawn with ${font}, not with the course's ${SANS} / ${MONO}`);
    await cdp.detach();

    // Full size: the first slide with a diagram or a plot (else the title
    // slide), and every slide with a bench plot or a bench table.
    const svgs = await page.$$('svg[data-marpit-svg]');
    const picks = await page.evaluate(() => {
      const all = [...document.querySelectorAll('svg[data-marpit-svg]')];
      const first = all.findIndex((s) => s.querySelector('img'));
      const bench = all.map((s, i) => (s.querySelector('img[src^="plots/"], .bench') ? i : -1)).filter((i) => i >= 0);
      return [...new Set([first >= 0 ? first : 0, ...bench])];
    });
    await page.addStyleTag({ content: 'body{margin:0} svg[data-marpit-svg]{display:block;width:1280px;height:720px;margin:0}' });
    for (const pick of picks)
      if (svgs[pick]) await svgs[pick].screenshot({ path: path.join(pngDir, `${deck}-slide${pick + 1}.png`) });

    // The overview: every slide as a thumbnail, four to a row.
    await page.setViewport({ width: 1600, height: 900 });
    await page.addStyleTag({
      content: 'body{margin:0;padding:8px;background:#555;display:grid;grid-template-columns:repeat(4,1fr);gap:8px}' +
        ' svg[data-marpit-svg]{width:100% !important;height:auto !important;display:block;box-shadow:0 0 4px #000}',
    });
    await page.screenshot({ path: path.join(pngDir, `${deck}-overview.png`), fullPage: true });
    await page.close();

    // The deck as handed out (html/, Marp's presentation template) must load
    // every resource as well: its images are copies in another folder.
    const handout = path.join(handoutRoot(out, deck), 'html', `${deck}.html`);
    if (!fs.existsSync(handout)) problems.push(`${deck}: ${handout} is missing`);
    else {
      const view = await browser.newPage();
      const lost = [];
      view.on('requestfailed', (r) => lost.push(`${r.url()} (${r.failure()?.errorText})`));
      view.on('response', (r) => { if (r.status() >= 400) lost.push(`${r.url()} (HTTP ${r.status()})`); });
      await view.goto(`file://${handout}`, { waitUntil: 'load', timeout: 30000 });
      // Every slide's images, not only the first slide's: load them all now.
      const broken = await view.evaluate(async () => {
        const imgs = [...document.querySelectorAll('img')];
        await Promise.all(imgs.map((i) => (i.complete ? null : new Promise((r) => { i.onload = i.onerror = r; }))));
        return imgs.filter((i) => i.naturalWidth === 0).map((i) => i.getAttribute('src'));
      });
      for (const f of lost) problems.push(`${deck}: html/${deck}.html: a resource did not load: ${f}`);
      for (const b of broken) problems.push(`${deck}: html/${deck}.html: missing image ${b}`);
      await view.close();
    }
    console.log(`check: ${deck}: ${report.slides} slides, ${report.plots.length} plot(s), ` +
      `${report.broken.length + report.overflow.length + failed.length} load/overflow problem(s)`);
  }
} finally {
  await browser.close();
}
if (problems.length) {
  for (const p of problems) console.error(`check: ${p}`);
  console.error(`check: FAILED (${problems.length} problem(s)); screenshots in ${pngDir}`);
  process.exit(1);
}
console.log(`check: ${decks.length} decks, ${slidesSeen} slides: no missing image, no overflow, no stale snippet, every text in ${SANS} / ${MONO}, plot text >= ${MIN_PLOT_TEXT_PX} px (${env.FONTCONFIG_FILE ? `fontconfig: ${env.FONTCONFIG_FILE}` : "the machine's own fontconfig"}); PNGs in ${pngDir}`);
