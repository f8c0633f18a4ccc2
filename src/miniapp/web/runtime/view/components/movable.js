// Built-in components: movable-area and movable-view. See frame.js for the controller interface.
//
// A movable-view is placed in its movable-area (its parent) with a transform: translate(x, y)
// scale(s) from the area's top-left corner. It is dragged (V.drag: mouse and touch) along
// `direction` (all | vertical | horizontal | none) and kept inside the area (when it is larger
// than the area: the area is kept covered), unless `out-of-bounds`: then it follows the finger
// past the edge with resistance and springs back on release. With `inertia` it glides on after a
// fast release, slowed by `friction`. Setting `x` / `y` (px or rpx) moves it, animated unless
// `animation` is false; `damping` speeds up those animations and the spring-back. Events as
// WeChat's: bindchange {x, y, source} while it moves (source: touch, touch-out-of-bounds,
// out-of-bounds, friction, or "" for a move made by setting x / y), bindscale {x, y, scale}
// (`scale`: ctrl + wheel or a two-finger pinch, between scale-min and scale-max; scale-value sets
// it), htouchmove / vtouchmove when a drag starts horizontally / vertically.
(function () {
  "use strict";

  const V = globalThis.wxView;

  V.components["wx-movable-area"] = (el) => {
    const ctl = {
      children: true,
      // The area's size can change with its style or its children: the views re-clamp.
      restyle() {
        V.markDirty(ctl);
      },
      update() {
        for (const child of el.children) {
          if (child.__wx && child.__wx.tag === "wx-movable-view" && child.__wx.ctl) {
            child.__wx.ctl.relayout();
          }
        }
      },
    };
    return ctl;
  };

  const round = (v) => Math.round(v * 100) / 100;

  V.components["wx-movable-view"] = (el, meta) => {
    const props = meta.props;
    let x = 0;
    let y = 0;
    let scale = 1;
    let laidOut = false;
    let wantX = null; // a new x / y / scale-value set by the page, applied in update()
    let wantY = null;
    let wantScale = null;
    let stop = null; // cancels the running animation
    let dragging = false;
    let startX = 0;
    let startY = 0;
    let box = { minX: 0, maxX: 0, minY: 0, maxY: 0, w: 0, h: 0 };

    function direction() {
      const d = props.direction;
      return d === "all" || d === "vertical" || d === "horizontal" ? d : "none";
    }
    const canX = () => direction() === "all" || direction() === "horizontal";
    const canY = () => direction() === "all" || direction() === "vertical";

    function damping() {
      const d = V.num(props.damping, 20);
      return d > 0 ? d : 20;
    }

    function friction() {
      const f = V.num(props.friction, 2);
      return f > 0 ? f : 2;
    }

    // The range x and y may take, with the view scaled around its centre.
    function measure() {
      const area = el.parentNode;
      const aw = area && area.nodeType === 1 ? area.clientWidth : 0;
      const ah = area && area.nodeType === 1 ? area.clientHeight : 0;
      const w = el.offsetWidth;
      const h = el.offsetHeight;
      const sw = w * scale;
      const sh = h * scale;
      const ox = (w - sw) / 2; // where the scaled box starts, from the unscaled one
      const oy = (h - sh) / 2;
      box = {
        minX: Math.min(0, aw - sw) - ox,
        maxX: Math.max(0, aw - sw) - ox,
        minY: Math.min(0, ah - sh) - oy,
        maxY: Math.max(0, ah - sh) - oy,
        w,
        h,
      };
    }

    const clampX = (v) => Math.max(box.minX, Math.min(box.maxX, v));
    const clampY = (v) => Math.max(box.minY, Math.min(box.maxY, v));
    const inside = (px, py) => px === clampX(px) && py === clampY(py);

    function render() {
      el.style.transform = `translateX(${x}px) translateY(${y}px) translateZ(0px) scale(${scale})`;
    }

    function change(source) {
      V.emit(el, "change", { x: round(x), y: round(y), source });
    }

    function cancel() {
      if (stop) stop();
      stop = null;
    }

    // Moves to (tx, ty) over `ms`, reporting each step with `source`.
    function animateTo(tx, ty, ms, source, done) {
      cancel();
      const fx = x;
      const fy = y;
      if (fx === tx && fy === ty) {
        if (done) done();
        return;
      }
      stop = V.animate(
        ms,
        (k) => {
          x = fx + (tx - fx) * k;
          y = fy + (ty - fy) * k;
          render();
          change(source);
        },
        () => {
          stop = null;
          if (done) done();
        },
      );
    }

    // The spring-back of out-of-bounds (and of a glide that reached an edge).
    function settle() {
      const tx = clampX(x);
      const ty = clampY(y);
      if (tx !== x || ty !== y) animateTo(tx, ty, 4000 / damping() + 100, "out-of-bounds");
    }

    // Past an edge the view follows the finger at a third of its speed.
    function resist(v, min, max) {
      if (v < min) return min - (min - v) / 3;
      if (v > max) return max + (v - max) / 3;
      return v;
    }

    V.drag(el, {
      start() {
        if (props.disabled || direction() === "none") return false;
        return true;
      },
      claim(dx, dy) {
        const horizontal = Math.abs(dx) >= Math.abs(dy);
        const d = direction();
        const mine = d === "all" || (d === "horizontal" ? horizontal : !horizontal);
        if (mine) V.emit(el, horizontal ? "htouchmove" : "vtouchmove", {});
        return mine;
      },
      move(dx, dy) {
        if (!dragging) {
          dragging = true;
          cancel();
          measure();
          startX = x;
          startY = y;
        }
        let nx = canX() ? startX + dx : x;
        let ny = canY() ? startY + dy : y;
        if (props.outOfBounds) {
          nx = canX() ? resist(nx, box.minX, box.maxX) : nx;
          ny = canY() ? resist(ny, box.minY, box.maxY) : ny;
        } else {
          nx = clampX(nx);
          ny = clampY(ny);
        }
        if (nx === x && ny === y) return;
        x = nx;
        y = ny;
        render();
        change(inside(x, y) ? "touch" : "touch-out-of-bounds");
      },
      end(dx, dy, vx, vy) {
        if (!dragging) return;
        dragging = false;
        if (!inside(x, y)) {
          settle();
          return;
        }
        if (!props.inertia) return;
        // A glide decelerating at a rate set by `friction` (px/ms²), stopped at the edges.
        const gx = canX() ? vx : 0;
        const gy = canY() ? vy : 0;
        const speed = Math.hypot(gx, gy);
        if (speed < 0.1) return;
        const a = friction() * 0.0008;
        const t = speed / a;
        const distance = (speed * speed) / (2 * a);
        const tx = clampX(x + (gx / speed) * distance);
        const ty = clampY(y + (gy / speed) * distance);
        animateTo(tx, ty, Math.min(1500, t), "friction");
      },
    });

    // Scaling: ctrl + wheel (a trackpad pinch in desktop browsers) and a two-finger pinch.
    function scaleTo(s, report) {
      const min = Math.max(0.1, V.num(props.scaleMin, 0.1));
      const max = Math.min(10, Math.max(min, V.num(props.scaleMax, 10)));
      const next = Math.max(min, Math.min(max, s));
      if (next === scale) return;
      scale = next;
      measure();
      x = clampX(x);
      y = clampY(y);
      render();
      if (report) V.emit(el, "scale", { x: round(x), y: round(y), scale: round(scale) });
    }

    el.addEventListener(
      "wheel",
      (e) => {
        if (!props.scale || props.disabled || !e.ctrlKey) return;
        e.preventDefault();
        scaleTo(scale * Math.exp(-e.deltaY / 200), true);
      },
      { passive: false },
    );

    let pinch = null;
    const spread = (t) => Math.hypot(t[0].clientX - t[1].clientX, t[0].clientY - t[1].clientY);
    el.addEventListener(
      "touchstart",
      (e) => {
        if (props.scale && !props.disabled && e.touches.length === 2) {
          pinch = { d: spread(e.touches) || 1, s: scale };
        }
      },
      { passive: true },
    );
    el.addEventListener(
      "touchmove",
      (e) => {
        if (pinch === null || e.touches.length !== 2) return;
        if (e.cancelable) e.preventDefault();
        scaleTo((pinch.s * spread(e.touches)) / pinch.d, true);
      },
      { passive: false },
    );
    el.addEventListener("touchend", (e) => {
      if (e.touches.length < 2) pinch = null;
    });

    const ctl = {
      needsConnected: true,
      set(name, value) {
        if (name === "x") wantX = value;
        else if (name === "y") wantY = value;
        else if (name === "scaleValue") wantScale = value;
        V.markDirty(ctl);
      },
      restyle() {
        render();
        V.markDirty(ctl);
      },
      // Called by the area when its size may have changed.
      relayout() {
        V.markDirty(ctl);
      },
      update() {
        if (wantScale !== null) {
          const s = V.num(wantScale, 1);
          wantScale = null;
          scaleTo(s, false);
        }
        measure();
        const tx = wantX === null ? x : clampX(V.px(wantX, 0));
        const ty = wantY === null ? y : clampY(V.px(wantY, 0));
        wantX = wantY = null;
        if (!laidOut) {
          laidOut = true;
          x = tx;
          y = ty;
          render();
          return;
        }
        if (dragging) return;
        if (tx === x && ty === y) {
          if (!stop && !inside(x, y)) {
            // The area shrank under the view.
            x = clampX(x);
            y = clampY(y);
            render();
          }
          return;
        }
        if (props.animation === false) {
          cancel();
          x = tx;
          y = ty;
          render();
          change("");
        } else animateTo(tx, ty, 4000 / damping() + 100, "");
      },
      destroy() {
        cancel();
      },
    };
    render();
    return ctl;
  };
})();
