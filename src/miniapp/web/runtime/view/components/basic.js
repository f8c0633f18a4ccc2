// Built-in components: text, image, button, icon (view and navigator need nothing beyond the
// hover-class handling in frame.js). See frame.js for the controller interface.
(function () {
  "use strict";

  const V = globalThis.wxView;
  const doc = document;

  // --- text: `space` and `decode` apply to the text nodes inside ------------------------------

  const SPACES = { ensp: "\u2002", emsp: "\u2003", nbsp: "\u00a0" };
  const ENTITIES = {
    nbsp: "\u00a0",
    lt: "<",
    gt: ">",
    amp: "&",
    apos: "'",
    ensp: "\u2002",
    emsp: "\u2003",
  };

  V.transformText = (raw, mode) => {
    let s = raw;
    if (mode.decode) s = s.replace(/&(nbsp|lt|gt|amp|apos|ensp|emsp);/g, (_, name) => ENTITIES[name]);
    if (mode.space) s = s.replace(/ /g, mode.space);
    return s;
  };

  V.components["wx-text"] = (el, meta) => {
    meta.textMode = null;
    return {
      set(name) {
        if (name !== "space" && name !== "decode") return;
        const p = meta.props;
        const space = Object.prototype.hasOwnProperty.call(SPACES, p.space) ? SPACES[p.space] : null;
        const decode = !!p.decode;
        meta.textMode = space || decode ? { space, decode } : null;
        for (let c = el.firstChild; c !== null; c = c.nextSibling) {
          if (c.nodeType === 3 && c.__wx) V.renderText(c);
        }
      },
    };
  };

  V.components["wx-navigator"] = (el) => {
    el.setAttribute("role", "link");
    return null;
  };

  // --- image ----------------------------------------------------------------------------------

  V.components["wx-image"] = (el, meta) => {
    const img = doc.createElement("img");
    img.alt = "";
    img.draggable = false;
    img.decoding = "async";
    el.appendChild(img);
    let shown = "";
    img.addEventListener("load", () => {
      if (shown === "") return;
      V.emit(el, "load", { width: img.naturalWidth, height: img.naturalHeight });
    });
    img.addEventListener("error", () => {
      if (shown === "") return;
      V.emit(el, "error", { errMsg: `GET ${shown} error` });
    });
    const ctl = {
      set(name) {
        if (name === "src" || name === "lazyLoad") V.markDirty(ctl);
      },
      // The source is applied after the batch, once lazy-load is known whatever the order of
      // the attributes.
      update() {
        const p = meta.props;
        const src = typeof p.src === "string" ? p.src.trim() : "";
        img.loading = p.lazyLoad ? "lazy" : "eager";
        if (src === shown) return;
        shown = src;
        if (src === "") img.removeAttribute("src");
        else img.src = src;
      },
    };
    return ctl;
  };

  // --- button ---------------------------------------------------------------------------------

  V.components["wx-button"] = (el, meta) => {
    let spinner = null;
    el.setAttribute("role", "button");
    return {
      set(name, value) {
        if (name === "disabled") {
          if (value) el.setAttribute("aria-disabled", "true");
          else el.removeAttribute("aria-disabled");
        }
        if (name !== "loading") return;
        if (value && spinner === null) {
          spinner = doc.createElement("i");
          spinner.className = "wx-button-loading";
          el.insertBefore(spinner, el.firstChild);
        } else if (!value && spinner !== null) {
          spinner.remove();
          spinner = null;
        }
      },
      // Called by frame.js after a tap on (or inside) the button that was not suppressed.
      tapped() {
        const p = meta.props;
        if (p.disabled) return;
        if (typeof p.openType === "string" && p.openType !== "") {
          V.emit(el, "opentype", { openType: p.openType });
        }
        if (p.formType === "submit" || p.formType === "reset") V.formAction(el, p.formType);
      },
    };
  };

  // --- icon -----------------------------------------------------------------------------------

  const SVG = "http://www.w3.org/2000/svg";
  const WHITE = { fill: "none", stroke: "#fff", "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round" };
  const DISC = ["circle", { cx: "12", cy: "12", r: "12", fill: "currentColor" }];
  const ICONS = {
    success: ["#09BB07", [DISC, ["path", { d: "M6.5 12.3l3.7 3.7 7.3-7.6", ...WHITE }]]],
    success_no_circle: [
      "#09BB07",
      [["path", { d: "M2.5 12.5l6 6L21.5 5.5", ...WHITE, stroke: "currentColor", "stroke-width": "2.4" }]],
    ],
    info: [
      "#10AEFF",
      [DISC, ["path", { d: "M12 10.5v7", ...WHITE, "stroke-width": "2.2" }], ["circle", { cx: "12", cy: "6.9", r: "1.4", fill: "#fff" }]],
    ],
    warn: [
      "#F76260",
      [DISC, ["path", { d: "M12 5.8v7.6", ...WHITE, "stroke-width": "2.2" }], ["circle", { cx: "12", cy: "17.3", r: "1.4", fill: "#fff" }]],
    ],
    waiting: ["#10AEFF", [DISC, ["path", { d: "M12 5.5v7l4.6 2.7", ...WHITE }]]],
    cancel: ["#F43530", [DISC, ["path", { d: "M8 8l8 8M16 8l-8 8", ...WHITE }]]],
    download: ["#09BB07", [DISC, ["path", { d: "M12 6v10.5M7.6 12.2l4.4 4.4 4.4-4.4", ...WHITE }]]],
    search: [
      "#B2B2B2",
      [
        ["circle", { cx: "10.5", cy: "10.5", r: "7", fill: "none", stroke: "currentColor", "stroke-width": "2" }],
        ["path", { d: "M15.6 15.6l6 6", fill: "none", stroke: "currentColor", "stroke-width": "2.4", "stroke-linecap": "round" }],
      ],
    ],
    clear: [
      "#B2B2B2",
      [["circle", { cx: "12", cy: "12", r: "10", fill: "currentColor" }], ["path", { d: "M8.8 8.8l6.4 6.4M15.2 8.8l-6.4 6.4", ...WHITE, "stroke-width": "1.8" }]],
    ],
  };

  V.components["wx-icon"] = (el, meta) => {
    const svg = doc.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    el.appendChild(svg);
    let type = null;
    const ctl = {
      set() {
        V.markDirty(ctl);
      },
      update() {
        const p = meta.props;
        const icon = Object.prototype.hasOwnProperty.call(ICONS, p.type) ? ICONS[p.type] : null;
        if (p.type !== type) {
          type = p.type;
          svg.replaceChildren();
          if (icon !== null) {
            for (const [tag, attrs] of icon[1]) {
              const shape = doc.createElementNS(SVG, tag);
              for (const name in attrs) shape.setAttribute(name, attrs[name]);
              svg.appendChild(shape);
            }
          }
        }
        const size = V.cssLength(p.size, "23px");
        svg.style.width = size;
        svg.style.height = size;
        svg.style.color = typeof p.color === "string" && p.color !== "" ? p.color : icon ? icon[0] : "";
      },
    };
    V.markDirty(ctl);
    return ctl;
  };
})();
