/* Collab's service worker (served as /sw.js, scope /): the capture screen opens with no network.
 *
 * - Install: precache the app shell (static assets below: the pages' bundles and their modules;
 *   and /capture when signed in).
 * - Pages (navigations): network first, so they are fresh online; a copy of /capture and of each
 *   board page visited is kept, and served when the network is down or slow (0.5 s), or when the
 *   session cookie is gone (the page then renews it with the token kept since joining).
 * - Static assets: from the cache first, refreshed in the background at most every 5 minutes (a
 *   new version arrives by a later load without bumping VERSION; bump it when the list changes).
 * - Photos (/api/v1/media/…): cache first, they never change.
 * - Every other /api/ call and /socket.io/ go to the network untouched: never cached.
 */

const VERSION = 'v7';
const SHELL = `collab-shell-${VERSION}`;
const PAGES = `collab-pages-${VERSION}`;
const MEDIA = `collab-media-${VERSION}`;
// A kept page is shown if the network has not answered by then (a phone on one bar of signal stays
// under the capture screen's 1 s budget); the fresh page still replaces the copy for next time.
const NAVIGATION_TIMEOUT_MS = 500;
const REVALIDATE_MS = 5 * 60 * 1000;
const MEDIA_LIMIT = 200; // photos kept for offline use (thumbnails are ~30 kB, full images up to ~1 MB)

// The pages' bundles (static/build-bundles.mjs, made at setup): what the pages load while they are
// up to date. Precached when present, and the modules of ASSETS too: the server serves those instead
// of a bundle missing or older than its modules (collab/modulegraph.py), and a page kept offline
// must find whichever it names.
const BUNDLES = ['/static/dist/capture.js', '/static/dist/board.js'];

