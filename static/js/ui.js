// Small DOM helpers shared by the pages. User text only ever goes through textContent.

import { formatTime, sameWorkshopDay } from './time.js';

export const $ = (id) => document.getElementById(id);

/** The JSON of a <script type="application/json"> block (the CSP forbids inline scripts). */
export function readJson(id) {
  const el = $(id);
  if (!el) return {};
  try {
    return JSON.parse(el.textContent || '{}');
  } catch {
    return {};
  }
}

export function h(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
// (edit, delete, pin and person are also in app.css, as the `--icon-*` masks of the board's cards.)
const ICONS = {
  edit: ['M4 20h4L19 9l-4-4L4 16v4z', 'M13.5 6.5l4 4'],
  delete: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3'],
  camera: ['M4 8h3l2-3h6l2 3h3v11H4z', 'M12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  back: ['M15 5l-7 7 7 7'],
  pin: ['M12 21s-6-5.5-6-11a6 6 0 0 1 12 0c0 5.5-6 11-6 11z', 'M12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z'],
  person: ['M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M4 21c0-4 3.6-6 8-6s8 2 8 6'],
  clock: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 7v5l3 2'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  alert: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18v.01'],
  retry: ['M20 12a8 8 0 1 1-2.3-5.6', 'M20 4v5h-5'],
};

export function icon(name, className = 'icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name] || []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** Toasts in `container`; returns show(message, {actionLabel, onAction, timeout, kind}). */
export function toaster(container, closeLabel) {
  return function showToast(message, { actionLabel, onAction, timeout = 6000, kind = '' } = {}) {
    const toast = h('div', `toast${kind ? ` toast--${kind}` : ''}`);
    toast.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    toast.append(h('span', 'toast__text', message));
    let timer = null;
    const close = () => {
      clearTimeout(timer);
      toast.remove();
    };
    if (actionLabel && onAction) {
      const action = h('button', 'button button--ghost button--undo', actionLabel);
      action.type = 'button';
      action.addEventListener('click', () => {
        close();
        onAction();
      });
      toast.append(action);
    }
    const dismiss = h('button', 'button button--ghost', '×');
    dismiss.type = 'button';
    dismiss.setAttribute('aria-label', closeLabel || '');
    dismiss.addEventListener('click', close);
    toast.append(dismiss);
    container.append(toast);
    while (container.children.length > 3) container.firstElementChild.remove();
    if (timeout) timer = setTimeout(close, timeout);
    return close;
  };
}

/** A polite live region; repeated messages are read again. */
export function announcer(region) {
  let timer = null;
  return (message) => {
    clearTimeout(timer);
    region.textContent = '';
    timer = setTimeout(() => {
      region.textContent = message;
    }, 50);
  };
}

/** "10:42" today, "jeu. 10:42" another day: on the workshop's clock (time.js). */
export function timeFormatter(locale) {
  return (iso) => {
    if (!iso) return '';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    const today = sameWorkshopDay(date, new Date());
    return formatTime(date, today ? { hour: '2-digit', minute: '2-digit' } : { weekday: 'short', hour: '2-digit', minute: '2-digit' }, locale);
  };
}

/** Registers the service worker (offline app shell); harmless where unsupported. */
export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // No service worker (private mode, http on a LAN address): the pages still work online.
  });
}
