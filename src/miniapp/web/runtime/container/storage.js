// Mini-program storage (wx.setStorage & co.) per user and per app, kept in the host's IndexedDB.
//
// Records are keyed [userKey, appid, key], so one user's data for an app never mixes with another
// user's, nor with the same user's data for another app. Each value is stored exactly as given
// (the logic layer's value together with its stored type info), by structured clone.
//
// Size rule (WeChat's limits), the same here and in the logic layer's synchronous copy:
//   size(key, value) = UTF-8 bytes of key + UTF-8 bytes of JSON.stringify(value)
//                      (0 for the value part when JSON.stringify gives undefined)
//   a write fails with "exceed storage item max length" when size > 1024 * 1024, and otherwise
//   with "exceed storage max size" when the sizes of every other key of that user and app plus
//   this size exceed 10 * 1024 * 1024; replacing a key first frees the old value's size.
// set() rejects with Error("setStorage:fail " + reason); checkStorageWrite() is the rule as a
// pure function and depends on nothing, so the logic layer can import or copy it.
//
// Writes (and reads) of one user's app run one after another in call order: a write started
// before a snapshot is in that snapshot. Across tabs, IndexedDB's transactions keep each write
// atomic, quota check included.

import { databaseOpener } from "/static/runtime/container/indexeddb.js";

export const ITEM_LIMIT_BYTES = 1024 * 1024;
export const TOTAL_LIMIT_BYTES = 10 * 1024 * 1024;
export const LIMIT_SIZE_KB = TOTAL_LIMIT_BYTES / 1024;
export const ITEM_TOO_LONG = "exceed storage item max length";
export const STORAGE_FULL = "exceed storage max size";

export const DATABASE_NAME = "miniapp-app-storage";
const DB_VERSION = 1;
const VALUES = "values"; // [userKey, appid, key] → the stored value
const SIZES = "sizes"; // [userKey, appid, key] → its size in bytes (so quotas never read values)

/** Length of text in UTF-8 bytes (a lone surrogate counts as U+FFFD: 3 bytes). */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else {
        bytes += 3;
      }
    } else bytes += 3;
  }
  return bytes;
}

/** Bytes a key and its value count for: UTF-8 of the key plus UTF-8 of the value's JSON. */
export function entrySize(key, value) {
  const json = JSON.stringify(value);
  return utf8Length(String(key)) + (json === undefined ? 0 : utf8Length(json));
}

function checkSize(sizes, key, size) {
  if (size > ITEM_LIMIT_BYTES) return ITEM_TOO_LONG;
  let others = 0;
  const pairs = sizes instanceof Map ? sizes.entries() : Object.entries(sizes);
  for (const [name, bytes] of pairs) if (name !== key) others += bytes;
  return others + size > TOTAL_LIMIT_BYTES ? STORAGE_FULL : null;
}

/**
 * Would writing key = value fit? sizes: the current {key: bytes} (a Map or a plain object) of that
 * user and app. Returns {size, error}: error null when it fits, else ITEM_TOO_LONG or STORAGE_FULL
 * (WeChat's reason; prefix it with "setStorage:fail " or "setStorageSync:fail ").
 */
export function checkStorageWrite(sizes, key, value) {
  const size = entrySize(key, value);
  return { size, error: checkSize(sizes, String(key), size) };
}

// --- IndexedDB ---------------------------------------------------------------------------------

const openDatabase = databaseOpener(DATABASE_NAME, DB_VERSION, [VALUES, SIZES]);

/** Run body(stores, abort) in one transaction; resolves with what body set on `out` at commit. */
function transaction(db, mode, body) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction([VALUES, SIZES], mode);
    const out = { value: undefined, error: null };
    tx.oncomplete = () => resolve(out.value);
    tx.onabort = () => reject(out.error ?? tx.error ?? new Error("storage: transaction aborted"));
    const abort = (error) => {
      out.error = error;
      tx.abort();
    };
    body({ values: tx.objectStore(VALUES), sizes: tx.objectStore(SIZES) }, out, abort);
  });
}

