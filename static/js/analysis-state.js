// The analysis side of a board's state: themes, comments and the dot vote (docs/protocol.md,
// SYNC-12 … SYNC-14). Pure and DOM-free (node-tested); BoardState (sync.js) feeds it the snapshot and
// every applied event, and asks it for pending overlays of this client's own unconfirmed ops.

/** Themes sort like cards: `position` (code-unit order), then `created_at`, then `id`. */
export function compareThemes(a, b) {
  for (const key of ['position', 'created_at', 'id']) {
    const x = a[key] || '';
    const y = b[key] || '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export class AnalysisState {
  /** `selfId`: this participant's id, to know which dots and reactions are theirs. */
  constructor(selfId = null) {
    this.selfId = selfId;
    this.themes = new Map(); // id -> theme (not deleted)
    this.deletedThemes = new Map();
    this.comments = new Map(); // id -> comment (deleted ones too: replies stay under them)
    this.vote = null; // {vote, tally, mine, used_by} as in the snapshot, kept up to date
  }

  applySnapshot({ themes, comments, vote } = {}) {
    this.themes = new Map();
    this.deletedThemes = new Map();
    for (const theme of themes || []) this._putTheme(theme);
    this.comments = new Map((comments || []).map((c) => [c.id, c]));
    this.vote = vote ? { tally: {}, mine: {}, used_by: {}, ...vote } : null;
  }

  applyEvent(event) {
    const data = event.data || {};
    if (data.theme) this._putTheme(data.theme);
    if (data.comment) this.comments.set(data.comment.id, data.comment);
    if (data.vote) {
      const same = this.vote && this.vote.vote.id === data.vote.id;
      this.vote = {
        vote: data.vote,
        tally: data.tally || {},
        mine: same ? this.vote.mine : {},
        used_by: same ? this.vote.used_by : {},
      };
    }
    if (event.type === 'vote.dot' && this.vote && this.vote.vote.id === data.vote_id) this._dot(data);
  }

  _putTheme(theme) {
    if (!theme || !theme.id) return;
    if (theme.deleted) {
      this.themes.delete(theme.id);
      this.deletedThemes.set(theme.id, theme);
    } else {
      this.deletedThemes.delete(theme.id);
      this.themes.set(theme.id, theme);
    }
  }

  _dot(data) {
    const v = this.vote;
    if (data.voter_id) v.used_by = { ...v.used_by, [data.voter_id]: data.used };
    if (data.card_id && typeof data.count === 'number') v.tally = { ...v.tally, [data.card_id]: data.count };
    if (data.card_id && data.voter_id === this.selfId && typeof data.mine === 'number') {
      v.mine = { ...v.mine, [data.card_id]: data.mine };
    }
  }

  // ---- display, with this client's pending ops overlaid -------------------------------------

  /** Live themes in display order; `pending` is BoardState.pending's values. */
  visibleThemes(pending = []) {
    const view = new Map(this.themes);
    for (const { op } of pending) {
      const data = op.data || {};
      if (op.type === 'theme.create' && data.id && !view.has(data.id) && !this.deletedThemes.has(data.id)) {
        view.set(data.id, {
          id: data.id, title: data.title, synthesis: '', synthesis_html: '', colour: data.colour || 'blue',
          position: data.position || '\uffff', version: 0, deleted: false, created_at: '', pending: true,
        });
      } else if (op.type === 'theme.update' && view.has(data.id)) {
        const next = { ...view.get(data.id), pending: true };
        for (const key of ['title', 'synthesis', 'colour', 'position']) if (key in data) next[key] = data[key];
        view.set(data.id, next);
      } else if (op.type === 'theme.delete') {
        view.delete(data.id);
      } else if (op.type === 'theme.restore' && this.deletedThemes.has(data.id)) {
        view.set(data.id, { ...this.deletedThemes.get(data.id), deleted: false, pending: true });
      }
    }
    return [...view.values()].sort(compareThemes);
  }

  /** A card's comments as threads: [{comment, replies: [...]}], oldest first, pending ones included. */
  threads(cardId, pending = [], meta = {}) {
    const all = [...this.comments.values()].filter((c) => c.card_id === cardId);
    const known = new Set(all.map((c) => c.id));
    for (const { op, meta: m } of pending) {
      const data = op.data || {};
      if (op.type === 'comment.add' && data.card_id === cardId && data.id && !known.has(data.id)) {
        const who = { ...meta, ...m };
        all.push({
          id: data.id, card_id: cardId, parent_id: data.parent_id || null, author_id: who.author_id || null,
          author_name: who.author_name || '', text: data.text, deleted: false, created_at: '\uffff', pending: true,
        });
      } else if (op.type === 'comment.delete') {
        const i = all.findIndex((c) => c.id === data.id);
        if (i >= 0) all[i] = { ...all[i], deleted: true, text: '', pending: true };
      }
    }
    all.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));
    const top = all.filter((c) => !c.parent_id).map((c) => ({ comment: c, replies: [] }));
    const byId = new Map(top.map((t) => [t.comment.id, t]));
    for (const c of all) if (c.parent_id && byId.has(c.parent_id)) byId.get(c.parent_id).replies.push(c);
    // A thread whose first comment was deleted and has no reply disappears.
    return top.filter((t) => !t.comment.deleted || t.replies.length);
  }

  /** Number of live comments on each card. */
  commentCounts() {
    const counts = new Map();
    for (const c of this.comments.values()) {
      if (!c.deleted) counts.set(c.card_id, (counts.get(c.card_id) || 0) + 1);
    }
    return counts;
  }

  /**
   * The vote as this person sees it, pending dots included: null, or {vote, open, visible, tally,
   * mine, used, left, voters}. `visible`: counts can be shown (live vote, revealed or closed).
   */
  voteView(pending = []) {
    if (!this.vote) return null;
    const { vote } = this.vote;
    const mine = { ...this.vote.mine };
    const tally = { ...this.vote.tally };
    const visible = !vote.hidden || vote.revealed || vote.status === 'closed';
    for (const { op, ackedSeq } of pending) {
      if (op.type !== 'vote.dot' || ackedSeq != null || (op.data || {}).vote_id !== vote.id) continue;
      const { card_id: cardId, delta } = op.data;
      mine[cardId] = Math.max(0, (mine[cardId] || 0) + delta);
      if (visible) tally[cardId] = Math.max(0, (tally[cardId] || 0) + delta);
    }
    const used = Object.values(mine).reduce((a, b) => a + b, 0);
    const voters = Object.values(this.vote.used_by).filter((n) => n > 0).length;
    return { vote, open: vote.status === 'open', visible, tally, mine, used, left: Math.max(0, vote.dots - used), voters };
  }
}
