// Bundles each page's entry module with everything it imports into one file, static/dist/<name>.js
// (+ .map), with esbuild. Run by scripts/setup.sh (or `npm run bundle`) after build-vendor.mjs;
// static/dist/ is generated and gitignored.
//
// Why: the board page imports ~60 modules. Over HTTP/1.1 (six connections per host, one eventlet
// process) fetching them took 0.3-0.6 s of a cold load; one file takes a few milliseconds
// (docs/performance.md, "Board budget"). The sources stay small ES modules: the Node tests import
// them, and the server falls back to them whenever a bundle is missing or older than one of its
// sources (collab/modulegraph.py), so editing a module needs no rebuild in development.
//
// The entries are the pages' `<script type="module" src="{{ url_for('static', filename='js/….js') }}">`
// or `script_url('js/….js')` in templates/.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const outDir = join(here, 'dist');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('build-bundles: esbuild is not installed (npm ci): pages will load their modules one by one');
  process.exit(0);
}

function templates(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return templates(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

const ENTRY = /(?:script_url\(|filename=)['"](js\/[\w-]+\.js)['"]/g;
const entries = new Set();
for (const file of templates(join(root, 'templates'))) {
  for (const [, entry] of readFileSync(file, 'utf8').matchAll(ENTRY)) entries.add(entry);
}
const missing = [...entries].filter((entry) => !existsSync(join(here, entry)));
if (missing.length) {
  console.error(`build-bundles: templates name modules that do not exist: ${missing.join(', ')}`);
  process.exit(1);
}

rmSync(outDir, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: [...entries].sort().map((entry) => join(here, entry)),
  outdir: outDir,
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
});
const outputs = Object.entries(result.metafile.outputs).filter(([name]) => name.endsWith('.js'));
const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
console.log(`build-bundles: ${outputs.length} pages -> ${relative(root, outDir)}/ (${Math.round(bytes / 1024)} kB)`);
