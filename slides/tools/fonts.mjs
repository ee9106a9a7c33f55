// The course's fonts, and a fontconfig that offers Chromium nothing else.
//
// How wide a table or a line of code renders depends on the font: a deck that
// names no font gets whatever a machine happens to have, and the browser
// check's verdict changes from one machine to the next. So the theme
// (theme/papaya.css) names these families, the diagrams (tools/svgkit.py) and
// the bench plots (tools/bench/src/plots.cpp) too, and every Chromium this
// folder starts (Marp's PDFs, the browser check) runs with FONTCONFIG_FILE set
// to OUT/fonts/fonts.conf: a fontconfig that lists one folder, OUT/fonts, where
// the files below are copied -- not the system's font folders, which hold
// whatever else is installed (fonts-dejavu-extra puts its Condensed and Light
// faces into the very same folder). Generic names (sans-serif, monospace,
// serif) and any font a page or an SVG asks for fall back to these files.
//
// Source: Debian's fonts-dejavu-core (DejaVu 2.37), which tools/course installs.
import fs from 'node:fs';
import path from 'node:path';

export const FONT_PACKAGE = 'fonts-dejavu-core';
const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
export const SANS = 'DejaVu Sans';
export const MONO = 'DejaVu Sans Mono';
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSansMono.ttf', 'DejaVuSansMono-Bold.ttf'];

const xml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Copies the course's font files into OUT/fonts and writes OUT/fonts/fonts.conf.
 * Returns { file, dir } (file: the FONTCONFIG_FILE), or throws when a font is
 * not installed. PAPAYA_FONT_DIR overrides where the files are taken from.
 */
export function prepareFonts(out) {
  const from = process.env.PAPAYA_FONT_DIR || FONT_DIR;
  const dir = path.join(path.resolve(out), 'fonts');
  const missing = FONT_FILES.filter((f) => !fs.existsSync(path.join(from, f)));
  if (missing.length)
    throw new Error(`the course's fonts are not installed (${missing.join(', ')} not in ${from}): ` +
      `apt-get install ${FONT_PACKAGE} (tools/course slides installs it)`);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of FONT_FILES) {
    const target = path.join(dir, f);
    const source = path.join(from, f);
    // Copy only when it changed: fontconfig's cache stays valid between builds.
    if (!fs.existsSync(target) || !fs.readFileSync(target).equals(fs.readFileSync(source))) fs.copyFileSync(source, target);
  }
  const alias = (generic, family) =>
    `  <alias binding="same"><family>${generic}</family><prefer><family>${xml(family)}</family></prefer></alias>`;
  const conf = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<!-- Written by slides/tools/fonts.mjs: only the course\'s fonts, nothing from the system. -->',
    '<fontconfig>',
    `  <dir>${xml(dir)}</dir>`,
    `  <cachedir>${xml(path.join(dir, 'cache'))}</cachedir>`,
    alias('sans-serif', SANS),
    alias('serif', SANS),
    alias('monospace', MONO),
    // Any other family name (Arial, Helvetica, ...): the course's sans-serif.
    `  <match target="pattern"><test qual="all" name="family" compare="not_eq"><string>${xml(MONO)}</string></test>` +
      `<edit name="family" mode="append_last"><string>${xml(SANS)}</string></edit></match>`,
    // How glyphs are rasterised, stated rather than inherited: Debian's defaults.
    '  <match target="font"><edit name="antialias" mode="assign"><bool>true</bool></edit>' +
      '<edit name="hinting" mode="assign"><bool>true</bool></edit>' +
      '<edit name="hintstyle" mode="assign"><const>hintslight</const></edit>' +
      '<edit name="rgba" mode="assign"><const>none</const></edit>' +
      '<edit name="lcdfilter" mode="assign"><const>lcddefault</const></edit></match>',
    '  <config><rescan><int>0</int></rescan></config>',
    '</fontconfig>',
    '',
  ].join('\n');
  const file = path.join(dir, 'fonts.conf');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== conf) fs.writeFileSync(file, conf);
  return { file, dir };
}

/** The environment for a Chromium that must see only the course's fonts. */
export function fontEnv(out, base = process.env) {
  // PAPAYA_SYSTEM_FONTS=1: the machine's own fontconfig instead (to compare verdicts).
  if (base.PAPAYA_SYSTEM_FONTS === '1') return { ...base };
  return { ...base, FONTCONFIG_FILE: prepareFonts(out).file };
}

// Command line, for the shell scripts: `node tools/fonts.mjs --files` prints
// the font file names; `--missing` those not installed (exit 1 when any is).
if (import.meta.url === `file://${process.argv[1]}`) {
  const from = process.env.PAPAYA_FONT_DIR || FONT_DIR;
  const list = process.argv.includes('--missing') ? FONT_FILES.filter((f) => !fs.existsSync(path.join(from, f))) : FONT_FILES;
  for (const f of list) console.log(f);
  process.exit(process.argv.includes('--missing') && list.length ? 1 : 0);
}
