// Host side of wx.scanCode: merged into the container's HOST_APIS (`this` is the MiniProgram; a
// handler takes the call's args and returns its result or throws {errMsg}).
//
// The shared scanner (shared/scanner.js, loaded on the first call) opens over the app: the
// camera, and "Choose a picture" unless `onlyFromCamera`. Only QR codes are read (WeChat's
// scanType barCode / datamatrix / pdf417 find nothing here). The answer is WeChat's: {result,
// scanType: "QR_CODE", charSet: "utf-8", rawData (base64 of the code's bytes), path} where
// `path` (page and query) is given only when the code is one of this app's own codes.
//
// The scanner opens over the whole host page, not inside the app's own chrome: only the app on
// screen may open it. An app in the background (kept for a hot start) would otherwise put it up
// over Discover or over the app the user went on to, and be handed what the user scans there.

import { codePath, parseCodeUrl } from "/static/shared/code-urls.js";

function base64(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export const SCAN_APIS = {
  async scanCode(a) {
    if (this.hiddenAt !== null) throw { errMsg: "scanCode:fail app in background" };
    const { scan, ScanCancelled } = await import("/static/shared/scanner.js");
    if (this.hiddenAt !== null || !this.alive) throw { errMsg: "scanCode:fail app in background" };
    let found;
    try {
      found = await scan({ onlyFromCamera: a.onlyFromCamera === true });
    } catch (error) {
      if (error instanceof ScanCancelled) throw { errMsg: "scanCode:fail cancel" };
      throw error;
    }
    const result = { result: found.text, scanType: "QR_CODE", charSet: "utf-8", rawData: base64(found.bytes) };
    const code = parseCodeUrl(found.text);
    if (code && code.appid === this.appid) result.path = codePath(code, this.manifest.app.entryPagePath);
    return result;
  },
};
