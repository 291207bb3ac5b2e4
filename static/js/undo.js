// Undo and redo of one's own last changes on a board. Pure and DOM-free (node --test).
//
// Before an op is queued, `beforeOf` keeps what its target looked like on this screen; once the
// server has acknowledged it, `UndoStack.acked` records the op with its inverse (`inverseOf`):
//   card.create -> card.delete        card.delete -> card.restore      card.restore -> card.delete
//   card.move   -> card.move back to the old zone and position
//   card.update -> card.update with the old values of the changed fields; a text change carries
//                  `base_text` = the text this user set, so that the server answers `conflict`
//                  when someone changed the text since (we never undo over someone else's edit)
//   zone.add -> zone.remove, zone.rename -> the old title, zone.move -> the old place
//   theme.create/delete/restore/update like cards (a synthesis change carries `base_synthesis`),
//   card.react -> the same reaction toggled back, comment.add -> comment.delete
// `blockerOf` checks an inverse against the board as it is now, before it is sent. New op types
// are made undoable by adding a line to INVERSES (and, if they need it, to BEFORE and BLOCKERS).

export const UNDO_LIMIT = 20;

const CARD_FIELDS = ['text', 'kind', 'colour', 'zone', 'position', 'visit_id', 'actor', 'media_id', 'tags', 'theme_id'];
// What a card has when a field was never set (these fields cannot be set to null).
const DEFAULTS = { kind: 'note', colour: 'yellow', actor: '', tags: [], synthesis: '' };
const NULLABLE = new Set(['visit_id', 'media_id', 'theme_id']);
const clone = (value) => (value == null ? value : JSON.parse(JSON.stringify(value)));
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The card as this client shows it: the server's copy with this client's queued ops on it, in order. */
export function cardAsShown(state, id) {
  let card = state.cards.get(id) || state.deleted.get(id) || null;
  card = card ? { ...card } : null;
  for (const { op } of state.pending.values()) {
    const data = op.data || {};
    if (data.id !== id) continue;
    if (op.type === 'card.create' && !card) {
      card = { zone: 'inbox', position: '', kind: 'note', colour: 'yellow', actor: '', tags: [], ...data, deleted: false };
    } else if (!card) {
      continue;
    } else if (op.type === 'card.update') {
      for (const field of CARD_FIELDS) if (field in data) card[field] = data[field];
    } else if (op.type === 'card.move') {
      card.zone = data.zone;
      if (typeof data.position === 'string') card.position = data.position;
    } else if (op.type === 'card.delete' || op.type === 'card.restore') {
      card.deleted = op.type === 'card.delete';
    }
  }
  return card;
}

const cardBefore = (state, op) => ({ card: clone(cardAsShown(state, (op.data || {}).id)) });
const zonesBefore = (state) => ({ zones: clone((state.board && state.board.zones) || []) });

const themeBefore = (state, op) => {
  const analysis = state.analysis;
  const id = (op.data || {}).id;
  return { theme: clone((analysis && (analysis.themes.get(id) || analysis.deletedThemes.get(id))) || null) };
};

const BEFORE = {
  card: cardBefore,
  zone: zonesBefore,
  theme: themeBefore,
  comment: (state, op) => ({ card: clone(cardAsShown(state, (op.data || {}).card_id)) }),
};

/** What undoing `op` will need to know of the board before it is applied. */
export function beforeOf(state, op) {
  const family = String(op.type).split('.')[0];
  return BEFORE[family] ? BEFORE[family](state, op) : {};
}

const cardOf = (op, before, after) => (after && after.card) || before.card || op.data || {};

