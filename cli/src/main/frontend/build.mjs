// Copies the page and the one library it uses (uPlot, from node_modules as the lock file pins it)
// into the directory the jar packs (argument 1). No bundler: the page is a single ES module.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs OUTPUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
for (const f of readdirSync('src')) {
  cpSync(join('src', f), join(out, f));
}
cpSync('node_modules/uplot/dist/uPlot.iife.min.js', join(out, 'uPlot.iife.min.js'));
cpSync('node_modules/uplot/dist/uPlot.min.css', join(out, 'uPlot.min.css'));
cpSync('node_modules/uplot/LICENSE', join(out, 'uPlot.LICENSE.txt'));
