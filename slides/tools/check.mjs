// The browser check: opens every deck (the "bare" rendering of build.mjs,
// every slide on one page) in headless Chromium and fails on
//  - a resource that does not load (a missing image or plot),
//  - a slide whose content overflows the slide (vertically or sideways),
//  - a stale snippet (checked again here, from the sources),
// and captures, per deck, an overview PNG (every slide as a thumbnail) and the
// first diagram slide at full size, into OUT/png for review.
//
//   node tools/check.mjs [--out DIR] [--decks DIR]   (run tools/build.mjs first)
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { checkSnippets, listDecks } from './snippets.mjs';

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

fs.rmSync(pngDir, { recursive: true, force: true });
fs.mkdirSync(pngDir, { recursive: true });
const browser = await puppeteer.launch({
  executablePath: browserPath,
  headless: true,
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
      const result = { slides: 0, broken: [], overflow: [] };
      const sections = [...document.querySelectorAll('svg[data-marpit-svg] > foreignObject > section')];
      result.slides = sections.length;
      sections.forEach((section, i) => {
        const n = i + 1;
        for (const img of section.querySelectorAll('img')) {
          if (!img.complete || img.naturalWidth === 0) result.broken.push(`slide ${n}: image ${img.getAttribute('src')}`);
        }
        const title = (section.querySelector('h1, h2')?.textContent || '').trim().slice(0, 60);
        const tol = 2;
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

    // The first slide with a diagram or a plot (else the title slide), full size.
    const svgs = await page.$$('svg[data-marpit-svg]');
    const pick = await page.evaluate(() => {
      const all = [...document.querySelectorAll('svg[data-marpit-svg]')];
      const i = all.findIndex((s) => s.querySelector('img'));
      return i >= 0 ? i : 0;
    });
    await page.addStyleTag({ content: 'body{margin:0} svg[data-marpit-svg]{display:block;width:1280px;height:720px;margin:0}' });
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
    const handout = path.join(out, 'html', `${deck}.html`);
    if (fs.existsSync(handout)) {
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
    console.log(`check: ${deck}: ${report.slides} slides, ${report.broken.length + report.overflow.length + failed.length} problem(s)`);
  }
} finally {
  await browser.close();
}
if (problems.length) {
  for (const p of problems) console.error(`check: ${p}`);
  console.error(`check: FAILED (${problems.length} problem(s)); screenshots in ${pngDir}`);
  process.exit(1);
}
console.log(`check: ${decks.length} decks, ${slidesSeen} slides: no missing image, no overflow, no stale snippet; PNGs in ${pngDir}`);
