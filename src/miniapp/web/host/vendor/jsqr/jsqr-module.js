// jsQR as an ES module, for shared/scanner.js (which imports it only when a scanner opens).
// jsQR.js beside this file is dist/jsQR.js of the npm package jsqr 1.4.0, unchanged (Apache-2.0,
// LICENSE beside it). That build is a UMD script: run as a module it sets `self.jsQR`, which is
// taken back off the window here so only the importer sees it.
import "./jsQR.js";

const jsQR = self.jsQR;
delete self.jsQR;

export default jsQR;
