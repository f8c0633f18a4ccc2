// Built-in components: slider and progress. See frame.js for the controller interface.
//
// The DOM follows WeChat's WebView base library (`.wx-slider-wrapper > .wx-slider-tap-area >
// .wx-slider-handle-wrapper > .wx-slider-track / .wx-slider-thumb`, `.wx-progress-bar >
// .wx-progress-inner-bar`, `.wx-progress-info`) so app WXSS aimed at those classes applies.
(function () {
  "use strict";

  const V = globalThis.wxView;

  const color = (v) => (typeof v === "string" ? v.trim() : "");

  // A colour attribute with a legacy alias: the current name wins when given.
  function pick(props, name, legacy, fallback) {
    return color(props[name]) || color(props[legacy]) || fallback;
  }

  // Digits after the point of a number (so stepped values do not show 0.30000000000000004).
  function decimals(n) {
    const s = String(n);
    const dot = s.indexOf(".");
    return dot < 0 ? 0 : s.length - dot - 1;
  }

  // --- slider ---------------------------------------------------------------------------------

  V.components["wx-slider"] = (el, meta) => {
    const props = meta.props;
    const wrapper = V.div("wx-slider-wrapper", el);
    const area = V.div("wx-slider-tap-area", wrapper);
    const rail = V.div("wx-slider-handle-wrapper", area);
    const track = V.div("wx-slider-track", rail);
    const thumb = V.div("wx-slider-thumb", rail);
    const shown = V.div("wx-slider-value", wrapper);
    el.setAttribute("role", "slider");
    el.tabIndex = 0;

    let value = 0;
    let dragging = false;

    function range() {
      const min = V.num(props.min, 0);
      let max = V.num(props.max, 100);
      if (max < min) max = min;
      let step = V.num(props.step, 1);
      if (!(step > 0)) step = 1;
      return { min, max, step };
    }

    // The value nearest to `v` on the min + k * step grid, inside [min, max].
    function snap(v) {
      const { min, max, step } = range();
      if (!Number.isFinite(v)) return min;
      const k = Math.round((Math.min(Math.max(v, min), max) - min) / step);
      let out = min + k * step;
      if (out > max) out -= step;
      out = Number(out.toFixed(Math.max(decimals(step), decimals(min))));
      return Math.min(Math.max(out, min), max);
    }

    function render() {
      const { min, max } = range();
      const ratio = max > min ? (value - min) / (max - min) : 0;
      const pct = ratio * 100 + "%";
      track.style.width = pct;
      thumb.style.left = pct;
      shown.textContent = String(value);
      shown.hidden = !props.showValue;
      el.setAttribute("aria-valuemin", String(min));
      el.setAttribute("aria-valuemax", String(max));
      el.setAttribute("aria-valuenow", String(value));
    }

    function restyle() {
      const size = Math.min(28, Math.max(12, Math.round(V.num(props.blockSize, 28))));
      thumb.style.width = size + "px";
      thumb.style.height = size + "px";
      thumb.style.marginLeft = -size / 2 + "px";
      thumb.style.marginTop = -size / 2 + "px";
      thumb.style.backgroundColor = color(props.blockColor) || "#fff";
      track.style.backgroundColor = props.disabled ? "" : pick(props, "activeColor", "selectedColor", "#1aad19");
      rail.style.backgroundColor = pick(props, "backgroundColor", "color", "#e9e9e9");
      wrapper.classList.toggle("wx-slider-disabled", !!props.disabled);
      if (props.disabled) el.removeAttribute("tabindex");
      else el.tabIndex = 0;
      el.setAttribute("aria-disabled", String(!!props.disabled));
    }

    // The value under the pointer at clientX (layout is read here, in a user event, not while
    // ops are applied).
    function valueAt(clientX) {
      const rect = rail.getBoundingClientRect();
      const { min, max } = range();
      const ratio = rect.width > 0 ? (clientX - rect.left) / rect.width : 0;
      return snap(min + Math.min(1, Math.max(0, ratio)) * (max - min));
    }

    let startX = 0;
    V.drag(area, {
      start(x) {
        if (props.disabled) return false;
        startX = x;
        return true;
      },
      claim: (dx, dy) => Math.abs(dx) >= Math.abs(dy),
      move(dx) {
        dragging = true;
        const v = valueAt(startX + dx);
        if (v === value) return;
        value = v;
        render();
        V.emit(el, "changing", { value });
      },
      end(dx) {
        dragging = false;
        value = valueAt(startX + dx);
        render();
        V.emit(el, "change", { value });
      },
    });

    el.addEventListener("keydown", (e) => {
      if (props.disabled) return;
      const { min, max, step } = range();
      const moves = { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step };
      let v;
      if (e.key in moves) v = snap(value + moves[e.key]);
      else if (e.key === "Home") v = min;
      else if (e.key === "End") v = snap(max);
      else return;
      e.preventDefault();
      if (v === value) return;
      value = v;
      render();
      V.emit(el, "change", { value });
    });

    const ctl = {
      set(name) {
        switch (name) {
          case "value":
          case "min":
          case "max":
          case "step":
            if (!dragging) value = snap(V.num(props.value, 0));
            render();
            break;
          case "showValue":
            render();
            break;
          default:
            restyle();
        }
      },
      // A tap (frame.js: not one that became a drag) on the track moves the thumb there.
      tapped(e) {
        if (props.disabled || !area.contains(e.target)) return;
        value = valueAt(e.clientX);
        render();
        V.emit(el, "change", { value });
      },
      formValue: () => value,
      formReset() {
        value = snap(V.num(props.value, 0));
        render();
      },
    };
    restyle();
    render();
    return ctl;
  };

  // --- progress -------------------------------------------------------------------------------

  V.components["wx-progress"] = (el, meta) => {
    const props = meta.props;
    const bar = V.div("wx-progress-bar", el);
    const inner = V.div("wx-progress-inner-bar", bar);
    const info = V.div("wx-progress-info", el);
    el.setAttribute("role", "progressbar");
    el.setAttribute("aria-valuemin", "0");
    el.setAttribute("aria-valuemax", "100");

    // What is drawn (it trails `percent` while the active animation runs).
    let current = 0;
    let target = null;
    let frame = 0;

    const percent = () => Math.min(100, Math.max(0, V.num(props.percent, 0)));

    function draw(p) {
      current = p;
      inner.style.width = p + "%";
      info.textContent = Math.round(p * 100) / 100 + "%";
      el.setAttribute("aria-valuenow", String(p));
    }

    function stop() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    }

    // WeChat's active progress counts up (or down) one percent every `duration` ms, from 0
    // (active-mode backwards) or from where it was (forwards), then fires activeend.
    function animate(to) {
      stop();
      const from = props.activeMode === "forwards" ? current : 0;
      const perStep = Math.max(0, V.num(props.duration, 30));
      const distance = Math.abs(to - from);
      const sign = to >= from ? 1 : -1;
      const started = performance.now();
      const tick = (now) => {
        // (A frame's timestamp can be a little before `started`.)
        const steps = perStep > 0 ? Math.max(0, Math.floor((now - started) / perStep)) : distance;
        if (steps >= distance) {
          frame = 0;
          draw(to);
          V.emit(el, "activeend", { curPercent: to });
          return;
        }
        draw(from + sign * steps);
        frame = requestAnimationFrame(tick);
      };
      draw(from);
      frame = requestAnimationFrame(tick);
    }

    function restyle() {
      const stroke = V.cssLength(props.strokeWidth, "6px");
      bar.style.height = stroke;
      const radius = V.cssLength(props.borderRadius, "0px");
      bar.style.borderRadius = radius;
      inner.style.borderRadius = radius;
      bar.style.backgroundColor = color(props.backgroundColor) || "#ebebeb";
      inner.style.backgroundColor = pick(props, "activeColor", "color", "#09bb07");
      info.style.fontSize = V.cssLength(props.fontSize, "16px");
      info.hidden = !props.showInfo;
    }

    const ctl = {
      set(name) {
        if (name === "percent" || name === "active" || name === "activeMode") {
          if (name !== "activeMode") V.markDirty(ctl);
        } else restyle();
      },
      // Once per batch, after every attribute is known: start the animation or jump.
      update() {
        const to = percent();
        if (to === target && (frame !== 0 || current === to)) return;
        target = to;
        if (props.active) animate(to);
        else {
          stop();
          draw(to);
        }
      },
      destroy: stop,
    };
    restyle();
    draw(0);
    V.markDirty(ctl);
    return ctl;
  };
})();
