// Built-in components: map. See frame.js for the controller interface.
//
// A tile-free map: no base map is fetched (that would need a map provider and its keys). It shows
// a neutral background with a grid of Web-Mercator tile edges, and places markers, callouts,
// labels, polylines, polygons and circles exactly where the same projection puts them around the
// centre at the given scale (WeChat's zoom level, 3–20), so their positions relative to each
// other are right. Dragging pans (regionchange begin/end, causedBy gesture/drag), the wheel zooms
// (causedBy scale), a tap reports {latitude, longitude}, a marker tap {markerId} and shows its
// BYCLICK callout, a callout tap {markerId}. MapContext calls come as `{k: "map", id, op, args,
// req}` (logic/media.js). Children (cover-view, cover-image) show above the map.
(function () {
  "use strict";
  const V = globalThis.wxView;
  const doc = document;

  const TILE = 256;
  const MIN_SCALE = 3;
  const MAX_SCALE = 20;
  const MAX_LAT = 85.05112878;

  // World pixel coordinates at zoom z (Web Mercator, as every tile map uses).
  function project(lat, lng, z) {
    const size = TILE * Math.pow(2, z);
    const la = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * (Math.PI / 180);
    return {
      x: ((lng + 180) / 360) * size,
      y: (0.5 - Math.log(Math.tan(Math.PI / 4 + la / 2)) / (2 * Math.PI)) * size,
    };
  }

  function unproject(x, y, z) {
    const size = TILE * Math.pow(2, z);
    const lng = (x / size) * 360 - 180;
    const n = Math.PI - (2 * Math.PI * y) / size;
    const lat = (180 / Math.PI) * Math.atan(Math.sinh(n));
    return { latitude: lat, longitude: ((((lng + 180) % 360) + 360) % 360) - 180 };
  }

  const finite = (v) => typeof v === "number" && Number.isFinite(v);
  const numOr = (v, fallback) => {
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    return finite(n) ? n : fallback;
  };
  // WeChat colours: #RGB, #RRGGBB, #RRGGBBAA (CSS reads the same), or rgb()/rgba().
  function color(v, fallback) {
    if (typeof v !== "string") return fallback;
    const s = v.trim();
    if (/^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(s)) return s;
    if (/^rgba?\(\s*[\d.]+%?\s*,\s*[\d.]+%?\s*,\s*[\d.]+%?\s*(,\s*[\d.]+\s*)?\)$/i.test(s)) return s;
    if (/^[a-z]{3,20}$/i.test(s)) return s;
    return fallback;
  }
  const text = (v) => (v === undefined || v === null ? "" : String(v));
  const pointOf = (p) => (p && typeof p === "object" && finite(Number(p.latitude)) && finite(Number(p.longitude)) ? { latitude: Number(p.latitude), longitude: Number(p.longitude) } : null);

  V.components["wx-map"] = (el, meta) => {
    const surface = doc.createElement("canvas");
    surface.className = "wx-map-surface";
    el.appendChild(surface);
    const markersLayer = V.div("wx-map-markers", el);
    const layer = V.div("wx-map-cover", el);
    layer.__wxHost = el;

    let lat = 39.908823; // WeChat's default centre (Beijing)
    let lng = 116.39747;
    let zoom = 16;
    let placed = false; // the attributes have been applied once
    let shownAttrs = { lat: null, lng: null, zoom: null };
    let width = 0;
    let height = 0;
    const openCallouts = new Set(); // markers whose BYCLICK callout is shown
    let markerEls = [];
    const moved = new Map(); // markerId → {latitude, longitude} after translateMarker
    let drag = null;

    const props = () => meta.props;
    const flag = (name, fallback) => (Object.prototype.hasOwnProperty.call(meta.props, name) ? V.bool(meta.props[name]) : fallback);

    function limits() {
      const lo = Math.max(MIN_SCALE, Math.min(MAX_SCALE, numOr(props().minScale, MIN_SCALE)));
      const hi = Math.max(lo, Math.min(MAX_SCALE, numOr(props().maxScale, MAX_SCALE)));
      return [lo, hi];
    }
    const clampZoom = (z) => {
      const [lo, hi] = limits();
      return Math.max(lo, Math.min(hi, z));
    };

    // A point on the element (CSS px from its top-left corner) for a coordinate.
    function toScreen(latitude, longitude) {
      const c = project(lat, lng, zoom);
      const p = project(latitude, longitude, zoom);
      const size = TILE * Math.pow(2, zoom);
      let dx = p.x - c.x;
      // The shorter way round the antimeridian.
      if (dx > size / 2) dx -= size;
      if (dx < -size / 2) dx += size;
      return { x: width / 2 + dx, y: height / 2 + (p.y - c.y) };
    }

    function fromScreen(x, y) {
      const c = project(lat, lng, zoom);
      return unproject(c.x + (x - width / 2), c.y + (y - height / 2), zoom);
    }

    function region() {
      return { southwest: fromScreen(0, height), northeast: fromScreen(width, 0) };
    }

    function regionDetail(type, causedBy) {
      const d = { type, causedBy };
      if (type === "end") {
        Object.assign(d, { rotate: 0, skew: 0, scale: zoom, centerLocation: { latitude: lat, longitude: lng }, region: region() });
      }
      return d;
    }

    function regionChange(type, causedBy) {
      V.emit(el, "regionchange", regionDetail(type, causedBy));
    }

    // --- drawing ---------------------------------------------------------------------------

    function drawSurface() {
      const ratio = window.devicePixelRatio || 1;
      const w = Math.max(1, Math.round(width * ratio));
      const h = Math.max(1, Math.round(height * ratio));
      if (surface.width !== w || surface.height !== h) {
        surface.width = w;
        surface.height = h;
      }
      const c = surface.getContext("2d");
      c.setTransform(ratio, 0, 0, ratio, 0, 0);
      c.fillStyle = "#f3f1ec";
      c.fillRect(0, 0, width, height);
      // The grid: tile edges of the current zoom (and finer lines), moving with the map.
      const centre = project(lat, lng, zoom);
      const left = centre.x - width / 2;
      const top = centre.y - height / 2;
      for (const [step, stroke] of [[TILE / 4, "rgba(0,0,0,0.04)"], [TILE, "rgba(0,0,0,0.10)"]]) {
        c.beginPath();
        for (let x = Math.ceil(left / step) * step; x <= left + width; x += step) {
          c.moveTo(Math.round(x - left) + 0.5, 0);
          c.lineTo(Math.round(x - left) + 0.5, height);
        }
        for (let y = Math.ceil(top / step) * step; y <= top + height; y += step) {
          c.moveTo(0, Math.round(y - top) + 0.5);
          c.lineTo(width, Math.round(y - top) + 0.5);
        }
        c.strokeStyle = stroke;
        c.lineWidth = 1;
        c.stroke();
      }
      const p = props();
      const metersPerPx = (156543.03392 * Math.cos((lat * Math.PI) / 180)) / Math.pow(2, zoom);
      for (const circle of Array.isArray(p.circles) ? p.circles : []) {
        const at = pointOf(circle);
        if (!at) continue;
        const s = toScreen(at.latitude, at.longitude);
        const r = Math.max(0, numOr(circle.radius, 0)) / metersPerPx;
        c.beginPath();
        c.arc(s.x, s.y, r, 0, Math.PI * 2);
        c.fillStyle = color(circle.fillColor, "rgba(0,0,0,0)");
        c.fill();
        const sw = numOr(circle.strokeWidth, 0);
        if (sw > 0) {
          c.lineWidth = sw;
          c.strokeStyle = color(circle.color, "#000");
          c.stroke();
        }
      }
      for (const polygon of Array.isArray(p.polygons) ? p.polygons : []) {
        const pts = (Array.isArray(polygon && polygon.points) ? polygon.points : []).map(pointOf).filter(Boolean);
        if (pts.length < 3) continue;
        c.beginPath();
        pts.forEach((pt, i) => {
          const s = toScreen(pt.latitude, pt.longitude);
          if (i === 0) c.moveTo(s.x, s.y);
          else c.lineTo(s.x, s.y);
        });
        c.closePath();
        c.fillStyle = color(polygon.fillColor, "rgba(0,0,0,0)");
        c.fill();
        const sw = numOr(polygon.strokeWidth, 0);
        if (sw > 0) {
          c.lineWidth = sw;
          c.strokeStyle = color(polygon.strokeColor, "#000");
          c.stroke();
        }
      }
      for (const line of Array.isArray(p.polyline) ? p.polyline : []) {
        const pts = (Array.isArray(line && line.points) ? line.points : []).map(pointOf).filter(Boolean);
        if (pts.length < 2) continue;
        c.beginPath();
        pts.forEach((pt, i) => {
          const s = toScreen(pt.latitude, pt.longitude);
          if (i === 0) c.moveTo(s.x, s.y);
          else c.lineTo(s.x, s.y);
        });
        const lw = Math.max(1, numOr(line.width, 2));
        c.lineJoin = "round";
        c.lineCap = "round";
        const bw = numOr(line.borderWidth, 0);
        if (bw > 0) {
          c.setLineDash([]);
          c.lineWidth = lw + bw * 2;
          c.strokeStyle = color(line.borderColor, "#000");
          c.stroke();
        }
        c.setLineDash(line.dottedLine ? [lw * 2, lw * 2] : []);
        c.lineWidth = lw;
        c.strokeStyle = color(line.color, "#000000");
        c.stroke();
        c.setLineDash([]);
      }
    }

    function calloutFor(m) {
      if (m.callout && typeof m.callout === "object" && text(m.callout.content) !== "") return m.callout;
      return null;
    }

    function buildMarkers() {
      markersLayer.replaceChildren();
      markerEls = [];
      const list = Array.isArray(props().markers) ? props().markers : [];
      list.forEach((m, index) => {
        if (!pointOf(m)) return;
        const box = V.div("wx-map-marker", markersLayer);
        const id = m.id === undefined ? index : m.id;
        box.setAttribute("data-marker-id", String(id));
        box.setAttribute("role", "button");
        const label = text(m.ariaLabel || m.title);
        if (label) box.setAttribute("aria-label", label);
        const w = numOr(m.width, null);
        const h = numOr(m.height, null);
        const icon = typeof m.iconPath === "string" ? V.mediaUrl(m.iconPath) : "";
        if (icon) {
          const img = doc.createElement("img");
          img.alt = "";
          img.draggable = false;
          img.src = icon;
          if (w !== null) img.style.width = w + "px";
          if (h !== null) img.style.height = h + "px";
          box.appendChild(img);
        } else {
          const pin = V.div("wx-map-pin", box);
          if (w !== null) pin.style.width = w + "px";
          if (h !== null) pin.style.height = h + "px";
        }
        const alpha = numOr(m.alpha, 1);
        box.style.opacity = String(Math.max(0, Math.min(1, alpha)));
        const rotate = numOr(m.rotate, 0);
        if (rotate) box.firstChild.style.transform = `rotate(${rotate}deg)`;
        box.style.zIndex = String(Math.round(numOr(m.zIndex, 0)) + 1);
        const anchor = m.anchor && typeof m.anchor === "object" ? m.anchor : {};
        const entry = { m, id, box, ax: numOr(anchor.x, 0.5), ay: numOr(anchor.y, 1), callout: null, label: null };
        const callout = calloutFor(m);
        const bubbleText = callout ? text(callout.content) : text(m.title);
        if (bubbleText !== "") {
          const bubble = V.div("wx-map-callout", markersLayer);
          bubble.setAttribute("data-marker-id", String(id));
          bubble.textContent = bubbleText;
          const cs = callout || {};
          bubble.style.color = color(cs.color, "#000");
          bubble.style.backgroundColor = color(cs.bgColor, "#fff");
          bubble.style.fontSize = Math.max(6, numOr(cs.fontSize, 12)) + "px";
          bubble.style.borderRadius = Math.max(0, numOr(cs.borderRadius, 4)) + "px";
          bubble.style.padding = Math.max(0, numOr(cs.padding, 6)) + "px";
          const bw = numOr(cs.borderWidth, 0);
          if (bw > 0) bubble.style.border = `${bw}px solid ${color(cs.borderColor, "#000")}`;
          if (["left", "right", "center"].includes(cs.textAlign)) bubble.style.textAlign = cs.textAlign;
          bubble.style.zIndex = box.style.zIndex;
          entry.callout = { el: bubble, always: !!callout && callout.display === "ALWAYS", dx: numOr(cs.anchorX, 0), dy: numOr(cs.anchorY, 0) };
          bubble.addEventListener("click", (e) => {
            e.stopPropagation();
            V.emit(el, "callouttap", { markerId: id });
          });
        }
        if (m.label && typeof m.label === "object" && text(m.label.content) !== "") {
          const l = m.label;
          const tag = V.div("wx-map-label", markersLayer);
          tag.textContent = text(l.content);
          tag.style.color = color(l.color, "#000");
          tag.style.fontSize = Math.max(6, numOr(l.fontSize, 12)) + "px";
          if (l.bgColor) tag.style.backgroundColor = color(l.bgColor, "transparent");
          tag.style.padding = Math.max(0, numOr(l.padding, 0)) + "px";
          tag.style.borderRadius = Math.max(0, numOr(l.borderRadius, 0)) + "px";
          const bw = numOr(l.borderWidth, 0);
          if (bw > 0) tag.style.border = `${bw}px solid ${color(l.borderColor, "#000")}`;
          entry.label = { el: tag, dx: numOr(l.anchorX, numOr(l.x, 0)), dy: numOr(l.anchorY, numOr(l.y, 0)) };
          tag.addEventListener("click", (e) => {
            e.stopPropagation();
            V.emit(el, "labeltap", { markerId: id });
          });
        }
        box.addEventListener("click", (e) => {
          e.stopPropagation();
          if (entry.callout && !entry.callout.always) {
            if (openCallouts.has(id)) openCallouts.delete(id);
            else openCallouts.add(id);
            place();
          }
          const at = pointOf(moved.get(id) || m);
          V.emit(el, "markertap", { markerId: id, latitude: at.latitude, longitude: at.longitude });
        });
        markerEls.push(entry);
      });
    }

    function place() {
      for (const entry of markerEls) {
        const at = pointOf(moved.get(entry.id) || entry.m);
        const s = toScreen(at.latitude, at.longitude);
        const box = entry.box;
        const bw = box.offsetWidth;
        const bh = box.offsetHeight;
        box.style.transform = `translate(${s.x - bw * entry.ax}px, ${s.y - bh * entry.ay}px)`;
        if (entry.callout) {
          const shown = entry.callout.always || openCallouts.has(entry.id);
          const bubble = entry.callout.el;
          bubble.hidden = !shown;
          if (shown) {
            const cw = bubble.offsetWidth;
            const ch = bubble.offsetHeight;
            const top = s.y - bh * entry.ay - ch - 8 + entry.callout.dy;
            bubble.style.transform = `translate(${s.x - cw / 2 + entry.callout.dx}px, ${top}px)`;
          }
        }
        if (entry.label) {
          const tag = entry.label.el;
          tag.style.transform = `translate(${s.x + entry.label.dx}px, ${s.y + entry.label.dy}px)`;
        }
      }
    }

    function redraw() {
      width = el.clientWidth;
      height = el.clientHeight;
      drawSurface();
      place();
    }

    // --- the view changing: attributes, gestures, MapContext ------------------------------------

    function includePoints(points, padding) {
      if (points.length === 0 || width === 0 || height === 0) return;
      const [pt, pr, pb, pl] = [padding[0] || 0, padding[1] ?? padding[0] ?? 0, padding[2] ?? padding[0] ?? 0, padding[3] ?? padding[1] ?? padding[0] ?? 0];
      const at0 = points.map((p) => project(p.latitude, p.longitude, 0));
      const xs = at0.map((p) => p.x);
      const ys = at0.map((p) => p.y);
      const spanX = Math.max(...xs) - Math.min(...xs);
      const spanY = Math.max(...ys) - Math.min(...ys);
      const availW = Math.max(1, width - pl - pr - 40);
      const availH = Math.max(1, height - pt - pb - 40);
      let z = MAX_SCALE;
      if (spanX > 0) z = Math.min(z, Math.log2(availW / spanX));
      if (spanY > 0) z = Math.min(z, Math.log2(availH / spanY));
      zoom = clampZoom(Math.floor(z));
      const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
      const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
      const centre = unproject(cx + (pr - pl) / 2 / Math.pow(2, zoom), cy + (pb - pt) / 2 / Math.pow(2, zoom), 0);
      lat = centre.latitude;
      lng = centre.longitude;
    }

    function applyAttrs() {
      const p = props();
      const nextLat = numOr(p.latitude, null);
      const nextLng = numOr(p.longitude, null);
      const nextZoom = numOr(p.scale, 16);
      let changed = false;
      if (nextLat !== null && nextLat !== shownAttrs.lat) {
        shownAttrs.lat = nextLat;
        if (Math.abs(nextLat - lat) > 1e-9) changed = true;
        lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, nextLat));
      }
      if (nextLng !== null && nextLng !== shownAttrs.lng) {
        shownAttrs.lng = nextLng;
        if (Math.abs(nextLng - lng) > 1e-9) changed = true;
        lng = nextLng;
      }
      if (nextZoom !== shownAttrs.zoom) {
        shownAttrs.zoom = nextZoom;
        const z = clampZoom(nextZoom);
        if (z !== zoom) changed = true;
        zoom = z;
      }
      return changed;
    }

    const dragHandlers = {
      // A drag that starts on a cover-view above the map is not the map's.
      start: (x, y) => {
        const hit = doc.elementFromPoint(x, y);
        return flag("enableScroll", true) && !(hit && layer.contains(hit) && hit !== layer);
      },
      claim: () => true,
      move(dx, dy) {
        if (drag === null) {
          drag = { c: project(lat, lng, zoom) };
          regionChange("begin", "gesture");
        }
        const at = unproject(drag.c.x - dx, drag.c.y - dy, zoom);
        lat = at.latitude;
        lng = at.longitude;
        drawSurface();
        place();
      },
      end() {
        drag = null;
        regionChange("end", "drag");
      },
    };
    V.drag(el, dragHandlers);

    el.addEventListener(
      "wheel",
      (e) => {
        if (!flag("enableZoom", true)) return;
        e.preventDefault();
        const z = clampZoom(zoom + (e.deltaY < 0 ? 1 : -1));
        if (z === zoom) return;
        regionChange("begin", "gesture");
        zoom = z;
        drawSurface();
        place();
        regionChange("end", "scale");
      },
      { passive: false },
    );

    function animateMarker(id, to, ms) {
      const entry = markerEls.find((m) => String(m.id) === String(id));
      if (!entry) return Promise.reject(new Error("marker not found"));
      const from = pointOf(moved.get(entry.id) || entry.m);
      return new Promise((resolve) => {
        V.animate(
          ms,
          (k) => {
            moved.set(entry.id, { latitude: from.latitude + (to.latitude - from.latitude) * k, longitude: from.longitude + (to.longitude - from.longitude) * k });
            place();
          },
          resolve,
        );
      });
    }

    el.__wxMap = {
      command(op, args) {
        switch (op) {
          case "getCenterLocation":
            return { latitude: lat, longitude: lng };
          case "getScale":
            return { scale: zoom };
          case "getRegion":
            return region();
          case "moveToLocation":
          case "includePoints": {
            regionChange("begin", "update");
            if (op === "moveToLocation") {
              lat = Number(args.latitude);
              lng = Number(args.longitude);
            } else includePoints((args.points || []).map(pointOf).filter(Boolean), Array.isArray(args.padding) ? args.padding : []);
            redraw();
            regionChange("end", "update");
            return {};
          }
          case "translateMarker":
            return animateMarker(args.markerId, pointOf(args.destination), Math.min(10000, Number(args.duration) || 1000)).then(() => ({}));
          default:
            throw new Error("not supported");
        }
      },
    };

    const ctl = {
      slot: layer,
      needsConnected: true,
      set(name) {
        if (name === "markers") markersDirty = true;
        if (name === "includePoints") includeDirty = true;
        V.markDirty(ctl);
      },
      restyle() {
        V.markDirty(ctl);
      },
      update() {
        if (markersDirty) {
          markersDirty = false;
          moved.clear();
          buildMarkers();
        }
        const changed = applyAttrs();
        width = el.clientWidth;
        height = el.clientHeight;
        if (includeDirty && Array.isArray(props().includePoints)) {
          includeDirty = false;
          includePoints(props().includePoints.map(pointOf).filter(Boolean), []);
        }
        if (placed && changed) {
          regionChange("begin", "update");
          regionChange("end", "update");
        }
        placed = true;
        redraw();
      },
      // A tap on the map (not on a marker, callout or label) reports where it landed.
      tapDetail(t) {
        if (!t) return {};
        const hit = doc.elementFromPoint(t.clientX, t.clientY);
        if (hit && hit.closest && hit.closest(".wx-map-marker, .wx-map-callout, .wx-map-label")) return null;
        const rect = el.getBoundingClientRect();
        return fromScreen(t.clientX - rect.left, t.clientY - rect.top);
      },
      destroy() {
        if (resizer) resizer.disconnect();
      },
    };
    let markersDirty = true;
    let includeDirty = false;
    // The element's size may change through CSS the logic layer never touches.
    const resizer = typeof ResizeObserver === "function" ? new ResizeObserver(() => placed && redraw()) : null;
    if (resizer) resizer.observe(el);
    V.markDirty(ctl);
    return ctl;
  };

  V.logic.map = (msg) => {
    const el = Number.isInteger(msg.id) ? V.nodeById(msg.id) : undefined;
    if (!el || !el.__wxMap) {
      V.mediaReply(msg.req, false, null, "map not found");
      return;
    }
    let result;
    try {
      result = el.__wxMap.command(String(msg.op), msg.args && typeof msg.args === "object" ? msg.args : {});
    } catch (error) {
      V.mediaReply(msg.req, false, null, error.message);
      return;
    }
    Promise.resolve(result).then(
      (r) => V.mediaReply(msg.req, true, r),
      (error) => V.mediaReply(msg.req, false, null, error.message),
    );
  };

  V.nodeInfo["wx-map"] = (el) => ({ type: "map", id: el.id || "" });
})();
