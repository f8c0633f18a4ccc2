// Host side of the files wx APIs: merged into the container's HOST_APIS (`this` is the MiniProgram;
// a handler takes the call's args and returns its result or throws {errMsg}).
//
// The logic layer (logic/files.js) keeps the user's files in memory for the Sync methods and
// sends every change here to be persisted (container/files.js). The changes are checked again
// here: paths under wxfile://usr or saved files only, and the quota.

import { QUOTA_EXCEEDED, checkChange } from "/static/runtime/container/files.js";

const MAX_CHANGES = 10000;

export const FILE_APIS = {
  // Internal (not a wx API): persist a batch of file changes, in order.
  async fsApply(a) {
    if (!Array.isArray(a.changes) || a.changes.length > MAX_CHANGES) throw { errMsg: "fsApply:fail invalid changes" };
    const changes = a.changes.map(checkChange);
    if (changes.some((c) => c === null)) throw { errMsg: "fsApply:fail permission denied" };
    const files = await this.filesOpened;
    if (!files) throw { errMsg: "fsApply:fail file storage unavailable" };
    try {
      await files.apply(changes);
    } catch (error) {
      throw { errMsg: `fsApply:fail ${error && error.message === QUOTA_EXCEEDED ? QUOTA_EXCEEDED : String(error && error.message)}` };
    }
  },
};