/** Keys and values of one range, read in the same transaction and paired (both in key order). */
function readAll(store, range, done) {
  const keys = store.getAllKeys(range);
  const values = store.getAll(range);
  values.onsuccess = () => done(keys.result.map((key, index) => [key[2], values.result[index]]));
}

// Writes and reads of one user's app run in call order, whatever happens to the ones before.
const queues = new Map();

function enqueue(id, task) {
  const previous = queues.get(id) ?? Promise.resolve();
  const run = previous.then(task);
  const tail = run.catch(() => {});
  queues.set(id, tail);
  tail.then(() => {
    if (queues.get(id) === tail) queues.delete(id);
  });
  return run;
}

class AppStorage {
  constructor(userKey, appid) {
    this.userKey = userKey;
    this.appid = appid;
    this._queue = JSON.stringify([userKey, appid]);
    this._range = IDBKeyRange.bound([userKey, appid, ""], [userKey, appid, []]);
  }

  _id(key) {
    return [this.userKey, this.appid, key];
  }

  _run(mode, body) {
    return enqueue(this._queue, async () => transaction(await openDatabase(), mode, body));
  }

  /** Everything stored for this user and app, {key: value}, read in one transaction. */
  snapshot() {
    return this._run("readonly", ({ values }, out) => {
      readAll(values, this._range, (pairs) => {
        out.value = Object.fromEntries(pairs);
      });
    });
  }

  /** One key's value, or undefined. */
  get(key) {
    return this._run("readonly", ({ values }, out) => {
      const request = values.get(this._id(String(key)));
      request.onsuccess = () => {
        out.value = request.result;
      };
    });
  }

  /** Store value under key, exactly as given; rejects with WeChat's errMsg when over quota. */
  set(key, value) {
    const name = String(key);
    let size;
    try {
      size = entrySize(name, value);
    } catch (error) {
      return Promise.reject(new Error(`setStorage:fail ${error.message}`));
    }
    if (size > ITEM_LIMIT_BYTES) return Promise.reject(new Error(`setStorage:fail ${ITEM_TOO_LONG}`));
    return this._run("readwrite", ({ values, sizes }, _out, abort) => {
      readAll(sizes, this._range, (pairs) => {
        const error = checkSize(new Map(pairs), name, size);
        if (error) {
          abort(new Error(`setStorage:fail ${error}`));
          return;
        }
        try {
          values.put(value, this._id(name));
        } catch (cloneError) {
          abort(new Error(`setStorage:fail ${cloneError.message}`));
          return;
        }
        sizes.put(size, this._id(name));
      });
    });
  }

  remove(key) {
    return this._run("readwrite", ({ values, sizes }) => {
      values.delete(this._id(String(key)));
      sizes.delete(this._id(String(key)));
    });
  }

  /** Remove everything stored for this user and app (and nothing else). */
  clear() {
    return this._run("readwrite", ({ values, sizes }) => {
      values.delete(this._range);
      sizes.delete(this._range);
    });
  }

  /** wx.getStorageInfo: {keys, currentSize (KB, rounded up), limitSize (KB)}. */
  info() {
    return this._run("readonly", ({ sizes }, out) => {
      readAll(sizes, this._range, (pairs) => {
        const bytes = pairs.reduce((sum, [, size]) => sum + size, 0);
        out.value = {
          keys: pairs.map(([key]) => key),
          currentSize: Math.ceil(bytes / 1024),
          limitSize: LIMIT_SIZE_KB,
        };
      });
    });
  }
}

/** The storage of one user (any stable string naming them) for one app. */
export async function openAppStorage({ userKey, appid } = {}) {
  if (typeof userKey !== "string" || !userKey || typeof appid !== "string" || !appid) {
    throw new TypeError("openAppStorage: userKey and appid must be non-empty strings");
  }
  await openDatabase();
  return new AppStorage(userKey, appid);
}
