// Builds the decks: checks the snippets, resolves the plot comments, and
// renders every deck with Marp to HTML and PDF, plus a "bare" HTML (every
// slide on one page) for the browser check.
//
//   node tools/build.mjs [--out DIR] [--no-pdf] [--update-snippets] [--serve]
//                        [--decks DIR --allow-stale]   (the check's self-test only)
//
// Plots: a line `<!-- plot: tools/bench/results/.../x.svg -->` becomes the
// image when the file exists (copied next to the deck), and otherwise a note
// that the plot has not been produced in this checkout; the command that
// makes it is written on the slide itself. Nothing is invented.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync, spawn } from 'node:child_process';
import { checkSnippets, listDecks, isReveal, handoutRoot } from './snippets.mjs';
import { fontEnv } from './fonts.mjs';

const slidesDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const root = path.resolve(slidesDir, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const out = path.resolve(option('--out', path.join(root, 'build', 'slides')));
const wantPdf = !args.includes('--no-pdf');
const serve = args.includes('--serve');
const marp = path.join(slidesDir, 'node_modules', '.bin', 'marp');
// The decks: slides/*.md; another folder only for the browser check's self-test.
const decksDir = path.resolve(option('--decks', slidesDir));

export const browserPath = () =>
  process.env.CHROME_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
    .find((p) => fs.existsSync(p));

function fail(message) {
  console.error(`slides: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(marp)) fail(`Marp is not installed: run (cd slides && npm ci)`);

const decks = listDecks(decksDir);
const problems = checkSnippets({ root, decks, update: args.includes('--update-snippets') });
if (problems.length && !args.includes('--allow-stale')) {
  for (const p of problems) console.error(`slides: ${p}`);
  fail(`${problems.length} snippet problem(s): the decks were not built`);
}

// 1. The sources, with plots resolved, in OUT/src.
const src = path.join(out, 'src');
fs.rmSync(src, { recursive: true, force: true });
fs.mkdirSync(path.join(src, 'plots'), { recursive: true });
fs.cpSync(path.join(fs.existsSync(path.join(decksDir, 'img')) ? decksDir : slidesDir, 'img'), path.join(src, 'img'), { recursive: true });
const PLOT = /^<!-- plot: (\S+) -->\s*$/;
// `<!-- bench-table: CSV -->`: two servers side by side; `<!-- bench-table: CSV METRIC -->`:
// one measure of every server (rows) at every client count (columns).
const TABLE = /^<!-- bench-table: (\S+)(?: (\S+))? -->\s*$/;
const plotsUsed = [];

// The fields of one line of a papaya-bench CSV: a label with a comma comes quoted,
// a quote inside doubled (RFC 4180).
function csvFields(line) {
  const fields = [];
  for (let i = 0; i <= line.length;) {
    if (line[i] === '"') {
      let text = '';
      for (i++; i < line.length; i++) {
        if (line[i] === '"' && line[i + 1] === '"') text += line[i++];
        else if (line[i] === '"') break;
        else text += line[i];
      }
      fields.push(text);
      i += 2; // the closing quote and the comma
    } else {
      const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

// A papaya-bench summary.csv as a slide table, generated from the data at
// every build: the numbers on a slide are always the committed ones.
function readSummary(relative) {
  const file = path.join(root, relative);
  if (!fs.existsSync(file)) {
    plotsUsed.push({ table: relative, found: false });
    return { missing: `<div class="missing-plot">Not measured in this checkout: <code>${relative}</code> does not exist.<br>` +
      'The command on the previous slide makes it (papaya-bench); no number is typed in by hand.</div>' };
  }
  plotsUsed.push({ table: relative, found: true });
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n').map(csvFields);
  const col = (row, name) => row[header.indexOf(name)];
  const env = path.join(path.dirname(file), 'ENVIRONMENT');
  const when = fs.existsSync(env) ? (fs.readFileSync(env, 'utf8').match(/^date: (.*)$/m) || [])[1] : undefined;
  const host = fs.existsSync(env) ? (fs.readFileSync(env, 'utf8').match(/^host: (.*)$/m) || [])[1] : undefined;
  const source = `Source: <code>${relative}</code>${when ? `, ${when}` : ''}${host ? `, ${host}` : ''}.`;
  return { rows, col, source };
}

const fixed = (v, digits) => (v === undefined || v === '' || Number.isNaN(Number(v)) ? '?' : Number(v).toFixed(digits));

// One measure per server and client count; a cell whose every run was paced by
// the generator is not a server result and says so instead of a number.
const PIVOTS = {
  // The multiple of the floor on a line of its own: side by side, seven columns were wider than the slide.
  cpu_us_per_delivery: { title: 'CPU us per delivery<br>(x the floor)', cell: (r, col) => `${fixed(col(r, 'cpu_us_per_delivery'), 1)}` +
    (col(r, 'floor_multiple') ? `<br>(${fixed(col(r, 'floor_multiple'), 1)}x)` : ''), floor: true },
  lat_p99_us: { title: 'p99 delivery latency, ms', cell: (r, col) => fixed(col(r, 'lat_p99_us') / 1000, 1) },
  mem_per_client_bytes: { title: 'PSS per client, KiB', cell: (r, col) => fixed(col(r, 'mem_per_client_bytes') / 1024, 1) },
  context_switches_per_delivery: { title: 'context switches per delivery', cell: (r, col) => fixed(col(r, 'context_switches_per_delivery'), 2) },
};

function benchPivot(relative, metric) {
  const pivot = PIVOTS[metric];
  if (!pivot) throw new Error(`bench-table ${relative}: no measure ${metric} (one of ${Object.keys(PIVOTS).join(', ')})`);
  const { missing, rows, col, source } = readSummary(relative);
  if (missing) return missing;
  const counts = [...new Set(rows.map((r) => col(r, 'clients')))];
  const labels = [...new Set(rows.map((r) => col(r, 'label')))];
  const at = (label, n) => rows.find((r) => col(r, 'label') === label && col(r, 'clients') === n);
  const out = ['<div class="bench">', '', `| ${pivot.title} | ${counts.join(' | ')} |`, `|:---|${counts.map(() => '---:').join('|')}|`];
  for (const label of labels) {
    out.push(`| ${label} | ${counts.map((n) => {
      const r = at(label, n);
      if (!r) return '';
      const runs = Number(col(r, 'runs'));
      if (runs === 0) return 'stopped';
      if (Number(col(r, 'failed_runs')) === runs) return 'failed';
      if (Number(col(r, 'correct_runs')) + Number(col(r, 'failed_runs')) < runs) return 'lost';
      if (col(r, 'no_valid_run') === '1') return 'invalid';
      return pivot.cell(r, col);
    }).join(' | ')} |`);
  }
  if (pivot.floor) {
    out.push(`| floor (kernel) | ${counts.map((n) => fixed(col(rows.find((r) => col(r, 'clients') === n), 'floor_us_per_delivery'), 1)).join(' | ')} |`);
  }
  out.push('', '</div>', '', `<span class="cite">Medians of ${col(rows[0], 'runs')} interleaved runs per cell. ` +
    `invalid: papaya-bench flagged every run (the generator could not keep up, or other load): not a server ` +
    `result; lost: a run lost deliveries; failed: no run could be set up; ` +
    `stopped: not run after failing at fewer clients (RESULTS.md says why). ${source}</span>`);
  return out.join('\n');
}

function benchTable(relative) {
  const { missing, rows, col, source } = readSummary(relative);
  if (missing) return missing;
  const byClients = new Map();
  for (const row of rows) {
    const n = col(row, 'clients');
    if (!byClients.has(n)) byClients.set(n, {});
    byClients.get(n)[col(row, 'side')] = row;
  }
  const first = rows[0];
  const labelA = col(rows.find((r) => col(r, 'side') === 'A') || first, 'label');
  const labelB = col(rows.find((r) => col(r, 'side') === 'B') || first, 'label');
  const pair = `${labelA} / ${labelB}`;
  const out = [
    '<div class="bench">',
    '',
    // Two-line headers: the measure, then whose; a one-line header was wider
    // than the slide with the course's font.
    `| clients | %CPU<br>${labelA} | %CPU<br>${labelB} | CPU ratio<br>${labelA}/${labelB} | CV<br>${pair} | KiB/client<br>${pair} | p99 ms<br>${pair} |`,
    '|---:|---:|---:|:---:|:---:|:---:|:---:|',
  ];
  for (const [n, { A, B }] of byClients) {
    if (!A || !B) continue;
    const valid = (r) => (col(r, 'valid_runs') === col(r, 'runs') ? '' : ` (${col(r, 'valid_runs')}/${col(r, 'runs')})`);
    out.push(`| ${n} | ${fixed(col(A, 'cpu_mean_pct'), 2)}${valid(A)} | ${fixed(col(B, 'cpu_mean_pct'), 2)}${valid(B)} | ` +
      `${fixed(col(A, 'ratio_cpu_median'), 2)} [${fixed(col(A, 'ratio_cpu_min'), 2)}..${fixed(col(A, 'ratio_cpu_max'), 2)}] | ` +
      `${fixed(col(A, 'cpu_cv'), 3)} / ${fixed(col(B, 'cpu_cv'), 3)} | ` +
      `${fixed(col(A, 'mem_per_client_bytes') / 1024, 0)} / ${fixed(col(B, 'mem_per_client_bytes') / 1024, 0)} | ` +
      `${fixed(col(A, 'lat_p99_us') / 1000, 1)} / ${fixed(col(B, 'lat_p99_us') / 1000, 1)} |`);
  }
  const runs = col(first, 'runs');
  out.push('', '</div>', '', `<span class="cite">Medians of ${runs} interleaved runs; (2/3): runs not flagged invalid by papaya-bench. ` +
    `CPU ratio ${labelA}/${labelB}: median [min..max] of the per-pair ratios; p99: delivery latency. ` +
    `${source}</span>`);
  return out.join('\n');
}

for (const deck of decks) {
  const lines = fs.readFileSync(deck, 'utf8').split('\n').map((line) => {
    const t = line.match(TABLE);
    if (t) return t[2] ? benchPivot(t[1], t[2]) : benchTable(t[1]);
    const m = line.match(PLOT);
    if (!m) return line;
    const file = path.join(root, m[1]);
    if (fs.existsSync(file)) {
      const flat = m[1].replace(/^tools\/bench\/results\//, '').replace(/^\.+/, '').replace(/[/]/g, '--');
      fs.copyFileSync(file, path.join(src, 'plots', flat));
      plotsUsed.push({ deck: path.basename(deck), plot: m[1], found: true });
      // 400 px high: papaya-bench draws its plots 1152x400 (tools/bench/src/plots.cpp),
      // so they are shown at their own size and their 20 px text stays 20 px.
      return `![h:400](plots/${flat})`;
    }
    plotsUsed.push({ deck: path.basename(deck), plot: m[1], found: false });
    return `<div class="missing-plot">Not measured in this checkout: <code>${m[1]}</code> does not exist.<br>` +
      `The command below makes it (papaya-bench); nothing is drawn by hand.</div>`;
  });
  fs.writeFileSync(path.join(src, path.basename(deck)), lines.join('\n'));
}
fs.writeFileSync(path.join(out, 'plots.json'), JSON.stringify(plotsUsed, null, 2) + '\n');

const common = ['--no-stdin', '--no-config-file', '--html', '--allow-local-files',
  '--theme-set', path.join(slidesDir, 'theme'), '--input-dir', src];
const browser = browserPath();
// Marp's Chromium (the PDFs) sees only the course's fonts (tools/fonts.mjs).
let env = { ...process.env };
try {
  if (wantPdf || serve) env = fontEnv(out);
} catch (e) {
  fail(e.message);
}
if (browser) env.CHROME_PATH = browser;

if (serve) {
  // The decks themselves, re-rendered on every save (plots show as comments here).
  console.log(`slides: serving ${slidesDir} on http://localhost:${process.env.PORT || 8080}/ (Ctrl-C stops)`);
  const live = common.map((a) => (a === src ? slidesDir : a));
  const child = spawn(marp, [...live, '--server'], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const run = (extra, what) => {
    const r = spawnSync(marp, [...common, ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env, encoding: 'utf8' });
    // Marp warns about --allow-local-files on every deck: expected here, so not shown.
    const shown = `${r.stdout}${r.stderr}`.split('\n')
      .filter((l) => l && !/Insecure local file accessing|^\s+\S+\.md\.$|^\[  INFO \]/.test(l));
    if (shown.length) console.error(shown.join('\n'));
    if (r.status !== 0) fail(`Marp failed to render the ${what}`);
  };
  run(['--output', path.join(out, 'html')], 'HTML decks');
  fs.cpSync(path.join(src, 'img'), path.join(out, 'html', 'img'), { recursive: true });
  fs.cpSync(path.join(src, 'plots'), path.join(out, 'html', 'plots'), { recursive: true });
  run(['--template', 'bare', '--output', path.join(out, 'check')], 'check pages');
  fs.cpSync(path.join(src, 'img'), path.join(out, 'check', 'img'), { recursive: true });
  fs.cpSync(path.join(src, 'plots'), path.join(out, 'check', 'plots'), { recursive: true });
  if (wantPdf) {
    if (!browser) fail('no Chromium for the PDFs (apt-get install chromium, or pass --no-pdf)');
    run(['--pdf', '--output', path.join(out, 'pdf')], 'PDFs');
  }
  // The decks for after a lab, apart: OUT/after-lab/{html,pdf}.
  const after = path.join(out, 'after-lab');
  fs.rmSync(after, { recursive: true, force: true });
  for (const deck of decks.filter(isReveal)) {
    const name = path.basename(deck, '.md');
    for (const [kind, ext] of [['html', 'html'], ...(wantPdf ? [['pdf', 'pdf']] : [])]) {
      fs.mkdirSync(path.join(after, kind), { recursive: true });
      fs.renameSync(path.join(out, kind, `${name}.${ext}`), path.join(after, kind, `${name}.${ext}`));
    }
    fs.cpSync(path.join(src, 'img'), path.join(after, 'html', 'img'), { recursive: true });
    fs.cpSync(path.join(src, 'plots'), path.join(after, 'html', 'plots'), { recursive: true });
  }
  // A deck named *-reveal.md gives a lab's answers away: it is listed apart,
  // for after the lab (e.g. 05-portability-reveal after lab 5).
  const item = (deck) => {
    const n = path.basename(deck, '.md');
    const rel = path.relative(out, handoutRoot(out, deck));
    const at = rel ? `${rel}/` : '';
    return `<li><a href="${at}html/${n}.html">${n}</a>${wantPdf ? ` (<a href="${at}pdf/${n}.pdf">PDF</a>)` : ''}</li>`;
  };
  const lectures = decks.filter((d) => !isReveal(d)).map(item).join('\n');
  const reveals = decks.filter(isReveal).map(item).join('\n');
  fs.writeFileSync(path.join(out, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>papaya-lab slides</title>\n<h1>papaya-lab slides</h1>\n` +
    `<h2>Lectures (before each lab)</h2>\n<ul>\n${lectures}\n</ul>\n` +
    (reveals ? `<h2>After the lab: the answers (show once the lab is handed in)</h2>\n<ul>\n${reveals}\n</ul>\n` : ''));
  console.log(`slides: ${decks.length} decks in ${out} (index.html; html/, ${wantPdf ? 'pdf/, ' : ''}check/` +
    `${decks.some(isReveal) ? '; after-lab/: the decks for after a lab' : ''})`);
}
