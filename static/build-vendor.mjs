// Copies the browser builds the pages need from node_modules into static/vendor/.
// Run by `npm run build` (after `npm ci`). static/vendor/ is generated and gitignored:
// the app never loads anything from a CDN.
//   socket.io-client     the live connection
//   sortablejs           drag and drop of cards between zones (mouse and touch)
//   fractional-indexing  the sort keys of cards (`generateKeyBetween`)
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const outDir = join(here, 'vendor');
const modules = join(root, 'node_modules');

// [source under node_modules, name in static/vendor, required]
const FILES = [
  ['socket.io-client/dist/socket.io.esm.min.js', 'socket.io.esm.min.js', true],
  ['socket.io-client/dist/socket.io.esm.min.js.map', 'socket.io.esm.min.js.map', false],
  ['sortablejs/modular/sortable.esm.js', 'sortable.esm.js', true],
  ['fractional-indexing/src/index.js', 'fractional-indexing.js', true],
];

mkdirSync(outDir, { recursive: true });
for (const [from, name, required] of FILES) {
  const src = join(modules, from);
  if (!existsSync(src)) {
    if (required) {
      console.error(`build-vendor: missing ${src} (did you run npm ci?)`);
      process.exit(1);
    }
    continue;
  }
  copyFileSync(src, join(outDir, name));
  console.log(`build-vendor: ${name} -> static/vendor/`);
}
