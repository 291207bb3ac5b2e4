// The board's composer: a new note's text (kept as a draft in localStorage), type and colour.

import { COLOURS, KINDS, MAX_TEXT } from './sync.js';

const isWide = () => window.matchMedia('(min-width: 48rem)').matches;

/**
 * el: {composer, composerText, composerCount, composerHint, composerKind};
 * onPost({text, kind, colour}) is called with a valid note; showToast for errors.
 */
export function createComposer({ el, t, draftKey, writable, onPost, showToast }) {
  const draft = {
    get: () => { try { return localStorage.getItem(draftKey) || ''; } catch { return ''; } },
    set: (v) => { try { if (v) localStorage.setItem(draftKey, v); else localStorage.removeItem(draftKey); } catch { /* full */ } },
  };

  function update() {
    const length = el.composerText.value.length;
    el.composerCount.textContent = `${length} / ${MAX_TEXT}`;
    el.composerCount.classList.toggle('counter--warn', length >= MAX_TEXT - 200 && length < MAX_TEXT);
    el.composerCount.classList.toggle('counter--full', length >= MAX_TEXT);
    el.composerText.removeAttribute('aria-invalid');
  }

  function post() {
    if (!writable()) return;
    const text = el.composerText.value.trim();
    if (!text || text.length > MAX_TEXT) {
      el.composerText.setAttribute('aria-invalid', 'true');
      if (text) showToast(t.too_long, { kind: 'error' });
      else el.composerHint.textContent = t.empty_text;
      el.composerText.focus();
      return;
    }
    const kind = KINDS.includes(el.composerKind.value) ? el.composerKind.value : 'note';
    const checked = el.composer.querySelector('input[name="colour"]:checked');
    const colour = checked && COLOURS.includes(checked.value) ? checked.value : 'yellow';
    onPost({ text, kind, colour });
    el.composerText.value = '';
    update();
    draft.set('');
    if (isWide()) {
      el.composerText.focus();
    } else {
      // On a phone: put the keyboard away and fold the composer, to show the note where it landed.
      el.composerText.blur();
      el.composer.classList.add('composer--compact');
    }
  }

  const hintText = el.composerHint.textContent;
  el.composerText.value = draft.get();
  update();
  el.composerText.addEventListener('input', () => {
    update();
    draft.set(el.composerText.value);
    if (el.composerHint.textContent !== hintText) el.composerHint.textContent = hintText;
  });
  // On a phone the composer starts folded so the cards show above the fold; it unfolds when used.
  if (!isWide() && !el.composerText.value) el.composer.classList.add('composer--compact');
  el.composer.addEventListener('focusin', () => el.composer.classList.remove('composer--compact'));
  el.composer.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      post();
    }
  });
  el.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    post();
  });

  return {
    hasText: () => el.composerText.value.trim() !== '',
    /** A note the server refused comes back into the box, so its text is never lost. */
    restore(text) {
      const current = el.composerText.value.trim();
      if (current === text.trim()) return;
      el.composerText.value = current ? `${el.composerText.value.trimEnd()}\n\n${text}` : text;
      el.composer.hidden = false;
      update();
      draft.set(el.composerText.value);
      showToast(t.text_restored, { kind: 'error', timeout: 10000 });
    },
  };
}
