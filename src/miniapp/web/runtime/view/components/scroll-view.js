// Built-in component: scroll-view. Structure: wx-scroll-view > .wx-scroll-view-scroller (the
// element that scrolls) > [.wx-scroll-view-refresher] + .wx-scroll-view-content (the slot).
(function () {
  "use strict";

  const V = globalThis.wxView;

  V.components["wx-scroll-view"] = (el, meta) => {
    const props = meta.props;
    const scroller = V.div("wx-scroll-view-scroller", el);
    const refresher = V.div("wx-scroll-view-refresher", scroller);
    refresher.hidden = true;
    V.dots(refresher);
    const content = V.div("wx-scroll-view-content", scroller);
    content.__wxHost = el;

    let lastTop = 0;
    let lastLeft = 0;
    // Edges start "reached" at the top and left: scrolltoupper fires on coming back there.
    const inZone = { top: true, left: true, bottom: false, right: false };
    let pendingTop = null;
    let pendingLeft = null;
    let pendingInto = null;
    let pull = null; // the refresher's drag, made when first enabled
    let state = "idle"; // idle | pulling | refreshing
    let height = 0;
    let stopAnimation = null;

    const threshold = () => V.px(props.refresherThreshold, 45);

    function edge(name, reached, event) {
      if (reached) {
        if (!inZone[name]) {
          inZone[name] = true;
          V.emit(el, event, { direction: name });
        }
      } else inZone[name] = false;
    }

    scroller.addEventListener(
      "scroll",
      () => {
        const top = scroller.scrollTop;
        const left = scroller.scrollLeft;
        const deltaX = lastLeft - left;
        const deltaY = lastTop - top;
        lastTop = top;
        lastLeft = left;
        V.cancelTap();
        const wantsScroll = V.wants(el, "scroll");
        const wantsUpper = V.wants(el, "scrolltoupper");
        const wantsLower = V.wants(el, "scrolltolower");
        if (!wantsScroll && !wantsUpper && !wantsLower) return;
        const scrollHeight = scroller.scrollHeight;
        const scrollWidth = scroller.scrollWidth;
        if (wantsScroll) {
          V.emit(el, "scroll", { scrollLeft: left, scrollTop: top, scrollHeight, scrollWidth, deltaX, deltaY });
        }
        const upper = V.px(props.upperThreshold, 50);
        const lower = V.px(props.lowerThreshold, 50);
        if (props.scrollY) {
          edge("top", top <= upper, "scrolltoupper");
          edge("bottom", scrollHeight - scroller.clientHeight - top <= lower, "scrolltolower");
        }
        if (props.scrollX) {
          edge("left", left <= upper, "scrolltoupper");
          edge("right", scrollWidth - scroller.clientWidth - left <= lower, "scrolltolower");
        }
      },
      { passive: true },
    );

    function setHeight(h) {
      height = h;
      refresher.style.height = h + "px";
      refresher.classList.toggle("wx-refreshing", state === "refreshing");
    }

    function animateHeight(to, done) {
      if (stopAnimation) stopAnimation();
      const from = height;
      stopAnimation = V.animate(
        250,
        (k) => setHeight(from + (to - from) * k),
        () => {
          stopAnimation = null;
          if (done) done();
        },
      );
    }

    function enablePull() {
      if (pull !== null) return;
      pull = V.drag(scroller, {
        start: () => !!props.refresherEnabled && state === "idle" && scroller.scrollTop <= 0,
        claim: (dx, dy) => dy > 0 && Math.abs(dy) > Math.abs(dx) && scroller.scrollTop <= 0,
        move(dx, dy) {
          if (stopAnimation) stopAnimation();
          state = "pulling";
          setHeight(Math.min(Math.max(0, dy) * 0.5, threshold() * 2.5));
          V.emit(el, "refresherpulling", { dy: height });
        },
        end(dx, dy, vx, vy, cancelled) {
          if (state !== "pulling") return;
          const reached = height;
          if (!cancelled && reached >= threshold()) {
            state = "refreshing";
            animateHeight(threshold());
            V.emit(el, "refresherrefresh", { dy: reached });
          } else {
            state = "idle";
            animateHeight(0, () => V.emit(el, "refresherabort", { dy: reached }));
          }
        },
      });
    }

    function setTriggered(on) {
      if (on && state !== "refreshing") {
        state = "refreshing";
        scroller.scrollTop = 0;
        animateHeight(threshold());
      } else if (!on && state === "refreshing") {
        state = "idle";
        animateHeight(0, () => V.emit(el, "refresherrestore", {}));
      }
    }

    const ctl = {
      slot: content,
      needsConnected: true,
      set(name, value) {
        switch (name) {
          case "scrollTop":
            pendingTop = V.px(value, null);
            V.markDirty(ctl);
            break;
          case "scrollLeft":
            pendingLeft = V.px(value, null);
            V.markDirty(ctl);
            break;
          case "scrollIntoView":
            pendingInto = typeof value === "string" && value !== "" ? value : null;
            V.markDirty(ctl);
            break;
          case "refresherEnabled":
            refresher.hidden = !value;
            if (value) enablePull();
            else if (state !== "idle") setTriggered(false);
            break;
          case "refresherDefaultStyle":
            refresher.classList.toggle("wx-light", value === "white");
            refresher.classList.toggle("wx-no-dots", value === "none");
            break;
          case "refresherBackground":
            refresher.style.backgroundColor = typeof value === "string" ? value : "";
            break;
          case "refresherTriggered":
            if (props.refresherEnabled) setTriggered(!!value);
            break;
        }
      },
      update() {
        const behavior = props.scrollWithAnimation ? "smooth" : "auto";
        if (pendingInto !== null) {
          let target = null;
          try {
            target = content.querySelector("#" + CSS.escape(pendingInto));
          } catch {
            target = null;
          }
          pendingInto = null;
          if (target !== null) {
            const box = scroller.getBoundingClientRect();
            const r = target.getBoundingClientRect();
            const to = { behavior };
            if (props.scrollY) to.top = scroller.scrollTop + r.top - box.top;
            if (props.scrollX) to.left = scroller.scrollLeft + r.left - box.left;
            scroller.scrollTo(to);
            pendingTop = pendingLeft = null;
            return;
          }
        }
        if (pendingTop !== null || pendingLeft !== null) {
          const to = { behavior };
          if (pendingTop !== null) to.top = pendingTop;
          if (pendingLeft !== null) to.left = pendingLeft;
          pendingTop = pendingLeft = null;
          scroller.scrollTo(to);
        }
      },
      destroy() {
        if (stopAnimation) stopAnimation();
      },
    };
    return ctl;
  };
})();
