// Keys of the presentation pages: arrows, space, PageUp/PageDown (what presentation clickers send),
// Home/End, F for full screen, Escape to leave. Pure, so it is tested in node (present-keys.test.js).

const ACTIONS = {
  ArrowRight: 'next', ArrowDown: 'next', PageDown: 'next', ' ': 'next', Spacebar: 'next', Enter: 'next',
  ArrowLeft: 'prev', ArrowUp: 'prev', PageUp: 'prev', Backspace: 'prev',
  Home: 'first', End: 'last',
  f: 'fullscreen', F: 'fullscreen',
  Escape: 'escape', Esc: 'escape',
};

/** The action of a keydown ({key, shiftKey, ctrlKey, altKey, metaKey, target}), or null. */
export function keyAction(event) {
  if (!event || event.ctrlKey || event.altKey || event.metaKey) return null;
  const tag = event.target && event.target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (event.target && event.target.isContentEditable)) {
    return null;
  }
  // Space and Enter on a focused button press it; the slide keys only act on the page itself.
  if ((event.key === ' ' || event.key === 'Enter') && (tag === 'BUTTON' || tag === 'A')) return null;
  if (event.key === ' ' && event.shiftKey) return 'prev';
  return ACTIONS[event.key] || null;
}

/** `index` moved by `action` within [0, count). */
export function step(index, count, action) {
  if (count <= 0) return 0;
  if (action === 'next') return Math.min(count - 1, index + 1);
  if (action === 'prev') return Math.max(0, index - 1);
  if (action === 'first') return 0;
  if (action === 'last') return count - 1;
  return Math.max(0, Math.min(count - 1, index));
}

/** "{n} themes" with its values: `base_one`/`base_other` picked by the page language's rules. */
export { plural } from './plural.js';

export function fill(template, values) {
  return String(template || '').replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}
