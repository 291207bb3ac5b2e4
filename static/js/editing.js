// "Marie is editing…": who edits which card or theme synthesis right now (docs/protocol.md,
// `board:editing` and `editing`). Volatile, over the socket only: this page says what it edits when
// an editor opens, again every REFRESH_MS while it stays open, and `null` when it closes; it forgets
// someone else's indicator after EXPIRE_MS without news, or when they leave the board (presence).

const REFRESH_MS = 10000;
const EXPIRE_MS = 25000;
const SWEEP_MS = 5000;
const RETRY_MS = 1500;

/**
 * connection: the page's Connection (its `socket` exists once started); me: this participant;
 * onChange(targets): the targets whose indicators changed (a Set of "card:<id>" / "theme:<id>").
 */
export function createEditing({ connection, boardId, me, onChange = () => {} }) {
  const others = new Map(); // participant id -> {name, target, at}
  const mine = []; // the targets of this page's open editors, the newest last
  let said = null; // what the server was last told
  let refresh = null;
  let retry = null;
  let sweeper = null; // runs only while someone else's indicator is shown
  let attached = false;

  const current = () => (mine.length ? mine[mine.length - 1] : null);

  function send() {
    clearTimeout(retry);
    const socket = connection.socket;
    const target = current();
    if (!socket || !socket.connected) {
      said = null; // say it again once connected
      return;
    }
    if (target === null && said === null) return;
    socket.timeout(5000).emit('board:editing', { board_id: boardId, target }, (err, ack) => {
      if (!err && ack && ack.ok) {
        said = target;
        return;
      }
      // Not joined yet (just reconnected), or rate-limited: try once more soon.
      const code = ack && ack.error && ack.error.code;
      if (err || code === 'forbidden' || code === 'rate_limited') retry = setTimeout(send, RETRY_MS);
    });
  }

  function schedule() {
    clearInterval(refresh);
    refresh = current() ? setInterval(send, REFRESH_MS) : null;
  }

  function changed(targets) {
    const set = new Set([...targets].filter(Boolean));
    if (set.size) onChange(set);
  }

  function receive(message) {
    if (!message || message.board_id !== boardId || !message.participant_id || message.participant_id === me.id) return;
    const before = others.get(message.participant_id);
    const target = typeof message.target === 'string' ? message.target : null;
    if (target) others.set(message.participant_id, { name: String(message.name || ''), target, at: Date.now() });
    else others.delete(message.participant_id);
    tidy();
    if (!before || before.target !== target) changed([before && before.target, target]);
  }

  function sweep() {
    const now = Date.now();
    const gone = [];
    for (const [id, entry] of others) {
      if (now - entry.at > EXPIRE_MS) {
        others.delete(id);
        gone.push(entry.target);
      }
    }
    tidy();
    changed(gone);
  }

  function tidy() {
    if (others.size && !sweeper) sweeper = setInterval(sweep, SWEEP_MS);
    if (!others.size && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }

  return {
    /** Listens to the socket; call once Connection.start() has made it. */
    attach() {
      const socket = connection.socket;
      if (attached || !socket) return;
      attached = true;
      socket.on('editing', receive);
      // After a reconnection the server forgot us: say it again (board:join comes first, hence the retry).
      socket.on('connect', () => {
        said = null;
        if (current()) send();
      });
    },
    /** An editor of `target` ("card:<id>" or "theme:<id>") opened on this page. */
    start(target) {
      const i = mine.indexOf(target);
      if (i >= 0) mine.splice(i, 1);
      mine.push(target);
      send();
      schedule();
    },
    /** That editor closed. */
    stop(target) {
      const i = mine.indexOf(target);
      if (i < 0) return;
      mine.splice(i, 1);
      send();
      schedule();
    },
    /** The people (others) editing `target`, by name. */
    who(target) {
      return [...others.values()].filter((e) => e.target === target).map((e) => e.name).sort();
    },
    /** The presence list changed: whoever left stops editing. */
    presence(people) {
      const here = new Set((people || []).map((p) => p && p.id));
      const gone = [];
      for (const [id, entry] of others) {
        if (!here.has(id)) {
          others.delete(id);
          gone.push(entry.target);
        }
      }
      tidy();
      changed(gone);
    },
    /** A name learned from the indicators (for the conflict dialog). */
    nameOf(participantId) {
      const entry = others.get(participantId);
      return entry ? entry.name : null;
    },
  };
}

/** "Marie is editing…", "Marie and Paul are editing…" (strings from the page). */
export function editingLabel(names, t) {
  if (!names.length) return '';
  if (names.length === 1) return t.editing_one.replace('{name}', names[0]);
  const last = names[names.length - 1];
  return t.editing_many.replace('{names}', names.slice(0, -1).join(', ')).replace('{last}', last);
}
