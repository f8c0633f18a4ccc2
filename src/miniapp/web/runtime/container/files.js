// The mini programs' user files (wx.getFileSystemManager's `wxfile://usr/…`, and wx.saveFile's
// `wxfile://store_…`) per user and per app, kept in the host's IndexedDB (as storage.js keeps
// wx.setStorage's data).
//
// Records are keyed [userKey, appid, path]; a record is {dir: boolean, data: ArrayBuffer | null,
// mtime: seconds}. The logic layer keeps the synchronous copy (the Sync methods need one) and
// sends each change here as a batch `[{path, entry | null}]`, applied in one transaction, in call
// order. The quota is checked here too (the logic layer cannot be trusted to): the bytes of every
// file of that user and app must stay within FILE_QUOTA_BYTES.

import { databaseOpener } from "/static/runtime/container/indexeddb.js";

export const FILE_QUOTA_BYTES = 50 * 1024 * 1024;
export const QUOTA_EXCEEDED = "the maximum size of the file storage limit is exceeded";
export const DATABASE_NAME = "miniapp-app-files";
const STORE = "entries";
// What a path may be: the user directory and what is under it, or a saved file.
export const PERSISTED_PATH = /^wxfile:\/\/(usr(\/[^\0]*)?|store_[A-Za-z0-9._-]{1,200})$/;
const MAX_PATH = 1024;

const openDatabase = databaseOpener(DATABASE_NAME, 1, [STORE]);

/** A checked change, or null when it is not one: {path, entry: {dir, data, mtime} | null}. */
export function checkChange(change) {
  if (!change || typeof change !== "object") return null;
  const { path, entry } = change;
  if (typeof path !== "string" || path.length > MAX_PATH || !PERSISTED_PATH.test(path)) return null;
  if (path.split("/").some((part) => part === "." || part === "..")) return null;
  if (entry === null) return { path, entry: null };
  if (!entry || typeof entry !== "object" || typeof entry.dir !== "boolean") return null;
  const mtime = Number.isFinite(entry.mtime) ? Math.floor(entry.mtime) : Math.floor(Date.now() / 1000);
  if (entry.dir) return { path, entry: { dir: true, data: null, mtime } };
  let data = entry.data;
  if (ArrayBuffer.isView(data)) data = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  if (!(data instanceof ArrayBuffer)) return null;
  return { path, entry: { dir: false, data, mtime } };
}

class AppFiles {
  constructor(userKey, appid) {
    this.userKey = userKey;
    this.appid = appid;
    this.range = IDBKeyRange.bound([userKey, appid, ""], [userKey, appid, []]);
    this.sizes = new Map(); // path → bytes (files only), for the quota
    this.queue = Promise.resolve();
  }

  get used() {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  run(mode, body) {
    const next = this.queue.then(async () => {
      const db = await openDatabase();
      return new Promise((resolve, reject) => {
        const tx = db.transaction([STORE], mode);
        const out = { value: undefined };
        tx.oncomplete = () => resolve(out.value);
        tx.onabort = () => reject(tx.error || new Error("files: transaction aborted"));
        body(tx.objectStore(STORE), out);
      });
    });
    this.queue = next.catch(() => {});
    return next;
  }

  /** Every entry of this user and app: {path: {dir, data, mtime}}. */
  snapshot() {
    return this.run("readonly", (store, out) => {
      const keys = store.getAllKeys(this.range);
      const values = store.getAll(this.range);
      values.onsuccess = () => {
        const files = {};
        this.sizes.clear();
        keys.result.forEach((key, i) => {
          const entry = values.result[i];
          files[key[2]] = entry;
          if (!entry.dir && entry.data) this.sizes.set(key[2], entry.data.byteLength);
        });
        out.value = files;
      };
    });
  }

  /** Applies checked changes in one transaction; throws Error(QUOTA_EXCEEDED) over the quota. */
  apply(changes) {
    const sizes = new Map(this.sizes);
    for (const { path, entry } of changes) {
      if (entry && !entry.dir) sizes.set(path, entry.data.byteLength);
      else sizes.delete(path);
    }
    let total = 0;
    for (const size of sizes.values()) total += size;
    if (total > FILE_QUOTA_BYTES) return Promise.reject(new Error(QUOTA_EXCEEDED));
    this.sizes = sizes;
    return this.run("readwrite", (store) => {
      for (const { path, entry } of changes) {
        const key = [this.userKey, this.appid, path];
        if (entry) store.put(entry, key);
        else store.delete(key);
      }
    });
  }
}

/** The files of one user (any stable string naming them) for one app. */
export async function openAppFiles({ userKey, appid } = {}) {
  if (typeof userKey !== "string" || !userKey || typeof appid !== "string" || !appid) {
    throw new TypeError("openAppFiles: userKey and appid must be non-empty strings");
  }
  await openDatabase();
  return new AppFiles(userKey, appid);
}
