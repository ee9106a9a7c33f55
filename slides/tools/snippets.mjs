// Code snippets on slides are copies of marked regions of the solution files.
//
// In a source file (solutions/server/*.cpp), whole comment lines mark a region:
//     // [slide: name]
//     ...code...
//     // [/slide]
// In a deck, a comment names the region and the fenced block after it holds
// the copy:
//     <!-- snippet: solutions/server/connection_io.cpp#name -->
//     ```cpp
//     ...the same code, common indentation removed...
//     ```
// `...#name@starter` is the same region as tools/make-starter turns it into
// (the student's starter: lab 5's planted bugs, or the todo() stub) -- taken
// from the solution file, never from labs/server/, which students edit.
// `--check` fails when a copy differs from its source (a stale slide);
// `--update` rewrites the copies from the sources. The starter generator's
// own markers (// @lab, // @starter ... // @end) are left out of the copy,
// and so are the @starter lines.
import fs from 'node:fs';
import path from 'node:path';

export const MAX_LINES = 12;

const OPEN = /^\s*\/\/ \[slide: ([A-Za-z0-9_.-]+)\]\s*$/;
const CLOSE = /^\s*\/\/ \[\/slide\]\s*$/;
const STARTER_MARKER = /^\s*\/\/ @(lab|starter|end)\b/;
const DIRECTIVE = /^<!-- snippet: ([^#\s]+)#([A-Za-z0-9_.-]+)(@starter)? -->\s*$/;

function dedent(lines) {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd());
}

// The starter's stub for a region without @starter lines, as tools/make-starter writes it.
function stub(indent, rest) {
  const m = rest.match(/^ (\d)(?:\(([^)]*)\))?: (.*)$/);
  if (!m) return `${indent}// (the student writes this)`;
  const [, lab, args, what] = m;
  if (indent === '') return `// TODO(lab ${lab}): ${what}`;
  const quoted = `"${what.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return `${indent}todo(${lab}, ${quoted}${args ? `, ${args}` : ''});`;
}

/**
 * Every marked region of one source file: Map name -> code (string, no
 * trailing newline). variant "solution": the file as it is, without the
 * starter generator's markers and @starter lines; variant "starter": what
 * tools/make-starter makes of it (the @starter lines uncommented, or the
 * todo() stub), i.e. the student's starter file in labs/server/.
 */
export function regionsOf(file, variant = 'solution') {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const regions = new Map();
  let name = null;
  let body = [];
  let state = 'outside';  // of a @lab region: outside, solution, starter
  let lab = { indent: '', rest: '' };
  let starterLines = [];
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    const open = line.match(OPEN);
    if (open) {
      if (name) throw new Error(`${where}: [slide: ${open[1]}] inside [slide: ${name}]`);
      if (regions.has(open[1])) throw new Error(`${where}: a second [slide: ${open[1]}]`);
      name = open[1];
      body = [];
      return;
    }
    if (CLOSE.test(line)) {
      if (!name) throw new Error(`${where}: [/slide] without [slide: ...]`);
      regions.set(name, dedent(body).join('\n').replace(/^\n+|\n+$/g, ''));
      name = null;
      return;
    }
    const marker = line.match(STARTER_MARKER);
    if (marker) {
      if (marker[1] === 'lab') {
        state = 'solution';
        lab = { indent: line.match(/^ */)[0], rest: line.replace(/^\s*\/\/ @lab/, '') };
        starterLines = [];
      } else if (marker[1] === 'starter') {
        state = 'starter';
      } else {
        if (name && variant === 'starter')
          body.push(...(state === 'starter' ? starterLines : [stub(lab.indent, lab.rest)]));
        state = 'outside';
      }
      return;
    }
    if (state === 'starter') {
      const rest = line.slice(lab.indent.length);
      starterLines.push(rest === '//' ? '' : lab.indent + rest.replace(/^\/\/ /, ''));
      return;
    }
    if (!name) return;
    if (state === 'solution' && variant === 'starter') return;
    body.push(line);
  });
  if (name) throw new Error(`${file}: [slide: ${name}] is never closed`);
  return regions;
}

/** The snippet blocks of a deck: [{source, name, line, fenceStart, fenceEnd, text}] (0-based line indexes). */
export function snippetsOf(deckText, deckName) {
  const lines = deckText.split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(DIRECTIVE);
    if (!m) continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    if (j >= lines.length || !/^```/.test(lines[j]))
      throw new Error(`${deckName}:${i + 1}: a snippet comment must be followed by a fenced code block`);
    let k = j + 1;
    while (k < lines.length && !/^```\s*$/.test(lines[k])) k++;
    if (k >= lines.length) throw new Error(`${deckName}:${j + 1}: unclosed code block`);
    found.push({ source: m[1], name: m[2], variant: m[3] ? 'starter' : 'solution', line: i, fenceStart: j, fenceEnd: k, text: lines.slice(j + 1, k).join('\n') });
  }
  return found;
}

/**
 * Checks (or, with update, rewrites) every snippet of every deck.
 * Returns a list of problems (strings); empty when all is well.
 */
export function checkSnippets({ root, decks, update = false }) {
  const problems = [];
  const cache = new Map();
  const region = (source, name, variant) => {
    const key = `${source}@${variant}`;
    if (!cache.has(key)) {
      const file = path.join(root, source);
      if (!fs.existsSync(file)) return { error: `no such source file ${source}` };
      try {
        cache.set(key, regionsOf(file, variant));
      } catch (e) {
        return { error: e.message };
      }
    }
    const regions = cache.get(key);
    if (!regions.has(name)) return { error: `${source} has no region // [slide: ${name}]` };
    return { code: regions.get(name) };
  };
  for (const deck of decks) {
    const deckName = path.relative(root, deck);
    let text = fs.readFileSync(deck, 'utf8');
    let snippets;
    try {
      snippets = snippetsOf(text, deckName);
    } catch (e) {
      problems.push(e.message);
      continue;
    }
    const lines = text.split('\n');
    // Back to front, so that earlier line numbers stay valid while rewriting.
    for (const s of [...snippets].reverse()) {
      const { code, error } = region(s.source, s.name, s.variant);
      const where = `${deckName}:${s.line + 1}`;
      if (error) {
        problems.push(`${where}: ${error}`);
        continue;
      }
      const count = code.split('\n').length;
      if (count > MAX_LINES)
        problems.push(`${where}: ${s.source}#${s.name} has ${count} lines; a slide snippet has at most ${MAX_LINES}`);
      if (code === s.text) continue;
      if (update) {
        lines.splice(s.fenceStart + 1, s.fenceEnd - s.fenceStart - 1, ...code.split('\n'));
      } else {
        problems.push(`${where}: stale snippet ${s.source}#${s.name}: the slide differs from the source ` +
          `(run: tools/course slides --update-snippets)`);
      }
    }
    if (update) {
      const updated = lines.join('\n');
      if (updated !== text) {
        fs.writeFileSync(deck, updated);
        console.log(`updated snippets in ${deckName}`);
      }
    }
  }
  return problems;
}

