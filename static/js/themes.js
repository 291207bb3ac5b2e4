// Themes on the board page (templates/board/_themes.html): creating, renaming, colouring and deleting
// themes, putting notes in them (drag onto the bar of themes, "Add notes", or the card editor's Theme
// choice), writing their synthesis (theme-editor.js), the theme badge on each card, "Marie is
// editing…" on cards and themes (editing.js), and the conflict dialog when a text edit is refused
// (text-conflicts.js, conflict-dialog.js). Everything goes out as ops through the page's outbox.

import { createConflictDialog } from './conflict-dialog.js';
import { createEditing, editingLabel } from './editing.js';
import { cardDecorator, themeField } from './theme-cards.js';
import { newThemeForm } from './theme-new.js';
import { createTextConflicts } from './text-conflicts.js';
import { createThemeDrop } from './theme-drop.js';
import { openSynthesisEditor, synthesisDrafts } from './theme-editor.js';
import { createThemeMenu } from './theme-menu.js';
import { createThemePicker } from './theme-picker.js';
import { format, uuid4 } from './sync.js';
import { $, readJson } from './ui.js';
import { ThemesView, countLabel } from './themes-view.js';

const UNDO_MS = 8000;

/** page: board.js's `page`; connection: its Connection; restoreText(text): a note's text set aside. */
export function createThemes(page, { connection, restoreText }) {
  const t = readJson('i18n-themes');
  const { state, enqueue, me, boardId } = page;
  const root = $('themes');
  const prefersReducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  let shown = []; // visible themes, display order
  let byId = new Map();
  let cardsShown = [];
  let badgeSig = '';

  // Some text of the page's own card editor, now that a text edit may end in the conflict dialog.
  page.t.changed_meanwhile = t.card_changed_meanwhile;

  // ---- names, drafts -------------------------------------------------------------------------------

  const names = new Map([[me.id, me.name]]);
  const nameOf = (id) => names.get(id) || editing.nameOf(id)
    || [...state.cards.values()].find((c) => c.author_id === id && c.author_name)?.author_name || null;

  const prefix = `collab:synthesis:${boardId}:${me.id}`;
  const store = synthesisDrafts(prefix);
  const draftIds = new Set();
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(`${prefix}:`)) draftIds.add(key.slice(prefix.length + 1));
  } catch {
    // No storage: no drafts.
  }
  const drafts = {
    get: (id) => (draftIds.has(id) ? store.get(id) : null),
    set(id, text, base) {
      draftIds.add(id);
      store.set(id, text, base);
    },
    clear(id) {
      draftIds.delete(id);
      store.clear(id);
    },
  };

  // ---- the parts ------------------------------------------------------------------------------------

  const editing = createEditing({
    connection,
    boardId,
    me,
    onChange(targets) {
      for (const target of targets) {
        const [kind, id] = target.split(':');
        if (kind === 'card') page.view.redecorate(id);
        else view.invalidate(id);
      }
      page.scheduleRender();
    },
  });

  const view = new ThemesView({
    list: $('themes-list'),
    t,
    isWritable: () => page.writable(),
    editingLabel: (id) => editingLabel(editing.who(`theme:${id}`), t),
    hasDraft: (id) => draftIds.has(id),
    onShowCard: (id) => showCard(id),
    onRemoveCard(card, theme) {
      enqueue('card.update', { id: card.id, theme_id: null });
      page.announce(format(t.removed_card, { theme: theme.title }));
    },
    onWrite: (theme) => openEditor(theme),
    onAddCards: (theme) => picker.open(theme),
    onMenu: (theme, button) => menu.toggle(theme, button),
    mounted: (entry) => drop.watch(entry.root), // a card dropped on the theme itself joins it
    unmounted: (entry) => drop.unwatch(entry.root),
  });

  const menu = createThemeMenu({
    view,
    t,
    colours: page.t.colours || {},
    send: (type, data) => enqueue(type, data),
    onDelete(theme) {
      const hadCards = cardsShown.some((c) => c.theme_id === theme.id);
      enqueue('theme.delete', { id: theme.id });
      page.showToast(format(t.deleted, { theme: theme.title }), {
        actionLabel: t.undo,
        timeout: UNDO_MS,
        onAction: () => enqueue('theme.restore', { id: theme.id }),
      });
      if (hadCards) page.view.redecorate();
      $('theme-new-button')?.focus();
    },
  });

  const picker = createThemePicker({
    t,
    cards: () => cardsShown,
    themeTitle: (id) => byId.get(id)?.title || '',
    zoneTitle: (id) => page.zones.zoneTitle(id),
    apply(theme, changes) {
      for (const { card, themeId } of changes) enqueue('card.update', { id: card.id, theme_id: themeId });
      page.announce(format(t.picker_done, { theme: theme.title }));
    },
  });

  const drop = createThemeDrop({ tray: $('theme-tray'), list: $('theme-tray-list') });

  const conflicts = createTextConflicts({
    dialog: createConflictDialog({ t }),
    enqueue: (type, data) => enqueue(type, data),
    t,
    nameOf,
    themeTitle: (id) => byId.get(id)?.title || '',
    restoreText,
    keepDraft(id, text, base) {
      drafts.set(id, text, base);
      view.invalidate(id);
      page.scheduleRender();
      page.showToast(t.draft_kept, { timeout: 10000 });
    },
  });

  newThemeForm({
    t,
    count: () => shown.length,
    writable: () => page.writable(),
    create(title) {
      const id = uuid4();
      enqueue('theme.create', { id, title });
      page.announce(format(t.created, { theme: title }));
      requestAnimationFrame(() => requestAnimationFrame(() => goToTheme(id, { focus: false })));
    },
  });

  // ---- notes and themes ------------------------------------------------------------------------------

  function showCard(id) {
    const smooth = !prefersReducedMotion();
    if (!(page.views && page.views.reveal(id, smooth))) page.view.reveal(id, smooth);
  }

  function goToTheme(id, { focus = true } = {}) {
    const entry = view.entries.get(id);
    if (!entry) return;
    entry.root.scrollIntoView({ block: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
    if (focus) {
      entry.root.tabIndex = -1;
      entry.root.focus({ preventScroll: true });
    }
    entry.root.classList.remove('theme--flash');
    void entry.root.offsetWidth; // restart the animation
    entry.root.classList.add('theme--flash');
  }

  function setTheme(cardId, themeId) {
    const card = cardsShown.find((c) => c.id === cardId);
    if (!card || (card.theme_id || null) === themeId) return;
    enqueue('card.update', { id: cardId, theme_id: themeId });
    const theme = byId.get(themeId);
    if (theme) page.announce(format(t.added_card, { theme: theme.title }));
  }

  // The theme badge and "… is editing" on each card (in .card__extras, see cards-view.js).
  page.view.addDecorator(cardDecorator({ t, themeOf: (id) => byId.get(id), whoEdits: (target) => editing.who(target), goToTheme }));

  // ---- the synthesis editor ----------------------------------------------------------------------------

  function openEditor(theme) {
    const entry = view.entries.get(theme.id);
    if (!entry || !page.writable()) return;
    if (entry.editor) return void entry.editor.focus();
    const draft = drafts.get(theme.id);
    const base = draft ? draft.base : theme.synthesis || '';
    entry.editor = openSynthesisEditor({
      host: entry.refs.editorHost,
      theme,
      text: draft ? draft.text : base,
      base,
      t,
      drafts,
      onSave(synthesis, from, { restore }) {
        if (restore) enqueue('theme.restore', { id: theme.id });
        enqueue('theme.update', { id: theme.id, synthesis, base_synthesis: from });
      },
      onClose() {
        entry.editor = null;
        editing.stop(`theme:${theme.id}`);
        if (entry.orphan) view.drop(entry);
        view.invalidate(theme.id);
        page.scheduleRender();
        requestAnimationFrame(() => {
          const { write, resume } = entry.refs;
          (write.isConnected && !write.hidden ? write : resume.isConnected ? resume : $('theme-new-button'))?.focus();
        });
      },
    });
    entry.editor.update(theme);
    editing.start(`theme:${theme.id}`);
    view.invalidate(theme.id);
    page.scheduleRender();
  }

  // ---- each render of the board ------------------------------------------------------------------------

  page.onRender((cards) => {
    cardsShown = cards;
    const confirmed = state.analysis.themes;
    shown = state.analysis.visibleThemes([...state.pending.values()]).map((theme) => ({
      ...theme,
      synthesis_rendered: !theme.synthesis || (confirmed.get(theme.id)?.synthesis === theme.synthesis && Boolean(theme.synthesis_html)),
    }));
    byId = new Map(shown.map((theme) => [theme.id, theme]));
    const byTheme = new Map();
    for (const card of cards) {
      if (card.theme_id && byId.has(card.theme_id)) {
        if (!byTheme.has(card.theme_id)) byTheme.set(card.theme_id, []);
        byTheme.get(card.theme_id).push(card);
      }
    }
    root.hidden = !state.ready && !shown.length;
    view.render(shown, byTheme);
    $('themes-empty').hidden = shown.length > 0;
    $('themes-total').textContent = shown.length ? countLabel(shown.length, t.total_one, t.total_other) : '';
    $('theme-new-button').hidden = !page.writable();
    drop.sync(page.writable() ? shown : []);
    const sig = shown.map((theme) => `${theme.id}\u0002${theme.title}\u0002${theme.colour}`).join('\u0001');
    if (sig !== badgeSig) {
      badgeSig = sig;
      page.view.redecorate();
    }
  });

  return {
    /** After connection.start(): listen to "… is editing". */
    start: () => editing.attach(),
    onEvent: (event) => conflicts.onEvent(event),
    failed: (op, error) => conflicts.failed(op, error || {}),
    presence(people) {
      for (const p of people || []) if (p && p.id && p.name) names.set(p.id, p.name);
      editing.presence(people);
    },
    /** A card was dropped on a theme of the bar (dnd.js). */
    dropOnTheme: (cardId, themeId) => setTheme(cardId, themeId),
    /** The card editor opened or closed. */
    cardEditStarted: (id) => editing.start(`card:${id}`),
    cardEditEnded: (id) => editing.stop(`card:${id}`),
    /** The card editor's Theme choice (card-editor.js `extend`): {root, changes(card)} or null. */
    cardEditorField: (card) => themeField(card, shown, t),
  };
}
