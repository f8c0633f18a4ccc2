// wx.getFileSystemManager: user files under wx.env.USER_DATA_PATH, Sync and async, the errors
// WeChat gives, the quota, and a note that stays across restarts of the app.
const fs = wx.getFileSystemManager();
const USR = wx.env.USER_DATA_PATH;

function show(page, key, value) {
  page.setData({ [key]: JSON.stringify(value) });
}

function syncError(fn) {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error.message;
  }
}

Page({
  data: { userPath: USR, persisted: '', syncResult: '', asyncResult: '', errorResult: '', noteResult: '' },
  onLoad() {
    let note = 'none';
    try {
      note = fs.readFileSync(`${USR}/note.txt`, 'utf8');
    } catch (error) {
      note = 'none';
    }
    this.setData({ persisted: note });
  },
  runSync() {
    fs.mkdirSync(`${USR}/a/b`, true);
    fs.writeFileSync(`${USR}/a/b/hello.txt`, '你好', 'utf8');
    fs.appendFileSync(`${USR}/a/b/hello.txt`, ' world');
    const text = fs.readFileSync(`${USR}/a/b/hello.txt`, 'utf8');
    const hex = fs.readFileSync(`${USR}/a/b/hello.txt`, 'hex', 0, 3);
    fs.copyFileSync(`${USR}/a/b/hello.txt`, `${USR}/a/copy.txt`);
    fs.renameSync(`${USR}/a/copy.txt`, `${USR}/a/moved.txt`);
    const list = fs.readdirSync(`${USR}/a`);
    const stats = fs.statSync(`${USR}/a/b/hello.txt`);
    const dirStats = fs.statSync(`${USR}/a`);
    fs.unlinkSync(`${USR}/a/moved.txt`);
    const after = fs.readdirSync(`${USR}/a`);
    fs.rmdirSync(`${USR}/a`, true);
    const gone = syncError(() => fs.accessSync(`${USR}/a`));
    show(this, 'syncResult', {
      text,
      hex,
      list,
      size: stats.size,
      isFile: stats.isFile(),
      dirIsDirectory: dirStats.isDirectory(),
      modified: typeof stats.lastModifiedTime,
      after,
      gone,
    });
  },
  runAsync() {
    const out = {};
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    fs.mkdir({
      dirPath: `${USR}/bin`,
      success: (res) => {
        out.mkdir = res.errMsg;
        fs.writeFile({
          filePath: `${USR}/bin/data.bin`,
          data: bytes.buffer,
          success: (w) => {
            out.writeFile = w.errMsg;
            fs.readFile({
              filePath: `${USR}/bin/data.bin`,
              encoding: 'base64',
              success: (r) => {
                out.base64 = r.data;
                fs.readFile({
                  filePath: `${USR}/bin/data.bin`,
                  success: (raw) => {
                    out.isArrayBuffer = raw.data instanceof ArrayBuffer;
                    out.bytes = Array.from(new Uint8Array(raw.data));
                    fs.stat({
                      path: `${USR}/bin`,
                      recursive: true,
                      success: (s) => {
                        out.stat = s.stats.map((item) => [item.path, item.stats.isDirectory(), item.stats.size]);
                        fs.getFileInfo({
                          filePath: `${USR}/bin/data.bin`,
                          success: (info) => {
                            out.info = [info.size, info.digest];
                            fs.rmdir({
                              dirPath: `${USR}/bin`,
                              recursive: true,
                              success: (d) => {
                                out.rmdir = d.errMsg;
                                fs.access({
                                  path: `${USR}/bin`,
                                  fail: (e) => {
                                    out.access = e.errMsg;
                                    show(this, 'asyncResult', out);
                                  },
                                });
                              },
                            });
                          },
                        });
                      },
                    });
                  },
                });
              },
            });
          },
        });
      },
    });
  },
  runErrors() {
    const out = {};
    out.readMissing = syncError(() => fs.readFileSync(`${USR}/missing.txt`, 'utf8'));
    out.outside = syncError(() => fs.writeFileSync('wxfile://other/x.txt', 'x'));
    out.noParent = syncError(() => fs.mkdirSync(`${USR}/x/y`));
    fs.mkdirSync(`${USR}/full`);
    fs.writeFileSync(`${USR}/full/f.txt`, 'x');
    out.notEmpty = syncError(() => fs.rmdirSync(`${USR}/full`));
    fs.rmdirSync(`${USR}/full`, true);
    fs.readFile({
      filePath: `${USR}/missing.txt`,
      fail: (e) => {
        out.readFile = e.errMsg;
        fs.writeFile({
          filePath: `${USR}/huge.bin`,
          data: new ArrayBuffer(51 * 1024 * 1024),
          fail: (q) => {
            out.quota = q.errMsg;
            out.hugeExists = syncError(() => fs.accessSync(`${USR}/huge.bin`));
            fs.unzip({
              zipFilePath: `${USR}/a.zip`,
              targetPath: USR,
              fail: (z) => {
                out.unzip = z.errMsg;
                show(this, 'errorResult', out);
              },
            });
          },
        });
      },
    });
  },
  writeNote() {
    fs.writeFile({
      filePath: `${USR}/note.txt`,
      data: 'kept across restarts',
      encoding: 'utf8',
      success: () => this.setData({ noteResult: JSON.stringify(fs.readdirSync(USR)) }),
    });
  },
});
