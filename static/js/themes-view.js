// The themes of a board as DOM (#themes-list): one <li> per theme, keyed by id and updated in place,
// with its colour, title, number of notes, its notes as small chips (show the note; remove it from the
// theme), who is editing its synthesis, and the synthesis itself. User text goes in with textContent;
// the only markup inserted is the server's sanitised `synthesis_html` (see `_synthesis`).

import { boardIcon } from './board-icons.js';
import { pluralForm } from './plural.js';
import { COLOURS, format } from './sync.js';
import { h, icon } from './ui.js';
import { setSafeHtml } from './safe-html.js';

const SNIPPET = 60;

/** "{count} note" or "{count} notes", by the page language's rules (0 is singular in French). */
export const countLabel = (count, one, other) => format(pluralForm(count) === 'one' ? one : other, { count });

export const snippet = (text, max = SNIPPET) => {
  const flat = String(text || '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export class ThemesView {
  /**
   * list: #themes-list; t: strings; hooks: isWritable(), editingLabel(themeId) -> '' | "Marie is editing…",
   * hasDraft(themeId), onShowCard(cardId), onRemoveCard(card, theme), onWrite(theme), onAddCards(theme),
   * onMenu(theme, button), mounted(entry) / unmounted(entry) (an element made / taken away)
   */
  constructor({ list, t, ...hooks }) {
    this.list = list;
    this.t = t;
    this.hooks = hooks;
    this.entries = new Map(); // id -> {id, root, refs, theme, sig, editor, orphan}
  }

  /** Shows `themes` (display order) with their cards (Map theme id -> cards in display order). */
  render(themes, cardsByTheme) {
    const seen = new Set();
    let previous = null;
    for (const theme of themes) {
      seen.add(theme.id);
      let entry = this.entries.get(theme.id);
      if (!entry) {
        entry = this._create(theme.id);
        this.entries.set(theme.id, entry);
        if (this.hooks.mounted) this.hooks.mounted(entry);
      }
      entry.orphan = false;
      this._update(entry, theme, cardsByTheme.get(theme.id) || []);
      const expected = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (expected !== entry.root) this.list.insertBefore(entry.root, expected);
      previous = entry.root;
    }
    for (const [id, entry] of this.entries) {
      if (seen.has(id)) continue;
      if (entry.editor) {
        // Deleted while its synthesis is being written: keep it, the text must not be lost.
        entry.orphan = true;
        entry.root.classList.add('theme--orphan');
        entry.editor.update(entry.theme, { orphan: true });
        continue;
      }
      this.drop(entry);
    }
  }

  /** Takes a theme's element away (gone, or its editor closed after it was deleted). */
  drop(entry) {
    if (this.hooks.unmounted) this.hooks.unmounted(entry);
    entry.root.remove();
    this.entries.delete(entry.id);
  }

  /** Redraw everything on the next render (writability, drafts or indicators changed). */
  invalidate(id = null) {
    for (const entry of this.entries.values()) if (id == null || entry.id === id) entry.sig = null;
  }

  _create(id) {
    const root = h('li', 'theme');
    root.dataset.themeId = id;
    const head = h('div', 'theme__head');
    const swatch = h('span', 'theme__swatch');
    const heading = h('h3', 'theme__title');
    heading.id = `theme-title-${id}`;
    const count = h('span', 'theme__count');
    const menu = h('button', 'button button--ghost button--icon theme__menu-button');
    menu.type = 'button';
    menu.setAttribute('aria-expanded', 'false');
    menu.append(boardIcon('more'));
    head.append(swatch, heading, count, menu);
    const editing = h('p', 'editing-badge theme__editing');
    editing.hidden = true;
    editing.setAttribute('role', 'status');
    const chips = h('ul', 'theme__cards');
    chips.setAttribute('aria-labelledby', heading.id);
    const noCards = h('p', 'theme__no-cards');
    const body = h('div', 'theme__synthesis');
    const synthesisLabel = h('h4', 'theme__synthesis-label');
    const rendered = h('div', 'theme__rendered markdown');
    const plain = h('p', 'theme__plain');
    plain.hidden = true;
    const empty = h('p', 'theme__no-synthesis');
    const editorHost = h('div', 'theme__editor');
    body.append(synthesisLabel, rendered, plain, empty, editorHost);
    const draft = h('p', 'theme__draft');
    draft.hidden = true;
    const draftText = h('span', 'theme__draft-text');
    const resume = h('button', 'button button--ghost theme__resume');
    resume.type = 'button';
    draft.append(draftText, resume);
    const foot = h('div', 'theme__foot');
    const write = h('button', 'button button--secondary theme__write');
    write.type = 'button';
    const add = h('button', 'button button--ghost theme__add');
    add.type = 'button';
    foot.append(write, add);
    root.setAttribute('aria-labelledby', heading.id);
    root.addEventListener('animationend', () => root.classList.remove('theme--flash'));
    root.append(head, editing, chips, noCards, body, draft, foot);
    const entry = {
      id,
      root,
      refs: { swatch, heading, count, menu, editing, chips, noCards, body, synthesisLabel, rendered, plain, empty,
        editorHost, draft, draftText, resume, foot, write, add },
      theme: null,
      sig: null,
      editor: null,
      orphan: false,
    };
    const current = () => entry.theme;
    menu.addEventListener('click', () => current() && this.hooks.onMenu(current(), menu));
    write.addEventListener('click', () => current() && this.hooks.onWrite(current()));
    resume.addEventListener('click', () => current() && this.hooks.onWrite(current()));
    add.addEventListener('click', () => current() && this.hooks.onAddCards(current()));
    chips.addEventListener('click', (event) => {
      const chip = event.target.closest('.theme-chip');
      if (!chip) return;
      const card = (entry.cards || []).find((c) => c.id === chip.dataset.cardId);
      if (event.target.closest('.theme-chip__remove')) {
        if (card && current()) this.hooks.onRemoveCard(card, current());
      } else if (event.target.closest('.theme-chip__open')) {
        this.hooks.onShowCard(chip.dataset.cardId);
      }
    });
    return entry;
  }

  _update(entry, theme, cards) {
    const { t } = this;
    const writable = this.hooks.isWritable();
    const editingLabel = this.hooks.editingLabel(theme.id);
    const hasDraft = !entry.editor && this.hooks.hasDraft(theme.id);
    const sig = [theme.version, theme.pending ? 1 : 0, theme.synthesis_rendered ? 1 : 0, theme.title, theme.colour, theme.synthesis, theme.synthesis_html,
      writable ? 1 : 0, editingLabel, hasDraft ? 1 : 0, entry.editor ? 1 : 0,
      cards.map((c) => `${c.id}\u0002${c.text}\u0002${c.pending ? 1 : 0}`).join('\u0003')].join('\u0001');
    entry.theme = theme;
    entry.cards = cards;
    if (entry.editor) entry.editor.update(theme);
    if (entry.sig === sig) return;
    entry.sig = sig;
    const { refs, root } = entry;
    const colour = COLOURS.includes(theme.colour) ? theme.colour : 'blue';
    root.className = ['theme', `theme--${colour}`, theme.pending ? 'theme--pending' : '', entry.editor ? 'theme--editing' : '']
      .filter(Boolean).join(' ');
    if (theme.pending) root.setAttribute('aria-busy', 'true');
    else root.removeAttribute('aria-busy');
    refs.heading.textContent = theme.title;
    refs.count.textContent = countLabel(cards.length, t.count_one, t.count_other);
    refs.menu.hidden = !writable || Boolean(entry.renaming);
    refs.menu.setAttribute('aria-label', format(t.menu_label, { theme: theme.title }));
    refs.menu.title = t.menu;
    refs.editing.hidden = !editingLabel;
    refs.editing.textContent = editingLabel;
    this._chips(refs, cards, writable);
    this._synthesis(refs, theme, entry);
    refs.draft.hidden = !hasDraft || !writable;
    refs.draftText.textContent = t.draft;
    refs.resume.textContent = t.resume;
    refs.foot.hidden = !writable || Boolean(entry.editor);
    refs.write.textContent = theme.synthesis ? t.edit : t.write;
    refs.write.hidden = hasDraft;
    refs.add.textContent = t.add_cards;
  }

  _chips(refs, cards, writable) {
    const { t } = this;
    refs.noCards.hidden = cards.length > 0;
    refs.noCards.textContent = t.no_cards;
    refs.chips.hidden = cards.length === 0;
    refs.chips.replaceChildren(...cards.map((card) => {
      const chip = h('li', `theme-chip theme-chip--${COLOURS.includes(card.colour) ? card.colour : 'yellow'}`);
      chip.dataset.cardId = card.id;
      if (card.pending) chip.classList.add('theme-chip--pending');
      const label = snippet(card.text);
      const open = h('button', 'theme-chip__open', label);
      open.type = 'button';
      open.title = format(t.show_card, { card: snippet(card.text, 120) });
      open.setAttribute('aria-label', open.title);
      chip.append(open);
      if (writable) {
        const remove = h('button', 'theme-chip__remove');
        remove.type = 'button';
        remove.setAttribute('aria-label', format(t.remove_card, { card: label }));
        remove.title = remove.getAttribute('aria-label');
        remove.append(icon('close', 'icon icon--small'));
        chip.append(remove);
      }
      return chip;
    }));
  }

  _synthesis(refs, theme, entry) {
    const { t } = this;
    const editing = Boolean(entry.editor);
    const text = theme.synthesis || '';
    // Our own save not yet confirmed: its text as plain text until the server's rendering arrives.
    const unrendered = Boolean(text) && !theme.synthesis_rendered;
    refs.synthesisLabel.textContent = unrendered && theme.pending ? `${t.synthesis} · ${t.saving}` : t.synthesis;
    refs.plain.hidden = editing || !unrendered;
    refs.plain.textContent = unrendered ? text : '';
    refs.rendered.hidden = editing || unrendered || !text;
    // `synthesis_html`: rendered and sanitised by the server (docs/protocol.md, "Theme fields").
    const html = !unrendered && text ? theme.synthesis_html || '' : '';
    if (entry.html !== html) {
      setSafeHtml(refs.rendered, html);
      entry.html = html;
    }
    refs.empty.hidden = editing || Boolean(text);
    refs.empty.textContent = t.no_synthesis;
  }
}