const INVERSES = {
  'card.create': (op, before, after) => ({ type: 'card.delete', data: { id: cardOf(op, before, after).id || op.data.id } }),
  'card.delete': (op) => ({ type: 'card.restore', data: { id: op.data.id } }),
  'card.restore': (op) => ({ type: 'card.delete', data: { id: op.data.id } }),
  'card.move': (op, before) => {
    if (!before.card) return null;
    return { type: 'card.move', data: { id: op.data.id, zone: before.card.zone || 'inbox', position: before.card.position || '' } };
  },
  'card.update': (op, before, after) => fieldsBack(op, before.card, after && after.card, 'text', 'base_text'),
  'card.react': (op, before, after) => {
    const was = before.card && (before.card.reactions || {})[op.data.reaction];
    const is = after && after.card && (after.card.reactions || {})[op.data.reaction];
    if (before.card && after && after.card && same(was, is)) return null; // changed nothing
    return { type: 'card.react', data: { id: op.data.id, reaction: op.data.reaction, on: !op.data.on } };
  },
  'theme.create': (op, before, after) => {
    const id = (after && after.theme && after.theme.id) || op.data.id;
    return id ? { type: 'theme.delete', data: { id } } : null;
  },
  'theme.delete': (op) => ({ type: 'theme.restore', data: { id: op.data.id } }),
  'theme.restore': (op) => ({ type: 'theme.delete', data: { id: op.data.id } }),
  'theme.update': (op, before, after) => fieldsBack(op, before.theme, after && after.theme, 'synthesis', 'base_synthesis'),
  'comment.add': (op, before, after) => {
    const id = (after && after.comment && after.comment.id) || op.data.id;
    return id ? { type: 'comment.delete', data: { id } } : null; // a deleted comment cannot come back: no redo
  },
  'zone.add': (op, before, after) => {
    const known = new Set((before.zones || []).map((z) => z.id));
    const added = ((after && after.zones) || []).find((z) => !known.has(z.id));
    const id = op.data.id || (added && added.id);
    return id ? { type: 'zone.remove', data: { id } } : null;
  },
  'zone.rename': (op, before) => {
    const zone = (before.zones || []).find((z) => z.id === op.data.id);
    return zone && zone.title !== op.data.title ? { type: 'zone.rename', data: { id: zone.id, title: zone.title } } : null;
  },
  'zone.move': (op, before) => {
    const index = (before.zones || []).findIndex((z) => z.id === op.data.id);
    return index > 0 ? { type: 'zone.move', data: { id: op.data.id, index } } : null;
  },
};

/**
 * An update putting back the old values of the fields `op` changed (`was`: the object before it).
 * `guarded`: the long text field whose undo carries `base` = the text this op set, so that the
 * server refuses it (`conflict`) when someone else changed that text since.
 */
function fieldsBack(op, was, now, guarded, base) {
  if (!was) return null;
  const data = { id: op.data.id };
  for (const field of Object.keys(op.data)) {
    if (field === 'id' || field === base) continue;
    const old = clone(was[field] ?? (field in DEFAULTS ? DEFAULTS[field] : null));
    if (field === 'text' && (typeof old !== 'string' || !old.trim())) return null;
    if (old === null && !NULLABLE.has(field)) return null;
    if (!same(old, op.data[field])) data[field] = old;
  }
  if (Object.keys(data).length === 1) return null;
  if (guarded in data) data[base] = now && typeof now[guarded] === 'string' ? now[guarded] : String(op.data[guarded]).trim();
  return { type: op.type, data };
}

/** The op that undoes `op` ({type, data}), or null when it cannot be undone. `after` is its event's data. */
export function inverseOf(op, before = {}, after = null) {
  const make = INVERSES[op.type];
  if (!make || !op.data) return null;
  return make(op, before || {}, after) || null;
}

/**
 * Why `inverse` cannot be applied to the board as it is now (`state`), or null when it can:
 *   'gone'    the card was deleted (or has already been deleted) meanwhile
 *   'already' the card is already back
 *   'changed' someone changed what we would put back since
 */
export function blockerOf(inverse, record, state) {
  const check = BLOCKERS[inverse.type];
  return check ? check(inverse, record, state) : null;
}

const shownCard = (state, inverse) => cardAsShown(state, inverse.data.id);

const shownTheme = (state, inverse) => {
  const analysis = state.analysis;
  const id = inverse.data.id;
  if (!analysis) return null;
  const live = analysis.themes.get(id);
  if (live) return live;
  const gone = analysis.deletedThemes.get(id);
  return gone ? { ...gone, deleted: true } : null;
};

/** Fields of `inverse` someone changed since `after` (the object as our op left it): 'changed' or null. */
function changedSince(inverse, current, after, skip) {
  for (const field of Object.keys(inverse.data)) {
    if (field === 'id' || field === skip || !after || !(field in after)) continue;
    if (!same(current[field], after[field])) return 'changed';
  }
  return null;
}

