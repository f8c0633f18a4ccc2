// wx APIs: media (see wx.js `extend`). A classic script loaded by the worker after wx.js and
// canvas.js (whose `self.MiniappMedia` helpers it uses).
//
// wx.createVideoContext and wx.createMapContext (also SelectorQuery's `context` field for video
// and map): their methods go to the page's view through the page channel (view/components/
// media.js and map.js). The element is looked up by id when a method is called, not when the
// context is made, so a context made in onLoad works once the page has rendered, as in WeChat.
(function () {
  "use strict";
  const W = self.MiniappWx;
  const F = self.MiniappFramework;
  const M = self.MiniappMedia;

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

  W.extend({
    createVideoContext(id, component) {
      return new VideoContext(byId("video", String(id), component));
    },
    createMapContext(id, component) {
      return mapContext(byId("map", String(id), component));
    },
  });

})();
