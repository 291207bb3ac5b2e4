// The conflict dialog (SYNC-12): an edit of a card's text or a theme's synthesis was refused because
// someone else saved another version meanwhile. Both versions side by side — "Your version" and
// theirs — and three ways out: keep mine (sent again, based on theirs), take theirs, or merge by hand
// in a textarea holding both. Closing it without choosing never loses the text: `onLater(mine)`.
// One dialog for the page; conflicts that arrive while one is shown wait their turn.

import { format } from './sync.js';
import { h, icon } from './ui.js';

/** What the merge box starts with: their version, then mine, unless one contains the other. */
export function mergeStart(mine, theirs) {
  const a = (theirs || '').trim();
  const b = (mine || '').trim();
  if (!a || b.includes(a)) return b;
  if (!b || a.includes(b)) return a;
  return `${a}\n\n${b}`;
}

/** t: strings (i18n-themes); max: the longest text allowed (for the merge box). */
export function createConflictDialog({ t }) {
  const queue = [];
  let shown = null; // {mine, theirs, onKeepMine, onTakeTheirs, onMerge, onLater, max}
  let settled = false;

  const dialog = h('dialog', 'dialog conflict');
  dialog.setAttribute('aria-labelledby', 'conflict-title');
  dialog.setAttribute('aria-describedby', 'conflict-text');
  const title = h('h2', 'dialog__title conflict__title');
  title.id = 'conflict-title';
  title.prepend(icon('alert', 'icon conflict__icon'));
  const titleText = h('span');
  title.append(titleText);
  const text = h('p', 'dialog__text');
  text.id = 'conflict-text';

  const column = (className, heading) => {
    const box = h('section', `conflict__version ${className}`);
    const label = h('h3', 'conflict__label', heading);
    const body = h('div', 'conflict__body');
    body.tabIndex = 0; // scrollable with the keyboard
    box.append(label, body);
    return { box, label, body };
  };
  const mineCol = column('conflict__version--mine', t.conflict_mine);
  const theirsCol = column('conflict__version--theirs', '');
  const versions = h('div', 'conflict__versions');
  versions.append(mineCol.box, theirsCol.box);

  const mergeBox = h('div', 'conflict__merge');
  mergeBox.hidden = true;
  const mergeLabel = h('label', 'conflict__label', t.conflict_merge_label);
  mergeLabel.htmlFor = 'conflict-merge-text';
  const mergeArea = h('textarea', 'conflict__merge-text');
  mergeArea.id = 'conflict-merge-text';
  mergeArea.rows = 10;
  const mergeHint = h('p', 'conflict__hint', t.conflict_merge_hint);
  mergeBox.append(mergeLabel, mergeHint, mergeArea);

  const button = (label, className, onClick) => {
    const b = h('button', `button ${className}`, label);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  };
  const choose = h('div', 'dialog__buttons conflict__buttons');
  const keepMine = button(t.conflict_keep_mine, 'button--primary', () => finish('keep'));
  const takeTheirs = button(t.conflict_take_theirs, 'button--secondary', () => finish('theirs'));
  const merge = button(t.conflict_merge, 'button--secondary', () => showMerge(true));
  choose.append(takeTheirs, merge, keepMine);
  const merging = h('div', 'dialog__buttons conflict__buttons');
  merging.hidden = true;
  const back = button(t.conflict_back, 'button--ghost', () => showMerge(false));
  const saveMerge = button(t.conflict_save_merge, 'button--primary', () => finish('merge'));
  merging.append(back, saveMerge);
  const later = button(t.conflict_later, 'button--ghost conflict__later', () => dialog.close());

  dialog.append(title, text, versions, mergeBox, choose, merging, later);

  function showMerge(on) {
    mergeBox.hidden = !on;
    choose.hidden = on;
    merging.hidden = !on;
    if (on) {
      if (!mergeArea.value) mergeArea.value = mergeStart(shown.mine, shown.theirs);
      mergeArea.removeAttribute('aria-invalid');
      mergeArea.focus();
    } else {
      merge.focus();
    }
  }

  function finish(choice) {
    if (!shown) return;
    const { onKeepMine, onTakeTheirs, onMerge, mine, allowEmpty } = shown;
    if (choice === 'merge') {
      const merged = mergeArea.value.trim();
      if ((!merged && !allowEmpty) || merged.length > shown.max) {
        mergeArea.setAttribute('aria-invalid', 'true');
        mergeArea.focus();
        return;
      }
      settled = true;
      dialog.close();
      onMerge(merged);
    } else {
      settled = true;
      dialog.close();
      if (choice === 'keep') onKeepMine(mine);
      else onTakeTheirs();
    }
  }

  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !mergeBox.hidden) {
      event.preventDefault();
      finish('merge');
    }
  });
  dialog.addEventListener('close', () => {
    const was = shown;
    shown = null;
    // Closed without a choice (Escape, "Decide later"): the text goes back where it can be found.
    if (was && !settled) was.onLater(was.mergeTouched ? mergeArea.value : was.mine);
    if (was && was.returnFocus && was.returnFocus.isConnected) was.returnFocus.focus();
    next();
  });
  mergeArea.addEventListener('input', () => {
    if (shown) shown.mergeTouched = true;
    mergeArea.removeAttribute('aria-invalid');
  });

  function next() {
    if (shown || !queue.length) return;
    shown = queue.shift();
    settled = false;
    titleText.textContent = shown.title || t.conflict_title;
    text.textContent = t.conflict_text;
    mineCol.body.textContent = shown.mine;
    theirsCol.body.textContent = shown.theirs;
    theirsCol.body.classList.toggle('conflict__body--empty', !shown.theirs);
    if (!shown.theirs) theirsCol.body.textContent = t.conflict_theirs_empty;
    theirsCol.label.textContent = shown.theirName ? format(t.conflict_theirs, { name: shown.theirName }) : t.conflict_theirs_anon;
    mergeArea.value = '';
    mergeArea.maxLength = shown.max;
    showMerge(false);
    if (!dialog.isConnected) document.body.append(dialog);
    dialog.showModal();
    keepMine.focus();
  }

  return {
    /**
     * Shows a conflict: {title?, mine, theirs, theirName?, max, allowEmpty?, returnFocus?,
     * onKeepMine(mine), onTakeTheirs(), onMerge(text), onLater(text)}.
     */
    open(conflict) {
      queue.push({ allowEmpty: false, returnFocus: document.activeElement, ...conflict });
      next();
    },
  };
}