const ASSETS = [
  '/manifest.webmanifest',
  '/static/css/app.css',
  '/static/css/capture.css',
  '/static/icons/favicon.svg',
  '/static/icons/app-192.png',
  '/static/icons/app-512.png',
  '/static/images/chevron.svg',
  '/static/vendor/socket.io.esm.min.js',
  '/static/vendor/sortable.esm.js',
  '/static/vendor/fractional-indexing.js',
  '/static/css/board-zones.css',
  '/static/js/board-icons.js',
  '/static/js/card-mover.js',
  '/static/js/dnd.js',
  '/static/js/positions.js',
  '/static/js/plural.js',
  '/static/js/time.js',
  '/static/js/reorder.js',
  '/static/js/tag-field.js',
  '/static/js/tags.js',
  '/static/js/zone-menu.js',
  '/static/js/zones-model.js',
  '/static/js/zones-view.js',
  '/static/js/analysis-state.js',
  '/static/js/live.js',
  '/static/js/live-timer.js',
  '/static/js/present-notice.js',
  '/static/css/live.css',
  '/static/js/prompt-answer.js',
  '/static/css/prompts.css',
  '/static/js/api.js',
  '/static/js/board.js',
  '/static/js/capture.js',
  '/static/js/capture-list.js',
  '/static/js/capture-lock.js',
  '/static/js/capture-photo.js',
  '/static/js/card-editor.js',
  '/static/js/cards-view.js',
  '/static/js/composer.js',
  '/static/js/connection.js',
  '/static/js/outbox.js',
  '/static/js/outbox-send.js',
  '/static/js/outbox-store.js',
  '/static/js/photo-viewer.js',
  '/static/js/shared.js',
  '/static/js/sync.js',
  '/static/js/ui.js',
  '/static/js/visits.js',
  '/static/css/board-history.css',
  '/static/js/history.js',
  '/static/js/history-bin.js',
  '/static/js/history-lines.js',
  '/static/js/undo.js',
  '/static/js/undo-controls.js',
  '/static/css/board-views.css',
  '/static/js/board-views.js',
  '/static/js/board-changes.js',
  '/static/js/card-groups.js',
  '/static/js/filter-bar.js',
  '/static/js/filters.js',
  '/static/js/list-view.js',
  '/static/js/timeline-view.js',
  '/static/css/board-analysis.css',
  '/static/js/comments.js',
  '/static/js/comments-card.js',
  '/static/js/reactions.js',
  '/static/js/vote-dots.js',
  '/static/js/vote-panel.js',
  '/static/css/board-themes.css',
  '/static/js/conflict-dialog.js',
  '/static/js/editing.js',
  '/static/js/text-conflicts.js',
  '/static/js/theme-cards.js',
  '/static/js/theme-drop.js',
  '/static/js/theme-editor.js',
  '/static/js/theme-menu.js',
  '/static/js/theme-new.js',
  '/static/js/theme-picker.js',
  '/static/js/themes-view.js',
  '/static/js/safe-html.js',
  '/static/js/themes.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL);
      const reload = (url) => new Request(url, { cache: 'reload' });
      await shell.addAll(ASSETS.map(reload));
      await Promise.all(BUNDLES.map((url) => shell.add(reload(url)).catch(() => {}))); // none before a build
      // The capture page needs a session: cache it only if this browser has one.
      try {
        const response = await fetch('/capture', { credentials: 'same-origin', cache: 'reload' });
        if (cacheable(response)) await (await caches.open(PAGES)).put('/capture', response);
      } catch {
        // Offline while installing: the page is cached on its next visit.
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL, PAGES, MEDIA]);
      for (const name of await caches.keys()) {
        if (name.startsWith('collab-') && !keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/socket.io/')) return;
  if (/^\/api\/v1\/media\/[^/]+(\/thumb)?$/.test(url.pathname)) {
    event.respondWith(cacheFirst(request, MEDIA));
  } else if (url.pathname.startsWith('/api/')) {
    // Live data: the network only.
  } else if (request.mode === 'navigate') {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith('/static/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(asset(event));
  }
});

function cacheable(response) {
  return Boolean(response && response.ok && response.type === 'basic' && !response.redirected);
}

/** Pages worth keeping for offline use: the capture screen and board pages. */
function pageKey(url) {
  if (url.pathname === '/capture') return `/capture${url.searchParams.get('board') ? `?board=${url.searchParams.get('board')}` : ''}`;
  if (/^\/b\/[0-9a-fA-F-]{1,64}$/.test(url.pathname)) return url.pathname;
  return null;
}

async function page(event) {
  const { request } = event;
  const url = new URL(request.url);
  const key = pageKey(url);
  const network = fetch(request);
  if (key) {
    event.waitUntil(
      network
        .then(async (response) => {
          if (!cacheable(response)) return;
          const copy = response.clone(); // now, before the page starts reading the body
          await (await caches.open(PAGES)).put(key, copy);
        })
        .catch(() => {}),
    );
  }
  try {
    // A phone with one bar of signal: do not wait for ever when a copy is at hand.
    const response = await withTimeout(network, key ? NAVIGATION_TIMEOUT_MS : 0);
    if (key && response.type === 'opaqueredirect') {
      // These pages only redirect when the session cookie is gone (expired, cleared). The kept
      // copy signs in again with the token saved at joining, so queued notes are not stranded
      // behind a join form.
      const cached = await cachedPage(key);
      if (cached) return cached;
    }
    return response;
  } catch (err) {
    const cached = key && (await cachedPage(key));
    if (cached) return cached;
    return network; // nothing kept: let the browser show its own error (or the late answer)
  }
}

async function cachedPage(key) {
  const pages = await caches.open(PAGES);
  return (
    (await pages.match(key, { ignoreVary: true })) ||
    (key.startsWith('/capture') ? await pages.match('/capture', { ignoreVary: true }) : undefined)
  );
}

function withTimeout(promise, ms) {
  if (!ms) return promise;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

const checked = new Map(); // url -> when it was last revalidated (while this worker runs)

async function asset(event) {
  const { request } = event;
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  // Revalidate at most every few minutes: on one bar of signal the notes need the bandwidth.
  if (cached && Date.now() - (checked.get(request.url) || 0) < REVALIDATE_MS) return cached;
  checked.set(request.url, Date.now());
  const refresh = fetch(request).then(async (response) => {
    if (cacheable(response)) await cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => {}));
    return cached;
  }
  return refresh;
}

async function cacheFirst(request, name) {
  const cache = await caches.open(name);
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (cacheable(response)) {
    await cache.put(request, response.clone());
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - MEDIA_LIMIT))) await cache.delete(old);
  }
  return response;
}
