// Built-in components: swiper and swiper-item. Structure (as WeChat's):
// wx-swiper > .wx-swiper-wrapper > .wx-swiper-slides > .wx-swiper-slide-frame (the slot, one item
// wide, moved by `offset` items) > wx-swiper-item (each placed at its index, or for `circular`
// at the copy of its index nearest the visible window) + .wx-swiper-dots.
(function () {
  "use strict";

  const V = globalThis.wxView;
  const mod = (a, n) => ((a % n) + n) % n;

  V.components["wx-swiper-item"] = (el) => ({
    // The logic layer's style replaces the inline transform the swiper placed the item with.
    restyle() {
      el.__swiperT = null;
      const frame = el.parentNode;
      const host = frame && frame.__wxHost;
      if (host && host.__wx && host.__wx.ctl) V.markDirty(host.__wx.ctl);
    },
  });

  V.components["wx-swiper"] = (el, meta) => {
    const props = meta.props;
    const wrapper = V.div("wx-swiper-wrapper", el);
    const slides = V.div("wx-swiper-slides", wrapper);
    const frame = V.div("wx-swiper-slide-frame", slides);
    const dots = V.div("wx-swiper-dots", wrapper);
    frame.__wxHost = el;

    let items = [];
    let current = 0; // the index shown (or being moved to)
    let offset = 0; // the frame's position, in items (fractional while moving)
    let base = 0; // the index a drag or an animation started from (for `transition`)
    let laidOut = false;
    let propCurrent = 0;
    let currentChanged = false;
    let stopAnimation = null;
    let autoTimer = 0;
    let autoKey = "";
    let dragging = false;
    let dragStart = 0;
    let size = 0;
    let dotCount = -1;

    function opts() {
      const n = items.length;
      const dmi = Math.max(1, Math.floor(V.num(props.displayMultipleItems, 1)));
      const circular = !!props.circular && n > dmi;
      return {
        n,
        dmi,
        circular,
        vertical: !!props.vertical,
        maxIndex: circular ? n - 1 : Math.max(0, n - dmi),
      };
    }

    function itemSize() {
      const o = opts();
      return (o.vertical ? slides.clientHeight : slides.clientWidth) / o.dmi;
    }

    function itemId(i) {
      const item = items[i];
      const id = item && item.__wx && item.__wx.props ? item.__wx.props.itemId : undefined;
      return typeof id === "string" ? id : "";
    }

    function render() {
      const o = opts();
      const axis = o.vertical ? "Y" : "X";
      frame.style.transform = `translate${axis}(${-offset * 100}%) translateZ(0)`;
      const margins = props.previousMargin || props.nextMargin ? 1 : 0;
      const lo = Math.floor(offset) - margins;
      for (let i = 0; i < o.n; i++) {
        const pos = o.circular ? lo + mod(i - lo, o.n) : i;
        const t = `translate${axis}(${pos * 100}%) translateZ(0)`;
        const item = items[i];
        if (item.__swiperT !== t) {
          item.style.transform = t;
          item.__swiperT = t;
        }
      }
    }

    function renderDots() {
      const o = opts();
      dots.hidden = !props.indicatorDots;
      dots.classList.toggle("wx-swiper-dots-vertical", o.vertical);
      if (dotCount !== o.n) {
        dotCount = o.n;
        dots.replaceChildren();
        for (let i = 0; i < o.n; i++) V.div("wx-swiper-dot", dots);
      }
      const color = typeof props.indicatorColor === "string" ? props.indicatorColor : "";
      const active = typeof props.indicatorActiveColor === "string" ? props.indicatorActiveColor : "";
      let i = 0;
      for (const dot of dots.children) {
        const on = i === current;
        dot.classList.toggle("wx-swiper-dot-active", on);
        dot.style.backgroundColor = on ? active : color;
        i++;
      }
    }

    function geometry() {
      const o = opts();
      const share = 100 / o.dmi + "%";
      frame.style.width = o.vertical ? "100%" : share;
      frame.style.height = o.vertical ? share : "100%";
      const before = V.cssLength(props.previousMargin, "0px");
      const after = V.cssLength(props.nextMargin, "0px");
      slides.style.left = o.vertical ? "0px" : before;
      slides.style.right = o.vertical ? "0px" : after;
      slides.style.top = o.vertical ? before : "0px";
      slides.style.bottom = o.vertical ? after : "0px";
    }

    function setCurrent(index, source) {
      if (index === current) return;
      current = index;
      renderDots();
      V.emit(el, "change", { current, currentItemId: itemId(current), source });
    }

    function transition() {
      if (!V.wants(el, "transition")) return;
      const s = size || itemSize();
      const d = (offset - base) * s;
      V.emit(el, "transition", opts().vertical ? { dx: 0, dy: d } : { dx: d, dy: 0 });
    }

    function go(target, source) {
      const o = opts();
      if (o.n === 0) return;
      if (!o.circular) target = Math.max(0, Math.min(o.maxIndex, target));
      setCurrent(mod(target, o.n), source);
      if (stopAnimation) stopAnimation();
      const from = offset;
      size = itemSize();
      stopAnimation = V.animate(
        V.num(props.duration, 500),
        (k) => {
          offset = from + (target - from) * k;
          render();
          transition();
        },
        () => {
          stopAnimation = null;
          offset = current;
          base = current;
          render();
          V.emit(el, "animationfinish", { current, currentItemId: itemId(current), source });
          scheduleAutoplay();
        },
      );
    }

    function scheduleAutoplay() {
      clearTimeout(autoTimer);
      autoTimer = 0;
      const o = opts();
      if (!props.autoplay || dragging || stopAnimation || o.n <= o.dmi || !el.isConnected) return;
      autoTimer = setTimeout(() => {
        autoTimer = 0;
        if (dragging || stopAnimation || !el.isConnected) return;
        const o = opts();
        base = current;
        if (o.circular) go(current + 1, "autoplay");
        else go(current + 1 > o.maxIndex ? 0 : current + 1, "autoplay");
      }, Math.max(16, V.num(props.interval, 5000)));
    }

    V.drag(el, {
      start: () => {
        const o = opts();
        return o.n > o.dmi || (o.n > 0 && o.circular);
      },
      claim: (dx, dy) => (opts().vertical ? Math.abs(dy) > Math.abs(dx) : Math.abs(dx) > Math.abs(dy)),
      move(dx, dy) {
        const o = opts();
        if (!dragging) {
          dragging = true;
          if (stopAnimation) {
            stopAnimation();
            stopAnimation = null;
          }
          clearTimeout(autoTimer);
          autoTimer = 0;
          dragStart = offset;
          base = current;
          size = itemSize();
        }
        if (size <= 0) return;
        let at = dragStart - (o.vertical ? dy : dx) / size;
        if (!o.circular) at = Math.max(0, Math.min(o.maxIndex, at));
        offset = at;
        render();
        transition();
      },
      end(dx, dy, vx, vy) {
        if (!dragging) return;
        dragging = false;
        const o = opts();
        const v = o.vertical ? vy : vx;
        let target;
        if (v < -0.2) target = Math.floor(offset) + 1;
        else if (v > 0.2) target = Math.ceil(offset) - 1;
        else target = Math.round(offset);
        const origin = Math.round(dragStart);
        target = Math.max(origin - 1, Math.min(origin + 1, target));
        go(target, "touch");
      },
    });

    const ctl = {
      slot: frame,
      children: true,
      needsConnected: true,
      set(name, value) {
        if (name === "current") {
          propCurrent = Math.max(0, Math.floor(V.num(value, 0)));
          currentChanged = true;
        }
        V.markDirty(ctl);
      },
      update() {
        items = Array.from(frame.children);
        const o = opts();
        geometry();
        if (!laidOut) {
          if (o.n > 0) {
            laidOut = true;
            current = Math.min(propCurrent, o.maxIndex);
            offset = base = current;
          }
        } else if (currentChanged && !dragging) {
          const wanted = Math.min(propCurrent, o.maxIndex);
          if (wanted !== current) {
            base = current;
            go(wanted, "");
          }
        }
        currentChanged = false;
        if (current > o.maxIndex) {
          // Items were removed under the current one.
          if (stopAnimation) stopAnimation();
          stopAnimation = null;
          current = offset = base = o.maxIndex;
        }
        if (!stopAnimation && !dragging) offset = current;
        render();
        renderDots();
        const key = `${!!props.autoplay}|${props.interval}|${o.n}|${o.dmi}|${o.circular}`;
        if (key !== autoKey || (!autoTimer && !stopAnimation)) {
          autoKey = key;
          scheduleAutoplay();
        }
      },
      destroy() {
        clearTimeout(autoTimer);
        if (stopAnimation) stopAnimation();
      },
    };
    return ctl;
  };
})();
