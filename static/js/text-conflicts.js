// What the page does when the server refuses a text edit with `conflict` (SYNC-12): a card's text
// (`card.update` with `base_text`) or a theme's synthesis (`theme.update` with `base_synthesis`).
// The other fields of the refused op are not in conflict and are sent again at once; the text goes to
// the conflict dialog, and whatever is chosen is sent based on the version saved meanwhile. Also
// remembers who last changed each text (from the events), to name them in the dialog.

import { MAX_TEXT, format } from './sync.js';
import { MAX_SYNTHESIS } from './theme-editor.js';

/**
 * dialog: the conflict dialog; enqueue(type, data); t: theme strings; nameOf(participantId);
 * keepDraft(themeId, text, base): a synthesis set aside; restoreText(text): a note's text set aside.
 */
export function createTextConflicts({ dialog, enqueue, t, nameOf, keepDraft, restoreText, themeTitle }) {
  const writers = new Map(); // "card:<id>" / "theme:<id>" -> {actor, text}: who saved the text we know

  function writerName(key, current) {
    const writer = writers.get(key);
    return writer && writer.text === current ? nameOf(writer.actor) : null;
  }

  /** Sends the fields of a refused op that are not the text (with the id), if there are any. */
  function resendRest(type, data, textKeys) {
    const rest = { ...data };
    for (const key of textKeys) delete rest[key];
    if (Object.keys(rest).length > 1) enqueue(type, rest);
  }

  function cardConflict(op, current) {
    const { id, text: mine } = op.data;
    const theirs = current.text || '';
    resendRest('card.update', op.data, ['text', 'base_text']);
    const send = (text) => {
      if (current.deleted) enqueue('card.restore', { id });
      enqueue('card.update', { id, text, base_text: theirs });
    };
    dialog.open({
      title: t.conflict_card_title,
      mine,
      theirs,
      theirName: writerName(`card:${id}`, theirs),
      max: MAX_TEXT,
      onKeepMine: send,
      onTakeTheirs: () => {},
      onMerge: send,
      onLater: (text) => restoreText(text),
    });
  }

  function themeConflict(op, current) {
    const { id, synthesis: mine } = op.data;
    const theirs = current.synthesis || '';
    resendRest('theme.update', op.data, ['synthesis', 'base_synthesis']);
    const send = (synthesis) => {
      if (current.deleted) enqueue('theme.restore', { id });
      enqueue('theme.update', { id, synthesis, base_synthesis: theirs });
    };
    dialog.open({
      title: format(t.conflict_theme_title, { theme: current.title || themeTitle(id) }),
      mine,
      theirs,
      theirName: writerName(`theme:${id}`, theirs),
      max: MAX_SYNTHESIS,
      allowEmpty: true,
      onKeepMine: send,
      onTakeTheirs: () => {},
      onMerge: send,
      onLater: (text) => keepDraft(id, text, theirs),
    });
  }

  return {
    /** An applied event: remember who changed which text. */
    onEvent(event) {
      const data = event.data || {};
      if (event.type === 'card.update' && data.card) track(`card:${data.card.id}`, data.card.text, event.actor_id);
      if (event.type === 'theme.update' && data.theme) track(`theme:${data.theme.id}`, data.theme.synthesis, event.actor_id);
    },
    /** A refused op: true when handled here (the caller then forgets the op). */
    failed(op, error) {
      const data = op.data || {};
      const current = error && error.current;
      if (error.code === 'conflict' && current && op.type === 'card.update' && typeof data.text === 'string') {
        cardConflict(op, current);
        return true;
      }
      if (error.code === 'conflict' && current && op.type === 'theme.update' && typeof data.synthesis === 'string') {
        themeConflict(op, current);
        return true;
      }
      if (op.type === 'theme.update' && typeof data.synthesis === 'string') {
        // Refused for another reason (invalid, locked…): the text stays as a draft of the synthesis.
        keepDraft(data.id, data.synthesis, typeof data.base_synthesis === 'string' ? data.base_synthesis : data.synthesis);
      }
      return false;
    },
  };

  function track(key, text, actor) {
    const known = writers.get(key);
    if (!known || known.text !== text) writers.set(key, { actor, text });
  }
}
