// The service worker's precache list must hold every file the offline pages load, and only files
// that exist (one missing file and the install fails, so nothing works offline).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const STATIC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = readFileSync(join(STATIC, 'js', 'sw.js'), 'utf8');
const assets = [...source.match(/const ASSETS = \[([\s\S]*?)\];/)[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
const bundles = [...source.match(/const BUNDLES = \[([\s\S]*?)\];/)[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);

/** Every module a page loads, following static imports. */
function moduleGraph(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)) visit(resolve(dirname(file), spec));
  };
  visit(join(STATIC, 'js', entry));
  return [...seen].map((file) => `/static/${file.slice(STATIC.length + 1)}`);
}

describe('service worker precache', () => {
  it('lists only files that exist', () => {
    for (const url of assets) {
      if (url === '/manifest.webmanifest') continue;
      assert.ok(existsSync(join(STATIC, url.replace(/^\/static\//, ''))), `${url} is missing`);
    }
  });

  it('holds every module of the capture screen and the board page', () => {
    for (const entry of ['capture.js', 'board.js']) {
      for (const url of moduleGraph(entry)) assert.ok(assets.includes(url), `${url} (from ${entry}) is not precached`);
    }
  });

  it("holds the offline pages' bundles (what they load once built), the modules being the fallback", () => {
    assert.deepEqual(bundles.sort(), ['/static/dist/board.js', '/static/dist/capture.js']);
    assert.ok(source.includes("'/static/js/capture.js'") && source.includes("'/static/js/board.js'"));
  });

  it('holds the stylesheets and icons of the capture page', () => {
    for (const url of ['/static/css/app.css', '/static/css/capture.css', '/static/icons/app-192.png', '/static/icons/app-512.png']) {
      assert.ok(assets.includes(url), url);
    }
  });
});
