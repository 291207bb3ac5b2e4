// Small DOM helpers shared by the pages. User text only ever goes through textContent.

import { drawIcon } from './board-icons.js';
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

/** An icon by name, inline SVG (the drawings: board-icons.js, their one home). */
export const icon = drawIcon;

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
