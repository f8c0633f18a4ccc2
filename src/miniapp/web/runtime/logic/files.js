// wx APIs: files and transfers (see wx.js `extend`). A classic script loaded by the worker after
// wx.js.
//
// - wx.getFileSystemManager(): the user's files under wxfile://usr (wx.env.USER_DATA_PATH), per
//   user and per app. The logic layer keeps them in memory (loaded with `start`, see worker.js),
//   so the Sync methods are synchronous as WeChat's are; every change is sent to the host to be
//   persisted (`fsApply`, container/apis/files.js, IndexedDB). Quota: FILE_QUOTA bytes for user
//   and saved files together (WeChat: 200 MB; a browser's storage holds less).
// - Temporary files (downloadFile's tempFilePath `http://tmp/…`) live in memory for the app's
//   run; wx.saveFile moves one to `wxfile://store_…` (persisted, within the same quota).
// - wx.downloadFile / wx.uploadFile go through the host to our server's proxy (domain-checked).
// - <image src="wxfile://…"> shows the file: the framework asks `localFileUrl` for a data: URL
//   (the view is another opaque origin: a blob: URL made here would not load there).
(function () {
  "use strict";
  const W = self.MiniappWx;
  const F = self.MiniappFramework;
  const { api, callHost, syncly } = W;

  const USR = "wxfile://usr";
  const FILE_QUOTA = 50 * 1024 * 1024;
  const QUOTA_EXCEEDED = "the maximum size of the file storage limit is exceeded";
  const MAX_TASKS = 10;

  // path → {dir: boolean, data: Uint8Array | null, mtime: seconds}. User files and saved files.
  const entries = new Map();
  // temp path → {data: Uint8Array, mtime}.
  const temps = new Map();
  let usedBytes = 0;
  let nextTemp = 1;
  const encoder = new TextEncoder();

  const now = () => Math.floor(Date.now() / 1000);
  const fail = (errMsg) => ({ errMsg });

  // ---- paths ----------------------------------------------------------------------------------

  // {kind: "usr" | "store" | "temp" | "other", path (normalised), escaped}
  function classify(raw) {
    if (typeof raw !== "string") return { kind: "other", path: String(raw) };
    if (raw === USR || raw.startsWith(`${USR}/`)) {
      const parts = [];
      let escaped = false;
      for (const part of raw.slice(USR.length).split("/")) {
        if (part === "" || part === ".") continue;
        if (part === "..") {
          if (parts.length === 0) escaped = true;
          else parts.pop();
        } else parts.push(part);
      }
      if (escaped) return { kind: "other", path: raw };
      return { kind: "usr", path: parts.length ? `${USR}/${parts.join("/")}` : USR };
    }
    if (/^wxfile:\/\/store_[A-Za-z0-9._-]+$/.test(raw)) return { kind: "store", path: raw };
    if (/^http:\/\/tmp\/[A-Za-z0-9._-]+$/.test(raw) || /^wxfile:\/\/tmp_[A-Za-z0-9._-]+$/.test(raw)) return { kind: "temp", path: raw };
    return { kind: "other", path: raw };
  }

  function parentOf(path) {
    return path === USR ? null : path.slice(0, path.lastIndexOf("/"));
  }

  function nameOf(path) {
    return path.slice(path.lastIndexOf("/") + 1);
  }

  // The entry at a path of any kind, or null.
  function lookup(raw) {
    const where = classify(raw);
    if (where.kind === "usr") {
      if (where.path === USR) return { dir: true, data: null, mtime: 0 };
      return entries.get(where.path) || null;
    }
    if (where.kind === "store") return entries.get(where.path) || null;
    if (where.kind === "temp") {
      const temp = temps.get(where.path);
      return temp ? { dir: false, data: temp.data, mtime: temp.mtime } : null;
    }
    return null;
  }

  function childrenOf(dir) {
    const prefix = `${dir}/`;
    const out = [];
    for (const path of entries.keys()) {
      if (path.startsWith(prefix) && !path.slice(prefix.length).includes("/")) out.push(path);
    }
    return out;
  }

  function descendantsOf(dir) {
    const prefix = `${dir}/`;
    return Array.from(entries.keys()).filter((p) => p.startsWith(prefix));
  }

  // ---- changes: checked against the quota, applied in memory, persisted by the host -----------

  function commit(name, changes) {
    let used = usedBytes;
    for (const { path, entry } of changes) {
      const old = entries.get(path);
      if (old && !old.dir) used -= old.data.byteLength;
      if (entry && !entry.dir) used += entry.data.byteLength;
    }
    if (used > FILE_QUOTA) throw fail(`${name}:fail ${QUOTA_EXCEEDED}`);
    for (const { path, entry } of changes) {
      if (entry) entries.set(path, entry);
      else entries.delete(path);
    }
    usedBytes = used;
    const wire = changes.map(({ path, entry }) => ({
      path,
      entry: entry ? { dir: entry.dir, data: entry.dir ? null : entry.data.slice().buffer, mtime: entry.mtime } : null,
    }));
    const persisted = callHost("fsApply", { changes: wire });
    persisted.catch((error) => {
      // The memory copy is ahead of the stored one: say so where the developer looks.
      self.MiniappFramework.state.post({ t: "log", level: "error", args: [`${name}: the file could not be stored (${error && error.errMsg})`] });
    });
    return persisted.then(
      () => undefined,
      () => undefined,
    );
  }

  function loadFiles(snapshot) {
    entries.clear();
    usedBytes = 0;
    for (const [path, entry] of Object.entries(snapshot || {})) {
      if (!entry || typeof entry !== "object") continue;
      const where = classify(path);
      if (where.kind !== "usr" && where.kind !== "store") continue;
      const data = entry.dir ? null : new Uint8Array(entry.data instanceof ArrayBuffer ? entry.data : new ArrayBuffer(0));
      entries.set(where.path, { dir: Boolean(entry.dir), data, mtime: Number(entry.mtime) || 0 });
      if (data) usedBytes += data.byteLength;
    }
  }

  // ---- encodings ------------------------------------------------------------------------------

  function bytesToBase64(bytes) {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }

  function base64ToBytes(name, text) {
    let bin;
    try {
      bin = atob(String(text).replace(/[\s]/g, ""));
    } catch {
      throw fail(`${name}:fail base64 encode error`);
    }
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
    return out;
  }

  const ENCODINGS = new Set(["ascii", "base64", "binary", "hex", "ucs2", "ucs-2", "utf16le", "utf-16le", "utf-8", "utf8", "latin1"]);

  function checkEncoding(name, encoding) {
    if (encoding === undefined || encoding === null || encoding === "") return null;
    const e = String(encoding).toLowerCase();
    if (!ENCODINGS.has(e)) throw fail(`${name}:fail Invalid encoding ${encoding}`);
    return e;
  }

  function decode(bytes, encoding) {
    switch (encoding) {
      case null:
        return bytes.slice().buffer;
      case "utf8":
      case "utf-8":
        return new TextDecoder().decode(bytes);
      case "base64":
        return bytesToBase64(bytes);
      case "hex":
        return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      case "ucs2":
      case "ucs-2":
      case "utf16le":
      case "utf-16le":
        return new TextDecoder("utf-16le").decode(bytes);
      case "ascii":
        return Array.from(bytes, (b) => String.fromCharCode(b & 0x7f)).join("");
      default: // binary, latin1
        return Array.from(bytes, (b) => String.fromCharCode(b)).join("");
    }
  }

  function encode(name, data, encoding) {
    if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    if (typeof data !== "string") throw fail(`${name}:fail parameter error: parameter.data should be String or ArrayBuffer`);
    switch (checkEncoding(name, encoding) || "utf8") {
      case "base64":
        return base64ToBytes(name, data);
      case "hex": {
        if (data.length % 2 || /[^0-9a-f]/i.test(data)) throw fail(`${name}:fail Invalid argument`);
        const out = new Uint8Array(data.length / 2);
        for (let i = 0; i < out.length; i += 1) out[i] = parseInt(data.substr(i * 2, 2), 16);
        return out;
      }
      case "ucs2":
      case "ucs-2":
      case "utf16le":
      case "utf-16le": {
        const out = new Uint8Array(data.length * 2);
        for (let i = 0; i < data.length; i += 1) {
          out[i * 2] = data.charCodeAt(i) & 0xff;
          out[i * 2 + 1] = data.charCodeAt(i) >> 8;
        }
        return out;
      }
      case "ascii":
      case "binary":
      case "latin1":
        return Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff);
      default:
        return encoder.encode(data);
    }
  }

  // ---- the operations (name: the API's name for errMsg; throw {errMsg}) -------------------------

  function writable(name, raw, verb = "open") {
    const where = classify(raw);
    if (where.kind !== "usr") throw fail(`${name}:fail permission denied, ${verb} ${raw}`);
    return where.path;
  }

  function requireDirParent(name, path, message) {
    const parent = entries.get(parentOf(path)) || (parentOf(path) === USR ? { dir: true } : null);
    if (!parent) throw fail(`${name}:fail ${message}`);
    if (!parent.dir) throw fail(`${name}:fail not a directory ${parentOf(path)}`);
  }

  function readableFile(name, raw, message) {
    const where = classify(raw);
    if (where.kind === "other") {
      // Code package files (and anything else) are not readable here.
      throw fail(`${name}:fail not supported`);
    }
    const entry = lookup(raw);
    if (!entry) throw fail(`${name}:fail ${message}`);
    return entry;
  }

  function access(name, path) {
    if (typeof path !== "string") throw fail(`${name}:fail parameter error: parameter.path should be String`);
    if (!lookup(path)) throw fail(`${name}:fail no such file or directory ${path}`);
  }

  function writeFile(name, filePath, data, encoding, append) {
    const path = writable(name, filePath);
    const bytes = encode(name, data, encoding);
    const old = entries.get(path);
    if (path === USR || (old && old.dir)) throw fail(`${name}:fail illegal operation on a directory, open ${filePath}`);
    if (append && !old) throw fail(`${name}:fail no such file or directory, open ${filePath}`);
    requireDirParent(name, path, `no such file or directory, open ${filePath}`);
    let content = bytes;
    if (append) {
      content = new Uint8Array(old.data.byteLength + bytes.byteLength);
      content.set(old.data, 0);
      content.set(bytes, old.data.byteLength);
    }
    return commit(name, [{ path, entry: { dir: false, data: content, mtime: now() } }]);
  }

  function readFile(name, filePath, encoding, position, length) {
    const enc = checkEncoding(name, encoding);
    const entry = readableFile(name, filePath, `no such file or directory, open ${filePath}`);
    if (entry.dir) throw fail(`${name}:fail illegal operation on a directory, open ${filePath}`);
    let bytes = entry.data;
    if (position !== undefined || length !== undefined) {
      const start = position === undefined ? 0 : Number(position);
      const count = length === undefined ? bytes.byteLength - start : Number(length);
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > bytes.byteLength) {
        throw fail(`${name}:fail the value of "position" or "length" is out of range`);
      }
      bytes = bytes.subarray(start, start + count);
    }
    return decode(bytes, enc);
  }

  function mkdir(name, dirPath, recursive) {
    const path = writable(name, dirPath);
    if (lookup(path)) throw fail(`${name}:fail file already exists ${dirPath}`);
    const changes = [];
    if (recursive) {
      const missing = [];
      for (let p = path; p !== USR && !entries.has(p); p = parentOf(p)) missing.unshift(p);
      for (const p of missing) {
        const parent = parentOf(p);
        if (parent !== USR && !missing.includes(parent) && !entries.get(parent).dir) throw fail(`${name}:fail not a directory ${parent}`);
        changes.push({ path: p, entry: { dir: true, data: null, mtime: now() } });
      }
    } else {
      requireDirParent(name, path, `no such file or directory ${dirPath}`);
      changes.push({ path, entry: { dir: true, data: null, mtime: now() } });
    }
    return commit(name, changes);
  }

  function readdir(name, dirPath) {
    const where = classify(dirPath);
    if (where.kind !== "usr") throw fail(`${name}:fail permission denied, open ${dirPath}`);
    const entry = lookup(where.path);
    if (!entry) throw fail(`${name}:fail no such file or directory ${dirPath}`);
    if (!entry.dir) throw fail(`${name}:fail not a directory ${dirPath}`);
    return childrenOf(where.path).map(nameOf).sort();
  }

  function rmdir(name, dirPath, recursive) {
    const path = writable(name, dirPath);
    if (path === USR) throw fail(`${name}:fail permission denied, open ${dirPath}`);
    const entry = entries.get(path);
    if (!entry) throw fail(`${name}:fail no such file or directory ${dirPath}`);
    if (!entry.dir) throw fail(`${name}:fail not a directory ${dirPath}`);
    const inside = descendantsOf(path);
    if (inside.length && !recursive) throw fail(`${name}:fail directory not empty`);
    return commit(name, [...inside, path].map((p) => ({ path: p, entry: null })));
  }

  function unlink(name, filePath) {
    const where = classify(filePath);
    if (where.kind !== "usr" && where.kind !== "store" && where.kind !== "temp") throw fail(`${name}:fail permission denied, open ${filePath}`);
    if (where.kind === "temp") {
      if (!temps.delete(where.path)) throw fail(`${name}:fail no such file or directory ${filePath}`);
      return Promise.resolve();
    }
    const entry = entries.get(where.path) || (where.path === USR ? { dir: true } : null);
    if (!entry) throw fail(`${name}:fail no such file or directory ${filePath}`);
    if (entry.dir) throw fail(`${name}:fail operation not permitted, unlink ${filePath}`);
    return commit(name, [{ path: where.path, entry: null }]);
  }

  function rename(name, oldPath, newPath) {
    const from = classify(oldPath);
    const to = writable(name, newPath, "rename");
    const message = `no such file or directory, rename ${oldPath} -> ${newPath}`;
    if (from.kind !== "usr" && from.kind !== "temp" && from.kind !== "store") throw fail(`${name}:fail permission denied, rename ${oldPath} -> ${newPath}`);
    const entry = lookup(oldPath);
    if (!entry || from.path === USR) throw fail(`${name}:fail ${message}`);
    requireDirParent(name, to, message);
    if (to === from.path) return Promise.resolve();
    if (to.startsWith(`${from.path}/`)) throw fail(`${name}:fail Invalid argument`);
    const target = entries.get(to);
    if (target && target.dir && (!entry.dir || childrenOf(to).length)) throw fail(`${name}:fail ${entry.dir ? "directory not empty" : "illegal operation on a directory"}`);
    if (from.kind === "temp") {
      const changed = commit(name, [{ path: to, entry: { dir: false, data: entry.data, mtime: now() } }]);
      temps.delete(from.path);
      return changed;
    }
    const changes = [{ path: from.path, entry: null }, { path: to, entry }];
    for (const p of descendantsOf(from.path)) {
      changes.push({ path: p, entry: null }, { path: to + p.slice(from.path.length), entry: entries.get(p) });
    }
    return commit(name, changes);
  }

  function copyFile(name, srcPath, destPath) {
    const to = writable(name, destPath, "copyFile");
    const message = `no such file or directory, copyFile ${srcPath} -> ${destPath}`;
    const entry = readableFile(name, srcPath, message);
    if (entry.dir) throw fail(`${name}:fail illegal operation on a directory, copyFile ${srcPath} -> ${destPath}`);
    const target = entries.get(to);
    if (to === USR || (target && target.dir)) throw fail(`${name}:fail illegal operation on a directory, copyFile ${srcPath} -> ${destPath}`);
    requireDirParent(name, to, message);
    return commit(name, [{ path: to, entry: { dir: false, data: entry.data.slice(), mtime: now() } }]);
  }

  class Stats {
    constructor(entry) {
      this.mode = entry.dir ? 0o40777 : 0o100666;
      this.size = entry.dir ? 0 : entry.data.byteLength;
      this.lastAccessedTime = entry.mtime;
      this.lastModifiedTime = entry.mtime;
      Object.defineProperty(this, "dirFlag", { value: entry.dir, enumerable: false });
    }
    isDirectory() {
      return this.dirFlag;
    }
    isFile() {
      return !this.dirFlag;
    }
  }

  function stat(name, path, recursive) {
    const entry = lookup(path);
    if (!entry) throw fail(`${name}:fail no such file or directory ${path}`);
    const where = classify(path);
    if (!recursive || !entry.dir) return new Stats(entry);
    // WeChat: with recursive on a directory, an array of {path (relative, "/" for itself), stats}.
    const list = [{ path: "/", stats: new Stats(entry) }];
    for (const p of descendantsOf(where.path).sort()) list.push({ path: p.slice(where.path.length), stats: new Stats(entries.get(p)) });
    return list;
  }

  // ---- saved files and temp files -------------------------------------------------------------

  function extensionOf(text) {
    const m = /\.([A-Za-z0-9]{1,8})$/.exec(String(text || "").split(/[?#]/)[0]);
    return m ? `.${m[1].toLowerCase()}` : "";
  }

  function randomName() {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("") + (nextTemp++).toString(36);
  }

  function addTemp(bytes, ext) {
    const path = `http://tmp/${randomName()}${ext}`;
    temps.set(path, { data: bytes, mtime: now() });
    return path;
  }

  function saveFile(name, tempFilePath, filePath) {
    const from = classify(tempFilePath);
    const entry = lookup(tempFilePath);
    if (!entry || entry.dir || from.kind === "other") throw fail(`${name}:fail tempFilePath file not exist`);
    let to;
    if (filePath !== undefined) {
      to = writable(name, filePath);
      requireDirParent(name, to, `no such file or directory, open ${filePath}`);
    } else {
      to = `wxfile://store_${randomName()}${extensionOf(tempFilePath)}`;
    }
    const changes = [{ path: to, entry: { dir: false, data: entry.data, mtime: now() } }];
    if (from.kind !== "temp" && from.path !== to) changes.push({ path: from.path, entry: null });
    const done = commit(name, changes);
    if (from.kind === "temp") temps.delete(from.path);
    return { savedFilePath: to, done };
  }

  function savedList() {
    const fileList = [];
    for (const [path, entry] of entries) {
      if (path.startsWith("wxfile://store_")) fileList.push({ filePath: path, size: entry.data.byteLength, createTime: entry.mtime });
    }
    return fileList;
  }

  function removeSaved(name, filePath) {
    if (typeof filePath !== "string" || !filePath.startsWith("wxfile://store_") || !entries.has(filePath)) throw fail(`${name}:fail file not exist`);
    return commit(name, [{ path: filePath, entry: null }]);
  }

  // The data: URL an <image> shows for a local file (framework.js resolveAsset).
  function mimeOf(path, bytes) {
    if (bytes[0] === 0x89 && bytes[1] === 0x50) return "image/png";
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
    if (bytes[0] === 0x47 && bytes[1] === 0x49) return "image/gif";
    if (bytes[0] === 0x52 && bytes[8] === 0x57) return "image/webp";
    const ext = extensionOf(path);
    if (ext === ".svg") return "image/svg+xml";
    return { ".mp4": "video/mp4", ".mp3": "audio/mpeg", ".webm": "video/webm", ".bmp": "image/bmp" }[ext] || "application/octet-stream";
  }

  F.localFileUrl = (src) => {
    const entry = lookup(src);
    if (!entry || entry.dir) return null;
    return `data:${mimeOf(src, entry.data)};base64,${bytesToBase64(entry.data)}`;
  };

  // ---- digests (getFileInfo) ------------------------------------------------------------------

  // MD5 (RFC 1321): WeChat's default digestAlgorithm; SubtleCrypto has no MD5.
  function md5(bytes) {
    const K = new Int32Array(64);
    for (let i = 0; i < 64; i += 1) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0;
    const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
    const length = bytes.length;
    const padded = new Uint8Array((((length + 8) >> 6) + 1) * 64);
    padded.set(bytes);
    padded[length] = 0x80;
    const view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, (length * 8) >>> 0, true);
    view.setUint32(padded.length - 4, Math.floor(length / 0x20000000), true);
    let a0 = 0x67452301;
    let b0 = 0xefcdab89 | 0;
    let c0 = 0x98badcfe | 0;
    let d0 = 0x10325476;
    for (let off = 0; off < padded.length; off += 64) {
      let [a, b, c, d] = [a0, b0, c0, d0];
      for (let i = 0; i < 64; i += 1) {
        let f;
        let g;
        if (i < 16) {
          f = (b & c) | (~b & d);
          g = i;
        } else if (i < 32) {
          f = (d & b) | (~d & c);
          g = (5 * i + 1) % 16;
        } else if (i < 48) {
          f = b ^ c ^ d;
          g = (3 * i + 5) % 16;
        } else {
          f = c ^ (b | ~d);
          g = (7 * i) % 16;
        }
        const s = S[(i >> 4) * 4 + (i % 4)];
        const sum = (a + f + K[i] + view.getInt32(off + g * 4, true)) | 0;
        a = d;
        d = c;
        c = b;
        b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0;
      }
      a0 = (a0 + a) | 0;
      b0 = (b0 + b) | 0;
      c0 = (c0 + c) | 0;
      d0 = (d0 + d) | 0;
    }
    const out = new DataView(new ArrayBuffer(16));
    [a0, b0, c0, d0].forEach((v, i) => out.setInt32(i * 4, v, true));
    return Array.from(new Uint8Array(out.buffer), (x) => x.toString(16).padStart(2, "0")).join("");
  }

  async function digestOf(name, bytes, algorithm) {
    const algo = algorithm === undefined ? "md5" : String(algorithm).toLowerCase();
    if (algo === "md5") return md5(bytes);
    if (algo === "sha1") {
      const hash = await crypto.subtle.digest("SHA-1", bytes);
      return Array.from(new Uint8Array(hash), (x) => x.toString(16).padStart(2, "0")).join("");
    }
    throw fail(`${name}:fail invalid digestAlgorithm`);
  }

  // ---- the FileSystemManager ------------------------------------------------------------------

  // Async methods: WeChat's callbacks (no Promise style for most; a Promise when none is given
  // costs nothing and some newer methods have it).
  function method(name, fn) {
    return api(name, (o) => fn(o));
  }

  const manager = {
    access: method("access", (o) => access("access", o.path)),
    accessSync: syncly((path) => access("accessSync", path)),
    appendFile: method("appendFile", (o) => writeFile("appendFile", o.filePath, o.data, o.encoding, true)),
    appendFileSync: syncly((filePath, data, encoding) => {
      writeFile("appendFileSync", filePath, data, encoding, true);
    }),
    copyFile: method("copyFile", (o) => copyFile("copyFile", o.srcPath, o.destPath)),
    copyFileSync: syncly((srcPath, destPath) => {
      copyFile("copyFileSync", srcPath, destPath);
    }),
    getFileInfo: method("getFileInfo", async (o) => {
      const entry = lookup(o.filePath);
      if (!entry || entry.dir) throw fail("getFileInfo:fail file not exist");
      return { size: entry.data.byteLength, digest: await digestOf("getFileInfo", entry.data, o.digestAlgorithm) };
    }),
    getSavedFileList: method("getSavedFileList", () => ({ fileList: savedList() })),
    mkdir: method("mkdir", (o) => mkdir("mkdir", o.dirPath, Boolean(o.recursive))),
    mkdirSync: syncly((dirPath, recursive) => {
      mkdir("mkdirSync", dirPath, Boolean(recursive));
    }),
    readdir: method("readdir", (o) => ({ files: readdir("readdir", o.dirPath) })),
    readdirSync: syncly((dirPath) => readdir("readdirSync", dirPath)),
    readFile: method("readFile", (o) => ({ data: readFile("readFile", o.filePath, o.encoding, o.position, o.length) })),
    readFileSync: syncly((filePath, encoding, position, length) => readFile("readFileSync", filePath, encoding, position, length)),
    removeSavedFile: method("removeSavedFile", (o) => removeSaved("removeSavedFile", o.filePath)),
    rename: method("rename", (o) => rename("rename", o.oldPath, o.newPath)),
    renameSync: syncly((oldPath, newPath) => {
      rename("renameSync", oldPath, newPath);
    }),
    rmdir: method("rmdir", (o) => rmdir("rmdir", o.dirPath, Boolean(o.recursive))),
    rmdirSync: syncly((dirPath, recursive) => {
      rmdir("rmdirSync", dirPath, Boolean(recursive));
    }),
    saveFile: method("saveFile", (o) => {
      const { savedFilePath, done } = saveFile("saveFile", o.tempFilePath, o.filePath);
      return done.then(() => ({ savedFilePath }));
    }),
    saveFileSync: syncly((tempFilePath, filePath) => saveFile("saveFileSync", tempFilePath, filePath).savedFilePath),
    stat: method("stat", (o) => ({ stats: stat("stat", o.path, Boolean(o.recursive)) })),
    statSync: syncly((path, recursive) => stat("statSync", path, Boolean(recursive))),
    unlink: method("unlink", (o) => unlink("unlink", o.filePath)),
    unlinkSync: syncly((filePath) => {
      unlink("unlinkSync", filePath);
    }),
    writeFile: method("writeFile", (o) => writeFile("writeFile", o.filePath, o.data, o.encoding, false)),
    writeFileSync: syncly((filePath, data, encoding) => {
      writeFile("writeFileSync", filePath, data, encoding, false);
    }),
  };
  // WeChat methods this runtime does not provide: they fail loudly, never a silent no-op.
  for (const name of ["unzip", "readZipEntry", "open", "close", "read", "write", "fstat", "ftruncate", "truncate", "readCompressedFile"]) {
    manager[name] = method(name, () => {
      throw fail(`${name}:fail not supported`);
    });
    manager[`${name}Sync`] = () => {
      throw new Error(`${name}Sync:fail not supported`);
    };
  }
  Object.freeze(manager);

  // ---- transfers ------------------------------------------------------------------------------

  let nextTask = 1;
  const tasks = new Map(); // task id → {listeners}

  W.onHostEvent("transfer", (p) => {
    const task = tasks.get(p.task);
    if (!task) return;
    const { kind, task: _id, ...rest } = p;
    const list = kind === "headers" ? task.headers : kind === "progress" ? task.progress : null;
    if (list) for (const fn of list.slice()) W.safeCall(fn, kind === "headers" ? { header: rest.header || {} } : rest);
  });

  function makeTask(name) {
    const id = nextTask;
    nextTask += 1;
    const state = { progress: [], headers: [], aborted: false };
    tasks.set(id, state);
    const off = (list, fn) => {
      const i = list.indexOf(fn);
      if (fn === undefined) list.length = 0;
      else if (i >= 0) list.splice(i, 1);
    };
    const task = {
      abort() {
        state.aborted = true;
        callHost("transferAbort", { task: id }).catch(() => {});
      },
      onProgressUpdate: (fn) => typeof fn === "function" && state.progress.push(fn),
      offProgressUpdate: (fn) => off(state.progress, fn),
      onHeadersReceived: (fn) => typeof fn === "function" && state.headers.push(fn),
      offHeadersReceived: (fn) => off(state.headers, fn),
    };
    return { id, state, task, done: () => tasks.delete(id), name };
  }

  // Returns the task (callback style) or the promise with the task's methods (Promise style).
  function runTask(made, options, impl) {
    const run = api(made.name, (o) => {
      if (tasks.size > MAX_TASKS) throw fail(`${made.name}:fail exceed max task count`);
      return impl(o).finally(made.done);
    });
    const result = run(options && typeof options === "object" ? options : {});
    if (result && typeof result.then === "function") {
      Object.assign(result, made.task);
      return result;
    }
    return made.task;
  }

  function jsonOnly(value) {
    if (!value || typeof value !== "object") return {};
    try {
      return JSON.parse(JSON.stringify(value));
    } catch {
      return {};
    }
  }

  const EXTENSIONS = { "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp", "image/svg+xml": ".svg", "text/plain": ".txt", "application/json": ".json", "application/pdf": ".pdf", "video/mp4": ".mp4", "audio/mpeg": ".mp3" };

  function downloadFile(options) {
    const made = makeTask("downloadFile");
    return runTask(made, options, async (o) => {
      if (typeof o.url !== "string" || o.url === "") throw fail("downloadFile:fail parameter error: parameter.url should be String");
      let target = null;
      if (o.filePath !== undefined) target = writable("downloadFile", o.filePath);
      const res = await callHost("downloadFile", { task: made.id, url: o.url, header: jsonOnly(o.header), timeout: o.timeout });
      if (made.state.aborted) throw fail("downloadFile:fail abort");
      const bytes = new Uint8Array(res.data instanceof ArrayBuffer ? res.data : new ArrayBuffer(0));
      if (target !== null) {
        const old = entries.get(target);
        if (old && old.dir) throw fail(`downloadFile:fail illegal operation on a directory, open ${o.filePath}`);
        requireDirParent("downloadFile", target, `no such file or directory, open ${o.filePath}`);
        await commit("downloadFile", [{ path: target, entry: { dir: false, data: bytes, mtime: now() } }]);
        return { filePath: o.filePath, statusCode: res.statusCode };
      }
      const type = String(res.contentType || "").split(";")[0].trim().toLowerCase();
      const ext = extensionOf(o.url) || EXTENSIONS[type] || "";
      return { tempFilePath: addTemp(bytes, ext), statusCode: res.statusCode };
    });
  }

  function uploadFile(options) {
    const made = makeTask("uploadFile");
    return runTask(made, options, async (o) => {
      if (typeof o.url !== "string" || o.url === "") throw fail("uploadFile:fail parameter error: parameter.url should be String");
      if (typeof o.name !== "string" || o.name === "") throw fail("uploadFile:fail parameter error: parameter.name should be String");
      const entry = lookup(o.filePath);
      if (!entry || entry.dir) throw fail(`uploadFile:fail file not found`);
      const res = await callHost("uploadFile", {
        task: made.id,
        url: o.url,
        name: o.name,
        filename: nameOf(String(o.filePath)),
        header: jsonOnly(o.header),
        formData: jsonOnly(o.formData),
        timeout: o.timeout,
        data: entry.data.slice().buffer,
      });
      if (made.state.aborted) throw fail("uploadFile:fail abort");
      return { data: res.data, statusCode: res.statusCode, header: res.header || {} };
    });
  }

  W.loadFiles = loadFiles;
  // For the other families (media.js's choosers): a new temp file, and a local file's bytes.
  W.addTempFile = (bytes, ext) => addTemp(bytes, ext);
  W.localFileBytes = (path) => {
    const entry = lookup(path);
    return entry && !entry.dir ? entry.data : null;
  };
  W.wx.env = Object.freeze({ USER_DATA_PATH: USR });
  W.extend({
    getFileSystemManager: () => manager,
    saveFile: api("saveFile", (o) => {
      const { savedFilePath, done } = saveFile("saveFile", o.tempFilePath, undefined);
      return done.then(() => ({ savedFilePath }));
    }),
    getSavedFileList: api("getSavedFileList", () => ({ fileList: savedList() })),
    getSavedFileInfo: api("getSavedFileInfo", (o) => {
      const entry = typeof o.filePath === "string" && o.filePath.startsWith("wxfile://store_") ? entries.get(o.filePath) : null;
      if (!entry) throw fail("getSavedFileInfo:fail file not exist");
      return { size: entry.data.byteLength, createTime: entry.mtime };
    }),
    removeSavedFile: api("removeSavedFile", (o) => removeSaved("removeSavedFile", o.filePath)),
    getFileInfo: api("getFileInfo", async (o) => {
      const entry = lookup(o.filePath);
      if (!entry || entry.dir) throw fail("getFileInfo:fail file not exist");
      return { size: entry.data.byteLength, digest: await digestOf("getFileInfo", entry.data, o.digestAlgorithm) };
    }),
    downloadFile,
    uploadFile,
  });
})();
