// The synthesis editor of a theme: a textarea with a small Markdown toolbar (heading, bold, list,
// link), a character counter, Save / Cancel, Ctrl+Enter to save. The text is kept as a draft in
// localStorage while it is typed (with the synthesis the edit started from, which the save sends as
// `base_synthesis`, SYNC-12), so a reload or a crash loses nothing. The rendered synthesis is the
// server's (`synthesis_html`); there is no client-side Markdown rendering.

import { format } from './sync.js';
import { h } from './ui.js';

export const MAX_SYNTHESIS = 20000;

/** Drafts of syntheses in localStorage: {text, base} per theme. */
export function synthesisDrafts(prefix, storage = globalThis.localStorage) {
  const key = (themeId) => `${prefix}:${themeId}`;
  return {
    get(themeId) {
      try {
        const value = JSON.parse(storage.getItem(key(themeId)) || 'null');
        return value && typeof value.text === 'string' && typeof value.base === 'string' ? value : null;
      } catch {
        return null;
      }
    },
    set(themeId, text, base) {
      try {
        storage.setItem(key(themeId), JSON.stringify({ text, base }));
      } catch {
        // Storage full or refused: the editor still holds the text.
      }
    },
    clear(themeId) {
      try {
        storage.removeItem(key(themeId));
      } catch {
        // Nothing to do.
      }
    },
  };
}

// ---- the toolbar's edits, pure: (value, start, end) -> {value, start, end} ----------------------

function lineRange(value, start, end) {
  const from = value.lastIndexOf('\n', start - 1) + 1;
  let to = value.indexOf('\n', end > start && value[end - 1] === '\n' ? end - 1 : end);
  if (to < 0) to = value.length;
  return [from, to];
}

function prefixLines(value, start, end, prefix, pattern, placeholder) {
  const [from, to] = lineRange(value, start, end);
  const lines = value.slice(from, to).split('\n');
  const all = lines.some((line) => line.trim()) && lines.every((line) => pattern.test(line) || !line.trim());
  const changed = lines.map((line) => {
    if (all) return line.replace(pattern, '');
    if (pattern.test(line)) return line;
    return line.trim() || lines.length === 1 ? `${prefix}${line}` : line;
  });
  let text = changed.join('\n');
  if (!all && lines.length === 1 && !lines[0].trim()) text = `${prefix}${placeholder}`;
  const selectFrom = !all && lines.length === 1 && !lines[0].trim() ? from + prefix.length : from;
  return { value: value.slice(0, from) + text + value.slice(to), start: selectFrom, end: from + text.length };
}

