// wx APIs: media (see wx.js `extend`). A classic script loaded by the worker after wx.js and
// canvas.js (whose `self.MiniappMedia` helpers it uses).
//
// wx.createVideoContext and wx.createMapContext (also SelectorQuery's `context` field for video
// and map): their methods go to the page's view through the page channel (view/components/
// media.js and map.js). The element is looked up by id when a method is called, not when the
// context is made, so a context made in onLoad works once the page has rendered, as in WeChat.
//
// wx.chooseImage, wx.chooseMedia, wx.chooseLocation and wx.saveImageToPhotosAlbum: the host asks
// the user (container/apis/choosers.js, docs/consent.md) and hands back what they chose; chosen
// files become this run's temp files (files.js `W.addTempFile`), so getFileInfo, <image src>,
// uploadFile and saveFile take them as they take a downloaded file.
(function () {
  "use strict";
  const W = self.MiniappWx;
  const F = self.MiniappFramework;
  const M = self.MiniappMedia;
  const { callHost } = W;

  // Package paths in attributes the framework does not resolve itself.
  F.assetAttrs.video = (name, value, resolve) => (name === "poster" ? resolve(value) : value);
  F.assetAttrs.map = (name, value, resolve) => {
    if (name !== "markers" || !Array.isArray(value)) return value;
    return value.map((m) => (m && typeof m === "object" && typeof m.iconPath === "string" ? { ...m, iconPath: resolve(m.iconPath) } : m));
  };

  function notSupported(name) {
    return () => {
      throw new Error(`${name}:fail not supported`);
    };
  }

  // ---- VideoContext ------------------------------------------------------------------------------

  class VideoContext {
    constructor(target) {
      // target: () => {pageId, nodeId} | null
      this._target = target;
    }
    _send(op, args) {
      const t = this._target();
      if (!t) {
        console.error(`VideoContext.${op}: the video is not on the page`);
        return;
      }
      F.toView(t.pageId, { k: "video", id: t.nodeId, op, args: args || {} });
    }
    play() {
      this._send("play");
    }
    pause() {
      this._send("pause");
    }
    stop() {
      this._send("stop");
    }
    seek(position) {
      this._send("seek", { position: Number(position) });
    }
    playbackRate(rate) {
      this._send("playbackRate", { rate: Number(rate) });
    }
    requestFullScreen(options) {
      const direction = options && typeof options === "object" ? Number(options.direction) : undefined;
      this._send("requestFullScreen", Number.isFinite(direction) ? { direction } : {});
    }
    exitFullScreen() {
      this._send("exitFullScreen");
    }
  }
  for (const name of ["sendDanmu", "showStatusBar", "hideStatusBar", "requestPictureInPicture", "exitPictureInPicture", "requestBackgroundPlayback", "exitBackgroundPlayback"]) {
    VideoContext.prototype[name] = notSupported(`VideoContext.${name}`);
  }

  function byId(irTag, id, component) {
    const scope = M.scopeOf(component);
    return () => {
      const vnode = M.findNode(scope, irTag, ["id"], id);
      return vnode ? { pageId: scope.page.id, nodeId: vnode.id } : null;
    };
  }

  function byNode(pageId, nodeId) {
    return () => {
      const page = F.state.pages.get(pageId);
      return page && page.alive && page.nodes.has(nodeId) ? { pageId, nodeId } : null;
    };
  }

  F.contextFactories.video = (pageId, nodeId) => new VideoContext(byNode(pageId, nodeId));

  // ---- MapContext ----------------------------------------------------------------------------------

  function mapApi(name, target, run) {
    return W.api(name, (opts) => {
      const t = target();
      if (!t) throw { errMsg: `${name}:fail map not found` };
      return run(t, opts);
    });
  }

  function ask(t, op, args) {
    return M.request(t.pageId, { k: "map", id: t.nodeId, op, args: args || {} }).catch((error) => {
      throw { errMsg: `fail ${error.errMsg}` };
    });
  }

  const isPoint = (p) => p && typeof p === "object" && Number.isFinite(Number(p.latitude)) && Number.isFinite(Number(p.longitude));
  const point = (p) => ({ latitude: Number(p.latitude), longitude: Number(p.longitude) });

  function mapContext(target) {
    const ctx = {
      getCenterLocation: mapApi("getCenterLocation", target, (t) => ask(t, "getCenterLocation")),
      getScale: mapApi("getScale", target, (t) => ask(t, "getScale")),
      getRegion: mapApi("getRegion", target, (t) => ask(t, "getRegion")),
      getRotate: mapApi("getRotate", target, () => ({ rotate: 0 })),
      getSkew: mapApi("getSkew", target, () => ({ skew: 0 })),
      moveToLocation: mapApi("moveToLocation", target, (t, o) => {
        // Without a point WeChat moves to the user's location, which needs location access.
        if (!isPoint(o)) throw { errMsg: "moveToLocation:fail not supported without latitude and longitude" };
        return ask(t, "moveToLocation", point(o)).then(() => ({}));
      }),
      includePoints: mapApi("includePoints", target, (t, o) => {
        const points = Array.isArray(o.points) ? o.points.filter(isPoint).map(point) : [];
        if (points.length === 0) throw { errMsg: "includePoints:fail points is empty" };
        const padding = Array.isArray(o.padding) ? o.padding.slice(0, 4).map((n) => Number(n) || 0) : [];
        return ask(t, "includePoints", { points, padding }).then(() => ({}));
      }),
      translateMarker: mapApi("translateMarker", target, (t, o) => {
        if (!isPoint(o.destination)) throw { errMsg: "translateMarker:fail destination is required" };
        const args = { markerId: o.markerId, destination: point(o.destination), duration: Number(o.duration) > 0 ? Number(o.duration) : 1000 };
        return ask(t, "translateMarker", args).then(() => {
          if (typeof o.animationEnd === "function") W.safeCall(o.animationEnd);
          return {};
        });
      }),
    };
    for (const name of [
      "addMarkers", "removeMarkers", "addCustomLayer", "removeCustomLayer", "addGroundOverlay",
      "removeGroundOverlay", "updateGroundOverlay", "setCenterOffset", "moveAlong", "initMarkerCluster",
      "on", "fromScreenLocation", "toScreenLocation", "openMapApp", "addArc", "removeArc", "setBoundary",
      "addVisualLayer", "removeVisualLayer", "executeVisualLayerCommand", "setLocMarkerIcon",
    ]) {
      ctx[name] = name === "on" ? notSupported("MapContext.on") : W.api(name, () => {
        throw { errMsg: `${name}:fail not supported` };
      });
    }
    return ctx;
  }

  F.contextFactories.map = (pageId, nodeId) => mapContext(byNode(pageId, nodeId));

  // ---- choosers ------------------------------------------------------------------------------------

  const IMAGE_MAX = 9;
  const MEDIA_MAX = 20;
  const SOURCES = ["album", "camera"];

  /** A count within 1..max; anything else (missing, not a number) is max, as WeChat defaults. */
  function countOf(value, max) {
    const n = Math.floor(Number(value));
    return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : max;
  }

  /** The listed values among `allowed`, or all of `allowed` when none is listed. */
  function listOf(value, allowed) {
    const picked = Array.isArray(value) ? allowed.filter((v) => value.includes(v)) : [];
    return picked.length ? picked : allowed.slice();
  }

  function tempOf(file) {
    const bytes = new Uint8Array(file.data instanceof ArrayBuffer ? file.data : new ArrayBuffer(0));
    return { path: W.addTempFile(bytes, typeof file.ext === "string" ? file.ext : ""), size: bytes.byteLength };
  }

  function chooseImage(o) {
    const args = { count: countOf(o.count, IMAGE_MAX), sourceType: listOf(o.sourceType, SOURCES), mediaType: ["image"], camera: "back" };
    return callHost("chooseImage", args).then((res) => {
      const tempFiles = (res.files || []).map(tempOf);
      return { tempFilePaths: tempFiles.map((f) => f.path), tempFiles };
    });
  }

  function chooseMedia(o) {
    const mediaType = Array.isArray(o.mediaType) && o.mediaType.includes("mix") ? ["image", "video"] : listOf(o.mediaType, ["image", "video"]);
    const args = { count: countOf(o.count, MEDIA_MAX), sourceType: listOf(o.sourceType, SOURCES), mediaType, camera: o.camera === "front" ? "front" : "back" };
    return callHost("chooseMedia", args).then((res) => {
      const tempFiles = (res.files || []).map((file) => {
        const { path, size } = tempOf(file);
        const out = { tempFilePath: path, size, fileType: file.fileType === "video" ? "video" : "image", width: Number(file.width) || 0, height: Number(file.height) || 0 };
        if (out.fileType === "video") {
          out.duration = Number(file.duration) || 0;
          if (file.thumb) out.thumbTempFilePath = tempOf(file.thumb).path;
        }
        return out;
      });
      const kinds = new Set(tempFiles.map((f) => f.fileType));
      return { tempFiles, type: kinds.size > 1 ? "mix" : kinds.has("video") ? "video" : "image" };
    });
  }

  function coordinate(value, limit) {
    const n = Number(value);
    return value !== undefined && value !== null && value !== "" && Number.isFinite(n) && Math.abs(n) <= limit ? n : null;
  }

  function chooseLocation(o) {
    const latitude = coordinate(o.latitude, 90);
    const longitude = coordinate(o.longitude, 180);
    const args = latitude !== null && longitude !== null ? { latitude, longitude } : {};
    return callHost("chooseLocation", args).then((res) => ({
      name: String(res.name || ""),
      address: String(res.address || ""),
      latitude: Number(res.latitude),
      longitude: Number(res.longitude),
    }));
  }

  function saveImageToPhotosAlbum(o) {
    if (typeof o.filePath !== "string" || o.filePath === "") throw { errMsg: "saveImageToPhotosAlbum:fail parameter error: parameter.filePath should be String" };
    // A temp or local file only (WeChat takes no network path here).
    const bytes = W.localFileBytes(o.filePath);
    if (!bytes) throw { errMsg: "saveImageToPhotosAlbum:fail file not found" };
    const name = o.filePath.slice(o.filePath.lastIndexOf("/") + 1);
    return callHost("saveImageToPhotosAlbum", { data: bytes.slice().buffer, name }).then(() => ({}));
  }

  W.extend({
    chooseImage: W.api("chooseImage", chooseImage),
    chooseMedia: W.api("chooseMedia", chooseMedia),
    chooseLocation: W.api("chooseLocation", chooseLocation),
    saveImageToPhotosAlbum: W.api("saveImageToPhotosAlbum", saveImageToPhotosAlbum),
    createVideoContext(id, component) {
      return new VideoContext(byId("video", String(id), component));
    },
    createMapContext(id, component) {
      return mapContext(byId("map", String(id), component));
    },
  });

})();
