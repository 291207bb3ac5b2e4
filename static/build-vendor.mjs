// Copies the browser builds the pages need from node_modules into static/vendor/.
// Run by `npm run build` (after `npm ci`). static/vendor/ is generated and gitignored:
// the app never loads anything from a CDN.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const outDir = join(here, 'vendor');
const srcDir = join(root, 'node_modules', 'socket.io-client', 'dist');

mkdirSync(outDir, { recursive: true });
for (const [name, required] of [
  ['socket.io.esm.min.js', true],
  ['socket.io.esm.min.js.map', false],
]) {
  const src = join(srcDir, name);
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
