// Built-in components of the page itself: page-meta, navigation-bar and web-view. See frame.js
// for the controller interface.
//
// - page-meta (the page's first node; shows nothing) sets the page as wx.setBackgroundColor and
//   friends do: background-color (the window's, seen past the page's ends) on <html>,
//   root-background-color on <body>, page-style on the page root (wx-page, WeChat's `page`),
//   page-font-size on the page root and root-font-size on <html> (what rem is), background-text-
//   style for the pull-down dots, scroll-top (px or rpx) scrolls the page over scroll-duration
//   then fires scrolldone; bindscroll {scrollTop} (once per animation frame) and bindresize
//   {size: {windowWidth, windowHeight}}. background-color-top / -bottom are iOS-only in WeChat
//   and page-orientation has no meaning in a browser frame: both are ignored.
// - navigation-bar (inside page-meta) sets the host's navigation bar for this page: the view
//   posts `{t: "navigationBar", title?, frontColor?, backgroundColor?, loading?, animation?}`
//   to the host, which checks it and applies it as setNavigationBarTitle / Color / Loading do.
// - web-view is drawn by the host over the whole page (it covers every other component, as in
//   WeChat): the view only reports `{t: "webview", id, src}` (src null when it goes away); the
//   host checks the address, makes the frame and reports load / error / message events to the
//   logic layer on this node.
(function () {
  "use strict";

  const V = globalThis.wxView;
  const doc = document;
  const html = doc.documentElement;
  const scroller = doc.scrollingElement || html;
  const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

  // rpx in a style string, as the compiler converts it in WXSS.
  function convertRpx(text) {
    return String(text).replace(/(-?(?:\d+\.?\d*|\.\d+))rpx\b/gi, (_, n) => `calc(${n} * 100vw / 750)`);
  }

  function fontSize(value) {
    if (value === "system") return ((V.system().fontSizeSetting || 16) | 0) + "px";
    return V.cssLength(value, "");
  }

  // --- page-meta ------------------------------------------------------------------------------

  V.components["wx-page-meta"] = (el, meta) => {
    const props = meta.props;
    const page = V.nodeById(0);
    let scrollWanted = false;
    let stopScroll = null;
    let scrollFrame = 0;
    let applied = {};

    function onScroll() {
      if (scrollFrame !== 0 || !V.wants(el, "scroll")) return;
      scrollFrame = requestAnimationFrame(() => {
        scrollFrame = 0;
        V.emit(el, "scroll", { scrollTop: scroller.scrollTop });
      });
    }
    function onResize() {
      V.emit(el, "resize", { size: { windowWidth: window.innerWidth, windowHeight: window.innerHeight } });
    }
    window.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onResize);

    function scrollTo(top, duration) {
      if (stopScroll) stopScroll();
      stopScroll = null;
      const max = Math.max(0, scroller.scrollHeight - window.innerHeight);
      const to = Math.max(0, Math.min(top, max));
      const done = () => {
        stopScroll = null;
        V.emit(el, "scrolldone", {});
      };
      if (!(duration > 0)) {
        window.scrollTo(0, to);
        done();
        return;
      }
      const from = scroller.scrollTop;
      stopScroll = V.animate(duration, (k) => window.scrollTo(0, from + (to - from) * k), done);
    }

    const ctl = {
      needsConnected: true,
      set(name) {
        if (name === "scrollTop") scrollWanted = true;
        V.markDirty(ctl);
      },
      update() {
        const next = {
          background: typeof props.backgroundColor === "string" && HEX.test(props.backgroundColor) ? props.backgroundColor : null,
          rootBackground: typeof props.rootBackgroundColor === "string" ? props.rootBackgroundColor : "",
          pageStyle: typeof props.pageStyle === "string" ? convertRpx(props.pageStyle) : "",
          pageFont: props.pageFontSize === undefined ? "" : fontSize(props.pageFontSize),
          rootFont: props.rootFontSize === undefined ? "" : fontSize(props.rootFontSize),
          textStyle: props.backgroundTextStyle === "light" || props.backgroundTextStyle === "dark" ? props.backgroundTextStyle : null,
        };
        if (next.background !== null && next.background !== applied.background) html.style.backgroundColor = next.background;
        if (next.rootBackground !== applied.rootBackground) doc.body.style.backgroundColor = next.rootBackground;
        if (next.pageStyle !== applied.pageStyle || next.pageFont !== applied.pageFont) {
          // page-style is the page root's own style (WeChat's `page` element), as an inline style.
          page.style.cssText = next.pageStyle;
          if (next.pageFont) page.style.fontSize = next.pageFont;
        }
        if (next.rootFont !== applied.rootFont) html.style.fontSize = next.rootFont;
        if (next.textStyle !== null) {
          const dots = doc.querySelector(".wx-page-refresh");
          if (dots) dots.classList.toggle("wx-light", next.textStyle === "light");
        }
        applied = next;
        if (scrollWanted) {
          scrollWanted = false;
          const top = V.px(props.scrollTop, null);
          if (top !== null) scrollTo(top, V.num(props.scrollDuration, 300));
        }
      },
      destroy() {
        window.removeEventListener("scroll", onScroll);
        window.removeEventListener("resize", onResize);
        if (stopScroll) stopScroll();
        if (scrollFrame) cancelAnimationFrame(scrollFrame);
        page.style.cssText = "";
        html.style.fontSize = "";
        doc.body.style.backgroundColor = "";
      },
    };
    return ctl;
  };

  // --- navigation-bar -------------------------------------------------------------------------

  const TIMING = new Set(["linear", "easeIn", "easeOut", "easeInOut"]);

  V.components["wx-navigation-bar"] = (el, meta) => {
    const props = meta.props;
    let sent = {};
    const ctl = {
      set() {
        V.markDirty(ctl);
      },
      update() {
        const m = { t: "navigationBar" };
        if (typeof props.title === "string" && props.title !== sent.title) m.title = props.title;
        if (props.loading !== undefined && !!props.loading !== sent.loading) m.loading = !!props.loading;
        const front = typeof props.frontColor === "string" ? props.frontColor.toLowerCase() : "";
        const back = typeof props.backgroundColor === "string" ? props.backgroundColor : "";
        if ((front !== "" || back !== "") && (front !== sent.frontColor || back !== sent.backgroundColor)) {
          if (front === "#ffffff" || front === "#000000") m.frontColor = front;
          if (HEX.test(back)) m.backgroundColor = back;
          const duration = V.num(props.colorAnimationDuration, 0);
          if (duration > 0) {
            const fn = TIMING.has(props.colorAnimationTimingFunc) ? props.colorAnimationTimingFunc : "linear";
            m.animation = { duration, timingFunc: fn };
          }
        }
        sent = { title: props.title, loading: !!props.loading, frontColor: front, backgroundColor: back };
        if (Object.keys(m).length > 1) V.post(m);
      },
    };
    V.markDirty(ctl);
    return ctl;
  };

  // --- web-view -------------------------------------------------------------------------------

  V.components["wx-web-view"] = (el, meta) => {
    let reported;
    const ctl = {
      set(name) {
        if (name === "src") V.markDirty(ctl);
      },
      update() {
        const src = typeof meta.props.src === "string" ? meta.props.src.trim() : "";
        if (src === reported) return;
        reported = src;
        V.post({ t: "webview", id: meta.id, src });
      },
      destroy() {
        V.post({ t: "webview", id: meta.id, src: null });
      },
    };
    V.markDirty(ctl);
    return ctl;
  };
})();