/** Applies a toolbar action (heading, bold, list, link) to the text and its selection. */
export function applyFormat(kind, value, start, end, words = {}) {
  const selected = value.slice(start, end);
  if (kind === 'heading') return prefixLines(value, start, end, '## ', /^#{1,4} /, words.heading || 'Heading');
  if (kind === 'list') return prefixLines(value, start, end, '- ', /^[-*] /, words.item || 'item');
  if (kind === 'bold') {
    if (selected.startsWith('**') && selected.endsWith('**') && selected.length >= 4) {
      const inner = selected.slice(2, -2);
      return { value: value.slice(0, start) + inner + value.slice(end), start, end: start + inner.length };
    }
    const inner = selected || words.bold || 'bold';
    return { value: `${value.slice(0, start)}**${inner}**${value.slice(end)}`, start: start + 2, end: start + 2 + inner.length };
  }
  if (kind === 'link') {
    const isUrl = /^https?:\/\/\S+$/.test(selected);
    const label = isUrl ? words.link || 'link' : selected || words.link || 'link';
    const url = isUrl ? selected : 'https://';
    const text = `[${label}](${url})`;
    const next = value.slice(0, start) + text + value.slice(end);
    // Select what is left to type: the address, or the label when the address was selected.
    return isUrl
      ? { value: next, start: start + 1, end: start + 1 + label.length }
      : { value: next, start: start + label.length + 3, end: start + label.length + 3 + url.length };
  }
  return { value, start, end };
}

// ---- the editor -----------------------------------------------------------------------------------

/**
 * Opens an editor for `theme` in `host`. `text` and `base`: where to start (a draft, or the synthesis).
 * hooks: onSave(text, base) (only when the text differs from base), onClose(), drafts (synthesisDrafts).
 * Returns {root, update(theme, {orphan}), close()}.
 */
export function openSynthesisEditor({ host, theme, text, base, t, drafts, onSave, onClose }) {
  const n = `${theme.id}`.replace(/[^A-Za-z0-9_-]/g, '');
  const form = h('form', 'synthesis-editor');
  form.noValidate = true;
  const area = h('textarea', 'synthesis-editor__text');
  area.id = `synthesis-${n}`;
  area.value = text;
  area.maxLength = MAX_SYNTHESIS;
  area.rows = 8;
  area.spellcheck = true;
  area.setAttribute('autocapitalize', 'sentences');
  area.setAttribute('aria-label', format(t.editor_label, { theme: theme.title }));
  area.setAttribute('aria-describedby', `synthesis-hint-${n} synthesis-count-${n}`);

  const toolbar = h('div', 'synthesis-editor__toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', t.toolbar);
  toolbar.setAttribute('aria-controls', area.id);
  const tools = [['heading', t.heading, ''], ['bold', t.bold, 'Ctrl+B'], ['list', t.list, ''], ['link', t.link, 'Ctrl+K']];
  for (const [kind, label, keys] of tools) {
    const button = h('button', `button button--ghost synthesis-editor__tool synthesis-editor__tool--${kind}`, label);
    button.type = 'button';
    button.dataset.format = kind;
    if (keys) button.title = `${label} (${keys})`;
    toolbar.append(button);
  }

  const warning = h('p', 'synthesis-editor__warning');
  warning.setAttribute('role', 'status');
  warning.hidden = true;
  const meta = h('div', 'synthesis-editor__meta');
  const hint = h('span', 'synthesis-editor__hint', `${t.markdown_hint} · ${t.save_hint}`);
  hint.id = `synthesis-hint-${n}`;
  const counter = h('span', 'counter');
  counter.id = `synthesis-count-${n}`;
  meta.append(hint, counter);
  const buttons = h('div', 'synthesis-editor__buttons');
  const cancel = h('button', 'button button--secondary', t.cancel);
  cancel.type = 'button';
  const save = h('button', 'button button--primary', t.save);
  save.type = 'submit';
  buttons.append(cancel, save);
  form.append(toolbar, area, warning, meta, buttons);
  host.append(form);

  let closed = false;
  let orphan = false;
  let changedMeanwhile = false;

  const words = { heading: t.heading_placeholder, item: t.item_placeholder, bold: t.bold_placeholder, link: t.link_placeholder };

  function grow() {
    area.style.setProperty('height', 'auto');
    area.style.setProperty('height', `${Math.min(area.scrollHeight + 4, Math.round(window.innerHeight * 0.7))}px`);
  }

  const number = (n) => new Intl.NumberFormat(document.documentElement.lang || undefined).format(n);

  function counted() {
    const length = area.value.length;
    counter.textContent = `${number(length)} / ${number(MAX_SYNTHESIS)}`;
    counter.classList.toggle('counter--warn', length >= MAX_SYNTHESIS - 1000 && length < MAX_SYNTHESIS);
    counter.classList.toggle('counter--full', length >= MAX_SYNTHESIS);
  }

  function warn() {
    const message = orphan ? t.deleted_meanwhile : changedMeanwhile ? t.changed_meanwhile : '';
    warning.textContent = message;
    warning.hidden = !message;
  }

  // Written at each change, like the composer's draft: a reload right after typing loses nothing.
  function keepDraft() {
    if (closed) return;
    if (area.value === base) drafts.clear(theme.id);
    else drafts.set(theme.id, area.value, base);
  }

  function edited() {
    counted();
    grow();
    area.removeAttribute('aria-invalid');
    keepDraft();
  }

  function apply(kind) {
    const result = applyFormat(kind, area.value, area.selectionStart, area.selectionEnd, words);
    if (result.value.length > MAX_SYNTHESIS) return;
    area.focus();
    // Replace through the editing command where there is one, so the browser's Undo covers it.
    area.setSelectionRange(0, area.value.length);
    const viaCommand = typeof document.execCommand === 'function' && document.execCommand('insertText', false, result.value);
    if (!viaCommand || area.value !== result.value) {
      area.value = result.value;
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }
    area.setSelectionRange(result.start, result.end);
  }

  function close() {
    if (closed) return;
    closed = true;
    form.remove();
    onClose();
  }

  function submit() {
    const value = area.value.replace(/\s+$/, '');
    if (value.length > MAX_SYNTHESIS) {
      area.setAttribute('aria-invalid', 'true');
      warning.textContent = format(t.too_long, { max: number(MAX_SYNTHESIS) });
      warning.hidden = false;
      area.focus();
      return;
    }
    drafts.clear(theme.id);
    if (value !== base || orphan) onSave(value, base, { restore: orphan });
    close();
  }

  toolbar.addEventListener('click', (event) => {
    const button = event.target.closest('[data-format]');
    if (button) apply(button.dataset.format);
  });
  area.addEventListener('input', edited);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  cancel.addEventListener('click', () => {
    drafts.clear(theme.id);
    close();
  });
  form.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey;
    if (event.key === 'Enter' && mod) {
      event.preventDefault();
      submit();
    } else if (mod && !event.shiftKey && !event.altKey && (event.key === 'b' || event.key === 'k')) {
      event.preventDefault();
      apply(event.key === 'b' ? 'bold' : 'link');
    } else if (event.key === 'Escape' && area.value === base) {
      // Escape leaves an untouched editor; with changes it does nothing (Cancel is one Tab away).
      event.preventDefault();
      close();
    }
  });

  counted();
  requestAnimationFrame(() => {
    grow();
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  });

  return {
    root: form,
    /** The theme as it is now (warns when its synthesis changed since `base`, or it was deleted). */
    update(current, { orphan: gone = false } = {}) {
      orphan = gone;
      if (current && !current.pending) changedMeanwhile = current.synthesis !== base;
      warn();
    },
    close,
    focus: () => area.focus(),
  };
}
