// wx APIs: animation — wx.createAnimation (the data for the `animation` attribute, played by the
// view's components/query.js) and this.animate / this.clearAnimation on pages and components.
// A classic script loaded by the worker after wx.js and query.js (see wx.js `extend`).
(function () {
  "use strict";
  const W = self.MiniappWx;
  const F = self.MiniappFramework;

  // WeChat's Animation: methods record {type, args} for the current step; step() closes it with
  // its options. Transforms accumulate from step to step (a later step keeps the earlier steps'
  // transforms unless it sets the same function again), styles too, as WeChat's do; export()
  // hands out the recorded steps and clears them.
  class Animation {
    constructor(options) {
      const o = options && typeof options === "object" ? options : {};
      this.actions = [];
      this.currentTransform = {};
      this.currentStepAnimates = [];
      this.option = {
        transition: {
          duration: o.duration !== undefined ? o.duration : 400,
          timingFunction: o.timingFunction !== undefined ? o.timingFunction : "linear",
          delay: o.delay !== undefined ? o.delay : 0,
        },
        transformOrigin: o.transformOrigin || "50% 50% 0",
      };
    }
    export() {
      const actions = this.actions;
      this.actions = [];
      return { actions };
    }
    step(options) {
      const o = options && typeof options === "object" ? options : {};
      for (const a of this.currentStepAnimates) {
        this.currentTransform[a.type === "style" ? `style.${a.args[0]}` : a.type] = a;
      }
      const base = this.option;
      this.actions.push({
        animates: Object.values(this.currentTransform),
        option: {
          transformOrigin: o.transformOrigin !== undefined ? o.transformOrigin : base.transformOrigin,
          transition: {
            duration: o.duration !== undefined ? o.duration : base.transition.duration,
            timingFunction: o.timingFunction !== undefined ? o.timingFunction : base.transition.timingFunction,
            delay: o.delay !== undefined ? o.delay : base.transition.delay,
          },
        },
      });
      this.currentStepAnimates = [];
      return this;
    }
    _push(type, args) {
      this.currentStepAnimates.push({ type, args });
      return this;
    }
    matrix(a = 1, b = 0, c = 0, d = 1, tx = 0, ty = 0) {
      return this._push("matrix", [a, b, c, d, tx, ty]);
    }
    matrix3d(...args) {
      const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
      return this._push("matrix3d", identity.map((v, i) => (args[i] !== undefined ? args[i] : v)));
    }
    rotate(angle = 0) {
      return this._push("rotate", [angle]);
    }
    rotate3d(x = 0, y = 0, z = 0, angle = 0) {
      return this._push("rotate3d", [x, y, z, angle]);
    }
    rotateX(angle = 0) {
      return this._push("rotateX", [angle]);
    }
    rotateY(angle = 0) {
      return this._push("rotateY", [angle]);
    }
    rotateZ(angle = 0) {
      return this._push("rotateZ", [angle]);
    }
    scale(sx = 1, sy) {
      return this._push("scale", [sx, sy !== undefined ? sy : sx]);
    }
    scale3d(sx = 1, sy = 1, sz = 1) {
      return this._push("scale3d", [sx, sy, sz]);
    }
    scaleX(s = 1) {
      return this._push("scaleX", [s]);
    }
    scaleY(s = 1) {
      return this._push("scaleY", [s]);
    }
    scaleZ(s = 1) {
      return this._push("scaleZ", [s]);
    }
    skew(ax = 0, ay = 0) {
      return this._push("skew", [ax, ay]);
    }
    skewX(a = 0) {
      return this._push("skewX", [a]);
    }
    skewY(a = 0) {
      return this._push("skewY", [a]);
    }
    translate(tx = 0, ty = 0) {
      return this._push("translate", [tx, ty]);
    }
    translate3d(tx = 0, ty = 0, tz = 0) {
      return this._push("translate3d", [tx, ty, tz]);
    }
    translateX(t = 0) {
      return this._push("translateX", [t]);
    }
    translateY(t = 0) {
      return this._push("translateY", [t]);
    }
    translateZ(t = 0) {
      return this._push("translateZ", [t]);
    }
    opacity(value) {
      return this._push("style", ["opacity", value]);
    }
    backgroundColor(value) {
      return this._push("style", ["backgroundColor", value]);
    }
  }
  // Lengths: a number is px.
  for (const name of ["width", "height", "left", "right", "top", "bottom"]) {
    Animation.prototype[name] = function (value) {
      return this._push("style", [name, typeof value === "number" ? `${value}px` : value]);
    };
  }

  // ---- this.animate / this.clearAnimation ------------------------------------------------------

  let nextAnimation = 1;
  const waiting = new Map(); // id → {page, callback, owner}

  function pageIdOf(component) {
    const inst = F.instanceOf(component);
    return inst && inst.page && inst.page.alive ? inst.page.id : null;
  }

  function send(component, msg, callback) {
    F.flushAll();
    const pageId = pageIdOf(component);
    const targets = pageId === null ? [] : W.selectNodes(component, String(msg.selector)).map((v) => v.id);
    const id = nextAnimation;
    nextAnimation += 1;
    if (typeof callback === "function") waiting.set(id, { page: pageId, callback, owner: component });
    if (pageId === null || !F.toView(pageId, { ...msg, id, targets })) waiting.delete(id);
  }

  // this.animate(selector, keyframes, duration, callback)
  function animate(component, selector, keyframes, duration, callback) {
    if (callback !== undefined && typeof callback !== "function") {
      // The ScrollTimeline form (scroll-driven animations) is not implemented.
      throw new Error("animate:fail not supported: ScrollTimeline");
    }
    const frames = Array.isArray(keyframes) ? JSON.parse(JSON.stringify(keyframes)) : [];
    send(component, { k: "animate", selector, keyframes: frames, duration: Number(duration) || 0 }, callback);
  }

  // this.clearAnimation(selector, options, callback): the animations of this.animate on the
  // matched nodes stop and their styles go back (every property, whatever `options` lists).
  function clearAnimation(component, selector, options, callback) {
    const cb = typeof options === "function" ? options : callback;
    send(component, { k: "clearAnimation", selector }, cb);
  }

  F.viewHandlers.animateDone = (pageId, msg) => {
    const entry = waiting.get(msg.id);
    if (!entry || entry.page !== pageId) return;
    waiting.delete(msg.id);
    try {
      entry.callback.call(entry.owner);
    } catch (error) {
      F.state.report(error, "");
    }
  };

  W.animate = animate;
  W.clearAnimation = clearAnimation;
  W.extend({
    createAnimation: (options) => new Animation(options),
  });
})();
