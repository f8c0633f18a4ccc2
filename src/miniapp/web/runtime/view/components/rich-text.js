// Built-in components: rich-text. See frame.js for the controller interface.
//
// `nodes` is an HTML string or an array of nodes ({name, attrs, children} elements, {type:
// "text", text} texts). Either way the view builds the DOM itself from WeChat's list of trusted
// tags and attributes: a string is read (fromHtml, no browser parsing) into the same plain node
// tree first, then both forms go through the same builder. As in WeChat:
//  - an untrusted tag is dropped with its whole subtree (<script>, <style>, <iframe>, <svg>,
//    <form>, <input>, <object>, unknown names …);
//  - only `class` and `style` everywhere plus a few attributes per tag (img src/alt/width/height,
//    td colspan …) survive; `id` is not supported, so no `on*` handler, `href` or other attribute
//    ever reaches the DOM (links are shown but do not navigate);
//  - img takes network images only (https/http; data:image/* too, which loads nothing);
//  - events of the inner nodes are not reported on their own: they are the rich-text's (a tap
//    inside bubbles from the rich-text element).
// A style value that could fetch or run something (url() other than http(s)/data:image,
// expression(), javascript:, behavior, -moz-binding, @import) is dropped whole.
(function () {
  "use strict";

  const V = globalThis.wxView;
  const doc = document;

  // WeChat's trusted nodes and, per node, the attributes it keeps besides class and style.
  const TRUSTED = Object.create(null);
  for (const name of (
    "a abbr address article aside b bdi big blockquote br caption center cite code dd del div dl " +
    "dt em fieldset font footer h1 h2 h3 h4 h5 h6 header hr i ins label legend li mark nav p pre " +
    "q rt ruby s section small span strong sub sup tbody tfoot thead tt u ul"
  ).split(" ")) {
    TRUSTED[name] = [];
  }
  TRUSTED.bdo = ["dir"];
  TRUSTED.col = ["span", "width"];
  TRUSTED.colgroup = ["span", "width"];
  TRUSTED.img = ["alt", "src", "height", "width"];
  TRUSTED.ol = ["start", "type"];
  TRUSTED.table = ["width"];
  TRUSTED.td = ["colspan", "height", "rowspan", "width"];
  TRUSTED.th = ["colspan", "height", "rowspan", "width"];
  TRUSTED.tr = ["colspan", "height", "rowspan", "width"];

  const MAX_DEPTH = 64; // deeper input is cut (hostile nesting must not exhaust the stack)
  const MAX_NODES = 20000;
  const MAX_TAG = 2048;
  const SPACES = { ensp: "\u2002", emsp: "\u2003", nbsp: "\u00a0" };

  // A style value that could load or run something is refused whole.
  const BAD_STYLE = /expression\s*\(|javascript\s*:|vbscript\s*:|-moz-binding|behavior\s*:|@import|\\/i;

  function safeStyle(value) {
    const s = String(value);
    if (BAD_STYLE.test(s)) return null;
    const urls = s.match(/url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/gi) || [];
    if (/url\s*\(/i.test(s) && urls.length !== (s.match(/url\s*\(/gi) || []).length) return null;
    for (const u of urls) {
      const inner = /url\s*\(\s*(['"]?)([^'")]*)\1\s*\)/i.exec(u)[2].trim();
      if (!safeImageUrl(inner)) return null;
    }
    return s;
  }

  function safeImageUrl(value) {
    const s = String(value).trim();
    if (/^data:image\/[a-z0-9.+-]+[;,]/i.test(s)) return true;
    let url;
    try {
      url = new URL(s);
    } catch {
      return false;
    }
    return url.protocol === "https:" || url.protocol === "http:";
  }

  function safeAttr(tag, name, value) {
    if (value === null || value === undefined || typeof value === "object") return null;
    const s = String(value);
    if (name === "src") return safeImageUrl(s) ? s.trim() : null;
    if (name === "dir") return /^(ltr|rtl|auto)$/i.test(s) ? s : null;
    // The rest are numbers or short keywords (width="100%", type="a").
    return /^[\w.%-]{0,32}$/.test(s.trim()) ? s.trim() : null;
  }

  // Entities in array text nodes ("supports entities", as WeChat's docs say). Only `&…;` runs are
  // decoded, each on its own, so no markup can come out of it.
  const decoder = doc.createElement("textarea");
  function decodeEntities(text) {
    if (text.indexOf("&") < 0) return text;
    return text.replace(/&(#[0-9]{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/gi, (m) => {
      decoder.innerHTML = m;
      return decoder.value;
    });
  }

  // --- the HTML string → the same node tree the array form uses ------------------------------

  // A small HTML reader of our own rather than DOMParser: a document parsed by the browser in
  // this frame checks every `on*` attribute it meets against the frame's CSP and logs a
  // violation for each (nothing runs, but the console fills with errors). This reader only
  // splits the string into tags, attributes and text; what is kept is decided by build() below.
  // Like WeChat's own, it is forgiving: unknown or unclosed tags close with their parent,
  // stray end tags are ignored, the contents of script / style / textarea / title are skipped.
  const VOID = new Set(
    "area base br col embed hr img input keygen link meta param source track wbr".split(" "),
  );
  const RAW = new Set(["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"]);
  const END = /^<\/([a-zA-Z][^\s/>]*)[^>]*>/;
  const SPACE = { test: (c) => c === " " || c === "\n" || c === "\t" || c === "\r" || c === "\f" };

  // The position of the next ">" at or after `from` (-1: none), remembered between calls so a
  // string full of "<" without ">" is read in linear time.
  let gtAt = -2;
  function nextGt(source, from) {
    if (gtAt !== -1 && gtAt < from) gtAt = source.indexOf(">", from);
    return gtAt;
  }

  // The start tag at `lt` ("<name attr=value …>"), read in one pass: {name, attrs, end, selfClosing}
  // or null when it is not one (then "<" is text).
  function readTag(source, lt) {
    // A tag longer than this is text: hostile input cannot make the reading quadratic in size.
    const gt = nextGt(source, lt);
    if (gt < 0 || gt - lt > MAX_TAG) return null;
    const n = Math.min(source.length, lt + MAX_TAG);
    let i = lt + 1;
    if (i >= n || !/[a-zA-Z]/.test(source[i])) return null;
    const nameStart = i;
    while (i < n && !SPACE.test(source[i]) && source[i] !== "/" && source[i] !== ">") i++;
    const name = source.slice(nameStart, i).toLowerCase();
    const attrs = {};
    let selfClosing = false;
    while (i < n) {
      const c = source[i];
      if (SPACE.test(c)) {
        i++;
      } else if (c === ">") {
        return { name, attrs, end: i + 1, selfClosing };
      } else if (c === "/") {
        selfClosing = true;
        i++;
      } else {
        selfClosing = false;
        const start = i;
        while (i < n && !SPACE.test(source[i]) && !"\"'>/=".includes(source[i])) i++;
        if (i === start) i++; // a stray quote: skipped
        const attr = source.slice(start, i).toLowerCase();
        let j = i;
        while (j < n && SPACE.test(source[j])) j++;
        let value = "";
        if (source[j] === "=") {
          j++;
          while (j < n && SPACE.test(source[j])) j++;
          const q = source[j];
          if (q === '"' || q === "'") {
            let close = j + 1;
            while (close < n && source[close] !== q) close++;
            if (close >= n) return null;
            value = source.slice(j + 1, close);
            i = close + 1;
          } else {
            const vStart = j;
            while (j < n && !SPACE.test(source[j]) && source[j] !== ">") j++;
            value = source.slice(vStart, j);
            i = j;
          }
        }
        if (attr !== "" && !Object.prototype.hasOwnProperty.call(attrs, attr)) attrs[attr] = decodeEntities(value);
      }
    }
    return null;
  }

  // Where the raw text of <name> ends (its end tag, any case), or -1.
  function rawEnd(source, name, from) {
    const pattern = new RegExp("</" + name + "(?=[\\s/>])", "ig");
    pattern.lastIndex = from;
    const m = pattern.exec(source);
    return m ? m.index : -1;
  }

  function fromHtml(html) {
    const source = String(html);
    const top = { name: "", children: [] };
    const stack = [top];
    let i = 0;
    gtAt = -2;
    const text = (t) => {
      if (t === "") return;
      const list = stack[stack.length - 1].children;
      const last = list[list.length - 1];
      if (last && last.type === "text") last.text += t;
      else list.push({ type: "text", text: t });
    };
    while (i < source.length) {
      const lt = source.indexOf("<", i);
      if (lt < 0) {
        text(source.slice(i));
        break;
      }
      text(source.slice(i, lt));
      const rest = source.slice(lt, lt + 256);
      if (rest.startsWith("<!--")) {
        const close = source.indexOf("-->", lt + 4);
        i = close < 0 ? source.length : close + 3;
        continue;
      }
      if (rest.startsWith("<!") || rest.startsWith("<?")) {
        const close = source.indexOf(">", lt);
        i = close < 0 ? source.length : close + 1;
        continue;
      }
      const gt = source[lt + 1] === "/" ? nextGt(source, lt) : -1;
      const m = gt > 0 && gt - lt <= MAX_TAG ? END.exec(source.slice(lt, gt + 1)) : null;
      if (m) {
        const name = m[1].toLowerCase();
        for (let k = stack.length - 1; k > 0; k--) {
          if (stack[k].name === name) {
            stack.length = k;
            break;
          }
        }
        i = lt + m[0].length;
        continue;
      }
      const tag = readTag(source, lt);
      if (tag === null) {
        text("<");
        i = lt + 1;
        continue;
      }
      const { name, attrs } = tag;
      i = tag.end;
      const node = { name, attrs, children: [] };
      stack[stack.length - 1].children.push(node);
      if (RAW.has(name)) {
        // Raw text up to the matching end tag: never markup, never shown (the tag is untrusted).
        const close = rawEnd(source, name, i);
        i = close < 0 ? source.length : close;
        continue;
      }
      if (!tag.selfClosing && !VOID.has(name) && stack.length < MAX_DEPTH) stack.push(node);
    }
    return top.children;
  }

  // --- building the DOM from nodes -----------------------------------------------------------

  function build(list, parent, state, depth) {
    if (!Array.isArray(list) || depth > MAX_DEPTH) return;
    for (const n of list) {
      if (state.count++ > MAX_NODES) return;
      if (n === null || typeof n !== "object") continue;
      if (n.type === "text") {
        let text = typeof n.text === "string" ? n.text : n.text === undefined ? "" : String(n.text);
        if (!n.decoded) text = decodeEntities(text);
        if (state.space) text = text.replace(/ /g, state.space);
        parent.appendChild(doc.createTextNode(text));
        continue;
      }
      if (n.type !== undefined && n.type !== "node") continue;
      const name = typeof n.name === "string" ? n.name.toLowerCase() : "";
      if (!Object.prototype.hasOwnProperty.call(TRUSTED, name)) continue; // dropped with its subtree
      const el = doc.createElement(name);
      const allowed = TRUSTED[name];
      const attrs = n.attrs !== null && typeof n.attrs === "object" ? n.attrs : {};
      for (const key of Object.keys(attrs)) {
        const attr = key.toLowerCase();
        const value = attrs[key];
        if (attr === "class") {
          if (typeof value === "string") el.className = value;
        } else if (attr === "style") {
          const style = typeof value === "string" ? safeStyle(value) : null;
          if (style !== null) el.style.cssText = style;
        } else if (allowed.indexOf(attr) >= 0) {
          const safe = safeAttr(name, attr, value);
          if (safe !== null) el.setAttribute(attr, safe);
        }
      }
      if (name !== "img" && name !== "br" && name !== "hr" && name !== "col") {
        build(n.children, el, state, depth + 1);
      }
      parent.appendChild(el);
    }
  }

  V.richText = { fromHtml, build, safeStyle, TRUSTED };

  V.components["wx-rich-text"] = (el, meta) => {
    const props = meta.props;
    // Own element names: the app's selectors (span, div …) never match the component's parts.
    const box = doc.createElement("wx-rich-text-nodes");
    el.appendChild(box);
    // WXML children of a rich-text are not shown (as in WeChat): they go into a hidden slot.
    const slot = doc.createElement("wx-rich-text-slot");
    slot.hidden = true;
    slot.__wxHost = el;
    el.appendChild(slot);
    let shown = undefined;
    let shownSpace = undefined;
    const ctl = {
      slot,
      set(name) {
        if (name === "nodes" || name === "space") V.markDirty(ctl);
      },
      update() {
        const nodes = props.nodes;
        const space = Object.prototype.hasOwnProperty.call(SPACES, props.space) ? SPACES[props.space] : null;
        if (nodes === shown && space === shownSpace) return;
        shown = nodes;
        shownSpace = space;
        const list = typeof nodes === "string" ? fromHtml(nodes) : Array.isArray(nodes) ? nodes : [];
        const fragment = doc.createDocumentFragment();
        build(list, fragment, { count: 0, space }, 0);
        box.replaceChildren(fragment);
      },
    };
    return ctl;
  };
})();
