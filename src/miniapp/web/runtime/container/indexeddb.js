// Opening the host's IndexedDB databases (storage.js: wx.setStorage's data; files.js: the user
// files). Each is opened once per page, and opened again after another tab's upgrade closed it.

/**
 * A function returning (a promise of) the open database `name` at `version`; `stores` are the
 * object stores it must have (created on upgrade).
 */
export function databaseOpener(name, version, stores) {
  let database = null;
  return function open() {
    if (database) return database;
    database = new Promise((resolve, reject) => {
      const request = indexedDB.open(name, version);
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const store of stores) if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => {
          db.close();
          database = null;
        };
        db.onclose = () => {
          database = null;
        };
        resolve(db);
      };
      request.onerror = () => {
        database = null;
        reject(request.error);
      };
      request.onblocked = () => {
        // Another tab holds an older version open; it closes on versionchange, then we go on.
      };
    });
    return database;
  };
}