export function listDecks(slidesDir) {
  return fs.readdirSync(slidesDir).filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort().map((f) => path.join(slidesDir, f));
}

// Command line: node tools/snippets.mjs --check | --update
if (import.meta.url === `file://${process.argv[1]}`) {
  const slidesDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const root = path.resolve(slidesDir, '..');
  const update = process.argv.includes('--update');
  const decks = listDecks(slidesDir);
  const problems = checkSnippets({ root, decks, update });
  for (const p of problems) console.error(`snippets: ${p}`);
  // A marked region no slide shows is not an error, only worth knowing.
  const shown = new Set(decks.flatMap((d) => snippetsOf(fs.readFileSync(d, 'utf8'), d).map((x) => `${x.source}#${x.name}`)));
  const solutions = path.join(root, 'solutions', 'server');
  for (const f of fs.existsSync(solutions) ? fs.readdirSync(solutions).filter((n) => n.endsWith('.cpp')).sort() : []) {
    let regions;
    try { regions = regionsOf(path.join(solutions, f)); } catch { continue; }
    for (const name of regions.keys()) {
      if (!shown.has(`solutions/server/${f}#${name}`)) console.log(`snippets: note: solutions/server/${f}#${name} is on no slide`);
    }
  }
  if (problems.length) process.exit(1);
  console.log(`snippets: every slide snippet matches its source${update ? ' (after updating)' : ''}`);
}