const BLOCKERS = {
  'card.delete': (inverse, record, state) => {
    const card = shownCard(state, inverse);
    return !card || card.deleted ? 'gone' : null;
  },
  'card.restore': (inverse, record, state) => {
    const card = shownCard(state, inverse);
    if (!card) return 'gone';
    return card.deleted ? null : 'already';
  },
  'card.move': (inverse, record, state) => {
    const card = shownCard(state, inverse);
    if (!card || card.deleted) return 'gone';
    const after = (record.after && record.after.card) || {};
    return card.zone !== after.zone || (card.position || '') !== (after.position || '') ? 'changed' : null;
  },
  'card.update': (inverse, record, state) => {
    const card = shownCard(state, inverse);
    if (!card || card.deleted) return 'gone';
    return changedSince(inverse, card, record.after && record.after.card, 'base_text');
  },
  'card.react': (inverse, record, state) => {
    const card = shownCard(state, inverse);
    return !card || card.deleted ? 'gone' : null;
  },
  'comment.delete': (inverse, record, state) => {
    const comment = state.analysis && state.analysis.comments.get(inverse.data.id);
    return comment && comment.deleted ? 'gone' : null;
  },
  'theme.delete': (inverse, record, state) => {
    const theme = shownTheme(state, inverse);
    return !theme || theme.deleted ? 'gone' : null;
  },
  'theme.restore': (inverse, record, state) => {
    const theme = shownTheme(state, inverse);
    if (!theme) return 'gone';
    return theme.deleted ? null : 'already';
  },
  'theme.update': (inverse, record, state) => {
    const theme = shownTheme(state, inverse);
    if (!theme || theme.deleted) return 'gone';
    return changedSince(inverse, theme, record.after && record.after.theme, 'base_synthesis');
  },
};

/**
 * This page's undo and redo stacks for one person on one board (the last UNDO_LIMIT changes).
 *
 *   track(op, before, kind)  when an op is queued: kind 'do' (a change of the user), 'undo' or 'redo'
 *   acked(op, result)        when the server applied it: records it; returns the record, or null
 *   failed(op)               when it was refused: forgets it; returns its kind, or null
 *   takeUndo() / takeRedo()  the record to undo (or redo) now, off its stack
 *   take(opId)               that very change, wherever it is on the undo stack (a toast's "Undo")
 *   later(opId)              undo that change as soon as it is acknowledged; false if unknown
 */
export class UndoStack {
  constructor({ limit = UNDO_LIMIT } = {}) {
    this.limit = limit;
    this.undos = [];
    this.redos = [];
    this._sent = new Map(); // op_id -> {before, kind, label, undoWhenAcked}
  }

  track(op, before = {}, kind = 'do', label = null) {
    this._sent.set(op.op_id, { before, kind, label, undoWhenAcked: false });
  }

  isTracked(opId) {
    return this._sent.has(opId);
  }

  acked(op, result) {
    const sent = this._sent.get(op.op_id);
    if (!sent) return null;
    this._sent.delete(op.op_id);
    if (!result || !result.ok) return null;
    const after = (result.event && result.event.data) || null;
    const inverse = inverseOf(op, sent.before, after);
    if (sent.kind === 'do') this.redos.length = 0; // a new change: what was undone stays undone
    if (!inverse) return null;
    const record = { op, before: sent.before, after, inverse, kind: sent.kind, label: sent.label, undoNow: sent.undoWhenAcked };
    const stack = sent.kind === 'undo' ? this.redos : this.undos;
    stack.push(record);
    if (stack.length > this.limit) stack.splice(0, stack.length - this.limit);
    return record;
  }

  failed(op) {
    const sent = this._sent.get(op.op_id);
    this._sent.delete(op.op_id);
    return sent ? sent.kind : null;
  }

  get canUndo() {
    return this.undos.length > 0;
  }

  get canRedo() {
    return this.redos.length > 0;
  }

  peekUndo() {
    return this.undos[this.undos.length - 1] || null;
  }

  peekRedo() {
    return this.redos[this.redos.length - 1] || null;
  }

  takeUndo() {
    return this.undos.pop() || null;
  }

  takeRedo() {
    return this.redos.pop() || null;
  }

  take(opId) {
    const index = this.undos.findIndex((r) => r.op.op_id === opId);
    return index < 0 ? null : this.undos.splice(index, 1)[0];
  }

  later(opId) {
    const sent = this._sent.get(opId);
    if (!sent) return false;
    sent.undoWhenAcked = true;
    return true;
  }
}
