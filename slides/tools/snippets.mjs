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
//
// Only papaya-make-starter reads those markers: the copies are cut from its
// `--print solution` and `--print starter` output (the binary named by
// PAPAYA_MAKE_STARTER -- CMake and ctest set it -- or else build/default's).
//
// A marker stands at the indentation of the code it marks: [slide: name] at
// that of the line after it, and [/slide] no less indented than its [slide]
// (a region does not leave the block it began in) nor than the line after it
// (a region that ends inside a block it opened closes at that block's
// indentation, so the marker does not pretend the block has ended).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const MAX_LINES = 12;

const OPEN = /^\s*\/\/ \[slide: ([A-Za-z0-9_.-]+)\]\s*$/;
const CLOSE = /^\s*\/\/ \[\/slide\]\s*$/;
const DIRECTIVE = /^<!-- snippet: ([^#\s]+)#([A-Za-z0-9_.-]+)(@starter)? -->\s*$/;

const indentOf = (line) => line.match(/^ */)[0].length;

function dedent(lines) {
  const indents = lines.filter((l) => l.trim() !== '').map(indentOf);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd());
}

/** The indentation of the first non-blank line after line i, or null at the end. */
function nextIndent(lines, i) {
  const next = lines.slice(i + 1).find((l) => l.trim() !== '');
  return next === undefined ? null : indentOf(next);
}

/**
 * The [slide] regions of a text (an array of lines): Map name -> code (string,
 * no trailing newline). where(i) names line i in error messages. With
 * checkIndent, a marker whose indentation contradicts the code is an error.
 */
export function regionsOfLines(lines, where, { checkIndent = false } = {}) {
  const regions = new Map();
  let name = null;
  let openIndent = 0;
  let openLine = 0;
  let body = [];
  lines.forEach((line, i) => {
    const open = line.match(OPEN);
    if (open) {
      if (name) throw new Error(`${where(i)}: [slide: ${open[1]}] inside [slide: ${name}]`);
      if (regions.has(open[1])) throw new Error(`${where(i)}: a second [slide: ${open[1]}]`);
      name = open[1];
      openIndent = indentOf(line);
      openLine = i;
      body = [];
      const next = nextIndent(lines, i);
      if (checkIndent && next !== null && next !== openIndent)
        throw new Error(`${where(i)}: [slide: ${name}] is indented ${openIndent} spaces, the code it marks ${next}`);
      return;
    }
    if (CLOSE.test(line)) {
      if (!name) throw new Error(`${where(i)}: [/slide] without [slide: ...]`);
      const indent = indentOf(line);
      const next = nextIndent(lines, i);
      if (checkIndent && indent < openIndent)
        throw new Error(`${where(i)}: [/slide] of ${name} is indented ${indent} spaces, less than its [slide] ` +
          `(${openIndent}): a region does not leave the block it began in`);
      if (checkIndent && next !== null && next > indent)
        throw new Error(`${where(i)}: [/slide] of ${name} is indented ${indent} spaces but the code goes on at ${next}: ` +
          `a region that ends inside a block closes at that block's indentation`);
      regions.set(name, dedent(body).join('\n').replace(/^\n+|\n+$/g, ''));
      name = null;
      return;
    }
    if (name) body.push(line);
  });
  if (name) throw new Error(`${where(openLine)}: [slide: ${name}] is never closed`);
  return regions;
}

const REPOSITORY = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** papaya-make-starter: PAPAYA_MAKE_STARTER, or build/default's (tools/course builds there). */
export const defaultMakeStarter = () => process.env.PAPAYA_MAKE_STARTER ||
  path.join(REPOSITORY, 'build', 'default', 'tools', 'make-starter', 'papaya-make-starter');

/** A version of a solution file, as papaya-make-starter prints it: "solution" or "starter". */
function versionOf(file, variant, makeStarter) {
  try {
    return execFileSync(makeStarter, ['--print', variant, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${makeStarter} --print ${variant} ${file} failed: ${(e.stderr || e.message).trim()}`);
  }
}

/** The names of the regions of one source file, its markers checked (see the top of this file). */
export function regionNames(file, label = file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  return [...regionsOfLines(lines, (i) => `${label}:${i + 1}`, { checkIndent: true }).keys()];
}

/**
 * Every marked region of one source file: Map name -> code (string, no
 * trailing newline). variant "solution": the file as it is, without the
 * starter generator's markers and @starter lines; variant "starter": what
 * tools/make-starter makes of it (the @starter lines uncommented, or the
 * todo() stub), i.e. the student's starter file in labs/server/. A region
 * inside a @lab region's solution has no starter version.
 */
export function regionsOf(file, variant = 'solution', makeStarter = defaultMakeStarter(), label = file) {
  regionNames(file, label);  // the markers' errors, with the source file's line numbers
  const lines = versionOf(file, variant, makeStarter).split('\n');
  return regionsOfLines(lines, (i) => `${label} (papaya-make-starter --print ${variant}):${i + 1}`);
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
export function checkSnippets({ root, decks, update = false, makeStarter = defaultMakeStarter() }) {
  const problems = [];
  // Every source's markers, shown on a slide or not; a broken file is reported once, here.
  const broken = new Set();
  for (const file of sourceFiles(root)) {
    try {
      regionNames(file, path.relative(root, file));
    } catch (e) {
      problems.push(e.message);
      broken.add(path.relative(root, file));
    }
  }
  if (!fs.existsSync(makeStarter)) {
    problems.push(`${makeStarter} does not exist: build papaya-make-starter (cmake --build build/default ` +
      '--target papaya-make-starter), or name it with PAPAYA_MAKE_STARTER');
    return problems;
  }
  // A version papaya-make-starter could not give is reported once, at its first snippet.
  const cache = new Map();
  const region = (source, name, variant) => {
    const key = `${source}@${variant}`;
    if (broken.has(source) || broken.has(key)) return { skip: true };
    if (!cache.has(key)) {
      const file = path.join(root, source);
      if (!fs.existsSync(file)) return { error: `no such source file ${source}` };
      try {
        cache.set(key, regionsOf(file, variant, makeStarter, source));
      } catch (e) {
        broken.add(key);
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
      const { code, error, skip } = region(s.source, s.name, s.variant);
      if (skip) continue;
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

/** The files that may hold [slide] regions: solutions/server/*.cpp. */
export function sourceFiles(root) {
  const solutions = path.join(root, 'solutions', 'server');
  return fs.existsSync(solutions)
    ? fs.readdirSync(solutions).filter((n) => n.endsWith('.cpp')).sort().map((n) => path.join(solutions, n)) : [];
}

export function listDecks(slidesDir) {
  return fs.readdirSync(slidesDir).filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort().map((f) => path.join(slidesDir, f));
}

// A deck named NN-slug-reveal.md gives lab NN's answers away: tools/build.mjs
// renders it apart, into OUT/after-lab/ (html/, pdf/), so that OUT/html and
// OUT/pdf can be handed out before the lab.
export const isReveal = (deck) => path.basename(deck, '.md').endsWith('-reveal');
export const handoutRoot = (out, deck) => (isReveal(deck) ? path.join(out, 'after-lab') : out);

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
  for (const file of sourceFiles(root)) {
    let names;
    try { names = regionNames(file); } catch { continue; }  // reported above
    const source = path.relative(root, file);
    for (const name of names) {
      if (!shown.has(`${source}#${name}`)) console.log(`snippets: note: ${source}#${name} is on no slide`);
    }
  }
  if (problems.length) process.exit(1);
  console.log(`snippets: every slide snippet matches its source${update ? ' (after updating)' : ''}`);
}
