// Where the outbox lives: IndexedDB in browsers (it survives closing the tab, killing the browser
// and rebooting the phone), or memory when IndexedDB is missing (tests, some private modes).
//
// Both stores have the same small async interface, used by outbox.js:
//   list(owner)        the items of one participant, oldest first (by `seq`)
//   add(item)          stores a new item, returns its `seq` (order of arrival, never reused)
//   update(seq, fn)    atomically: fn(item) returns the new item, null to delete it, or undefined
//                      to leave it; resolves to the item as stored afterwards (null if none)
//   delete(seq)
//   kvGet(key), kvSet(key, value), kvDelete(key)   small settings (the join token, caches)
//
// DOM-free: runs under node:test with fake-indexeddb.

export const DB_NAME = 'collab';
export const DB_VERSION = 1;
const OUTBOX = 'outbox';
const KV = 'kv';

const clone = (value) => (typeof structuredClone === 'function' ? structuredClone(value) : JSON.parse(JSON.stringify(value)));

export class MemoryStore {
  constructor() {
    this.persistent = false;
    this._items = new Map();
    this._kv = new Map();
    this._next = 1;
  }

  async list(owner) {
    return [...this._items.values()]
      .filter((item) => item.owner === owner)
      .sort((a, b) => a.seq - b.seq)
      .map(clone);
  }

  async add(item) {
    const seq = this._next++;
    this._items.set(seq, clone({ ...item, seq }));
    return seq;
  }

  async update(seq, fn) {
    const current = this._items.get(seq);
    if (!current) return null;
    const next = fn(clone(current));
    if (next === null) {
      this._items.delete(seq);
      return null;
    }
    if (next === undefined) return clone(current);
    this._items.set(seq, clone({ ...next, seq }));
    return clone(next);
  }

  async delete(seq) {
    this._items.delete(seq);
  }

  async kvGet(key) {
    return this._kv.has(key) ? clone(this._kv.get(key)) : undefined;
  }

  async kvSet(key, value) {
    this._kv.set(key, clone(value));
  }

  async kvDelete(key) {
    this._kv.delete(key);
  }
}

function transaction(db, names, mode, body) {
  // Callback style on purpose: no `await` between a read and the write that depends on it, so the
  // transaction never closes in between, on any browser.
  return new Promise((resolve, reject) => {
    let tx;
    try {
      tx = db.transaction(names, mode);
    } catch (err) {
      reject(err);
      return;
    }
    let result;
    let failure = null;
    const set = (value) => {
      result = value;
    };
    const fail = (err) => {
      failure = err;
      tx.abort();
    };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(failure || tx.error || new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(failure || tx.error || new Error('IndexedDB transaction aborted'));
    body(tx, set, fail);
  });
}

export class IdbStore {
  constructor(db) {
    this.db = db;
    this.persistent = true;
  }

  list(owner) {
    return transaction(this.db, [OUTBOX], 'readonly', (tx, set) => {
      const request = tx.objectStore(OUTBOX).index('owner').getAll(owner);
      request.onsuccess = () => set(request.result.sort((a, b) => a.seq - b.seq));
    });
  }

  add(item) {
    return transaction(this.db, [OUTBOX], 'readwrite', (tx, set) => {
      const record = { ...item };
      delete record.seq;
      const request = tx.objectStore(OUTBOX).add(record);
      request.onsuccess = () => set(request.result);
    });
  }

  update(seq, fn) {
    return transaction(this.db, [OUTBOX], 'readwrite', (tx, set, fail) => {
      const store = tx.objectStore(OUTBOX);
      const request = store.get(seq);
      set(null);
      request.onsuccess = () => {
        const current = request.result;
        if (!current) return;
        let next;
        try {
          next = fn(current);
        } catch (err) {
          fail(err);
          return;
        }
        if (next === null) {
          store.delete(seq);
        } else if (next === undefined) {
          set(current);
        } else {
          const record = { ...next, seq };
          store.put(record);
          set(record);
        }
      };
    });
  }

  delete(seq) {
    return transaction(this.db, [OUTBOX], 'readwrite', (tx) => {
      tx.objectStore(OUTBOX).delete(seq);
    });
  }

  kvGet(key) {
    return transaction(this.db, [KV], 'readonly', (tx, set) => {
      const request = tx.objectStore(KV).get(key);
      request.onsuccess = () => set(request.result);
    });
  }

  kvSet(key, value) {
    return transaction(this.db, [KV], 'readwrite', (tx) => {
      tx.objectStore(KV).put(value, key);
    });
  }

  kvDelete(key) {
    return transaction(this.db, [KV], 'readwrite', (tx) => {
      tx.objectStore(KV).delete(key);
    });
  }

  close() {
    this.db.close();
  }
}

/** Opens (and creates or upgrades) the database. Rejects when IndexedDB is unusable. */
export function openIdbStore({ indexedDB = globalThis.indexedDB, name = DB_NAME } = {}) {
  return new Promise((resolve, reject) => {
    if (!indexedDB) {
      reject(new Error('IndexedDB is not available'));
      return;
    }
    let request;
    try {
      request = indexedDB.open(name, DB_VERSION);
    } catch (err) {
      reject(err);
      return;
    }
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(OUTBOX)) {
        const outbox = db.createObjectStore(OUTBOX, { keyPath: 'seq', autoIncrement: true });
        outbox.createIndex('owner', 'owner', { unique: false });
      }
      if (!db.objectStoreNames.contains(KV)) db.createObjectStore(KV);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab opening a newer version: let it, this page reloads when it next needs the db.
      db.onversionchange = () => db.close();
      resolve(new IdbStore(db));
    };
    request.onerror = () => reject(request.error || new Error('IndexedDB open failed'));
    request.onblocked = () => reject(new Error('IndexedDB open blocked'));
  });
}

let shared = null;

/**
 * The page's store: IndexedDB, or memory when that fails (the page then warns that notes only
 * last while it stays open). Opened once per page.
 */
export function openStore(options) {
  if (!shared) {
    shared = openIdbStore(options).catch(() => new MemoryStore());
  }
  return shared;
}

/** The participant's access key, kept so that an expired session can be renewed offline-first. */
export const tokenKey = (participantId) => `token:${participantId}`;
