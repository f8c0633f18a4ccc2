// Built-in components: picker (WeChat's bottom sheet, modes selector, multiSelector, time, date,
// region) and picker-view / picker-view-column. See frame.js for the controller interface.
//
// Both draw their columns with one widget, the wheel: a box (overflow hidden) whose content (the
// rows, one row height apart) moves with translateY; the row under the indicator (the box's
// middle) is the selected one. The wheel, a drag (with a flick's glide and a rubber band past the
// ends) or a tap on a row moves it; it always comes to rest on a row ("settles"), and only then
// reports the row (bindchange, bindcolumnchange, bindpickend), as WeChat does.
//
// picker: the children are what the user taps. The sheet (mask, Cancel / Confirm, header-text, a
// wheel per column) is built in the view frame's body, outside the page tree, so nothing in it
// reports taps to the app; it is removed on Confirm, Cancel, a tap on the mask, Escape or when the
// picker goes away. change's detail is WeChat's: selector {value: "<index>"} (a string, as WeChat
// gives it), multiSelector {value: [indices]}, time {value: "hh:mm"}, date {value: "YYYY[-MM[-DD]]"},
// region {value: [names], code: [codes]}. Setting `range` or `value` while the sheet is open updates
// its columns (multiSelector apps set both from bindcolumnchange).
//
// picker-view: `value` scrolls the columns; each picker-view-column's children are its rows, each
// as tall as the indicator (34px unless indicator-style / indicator-class says otherwise).
(function () {
  "use strict";

  const V = globalThis.wxView;
  const doc = document;

  // WeChat's row height in the sheet, and picker-view's default indicator height.
  const ROW = 34;
  // The sheet's wheel area (7 rows).
  const SHEET_HEIGHT = 238;
  // A flick glides this many ms at its release speed (about), then snaps to a row.
  const GLIDE_MS = 160;
  // Wheel deltas are gathered this long before the column snaps.
  const WHEEL_SETTLE_MS = 120;

  // The region data file sits next to this script; it is loaded the first time it is needed.
  const SCRIPT_URL = doc.currentScript ? doc.currentScript.src : "";

  const clampInt = (v, lo, hi) => Math.max(lo, Math.min(hi, Math.round(v)));
  const pad2 = (n) => (n < 10 ? "0" : "") + n;
  const zh = () => /^zh/i.test(String((V.system() || {}).language || navigator.language || ""));

  // --- the wheel --------------------------------------------------------------------------

  // box: the column's viewport; content: holds the rows (its element children). o: {height() →
  // row height, count() → rows, pick() (the user started moving it), release(index) (the finger
  // left; the column will settle on index), settle(index, previous, byUser)}.
  function Wheel(box, content, o) {
    let index = 0;
    let offset = 0; // px the content is moved up: index * height at rest
    let pad = 0;
    let stopAnimation = null;
    let wheelTimer = 0;
    let byUser = false;
    let dragging = false;
    let dragFrom = 0;
    let moved = false;

    let marked = null;

    const maxIndex = () => Math.max(0, o.count() - 1);
    const clamp = (i) => clampInt(i, 0, maxIndex());

    // The sheet's rows are ours: the one at rest under the indicator is aria-selected (none
    // while the column moves).
    function mark(moving) {
      if (!o.mark) return;
      const row = moving ? null : content.children[index] || null;
      if (row === marked) return;
      if (marked !== null) marked.removeAttribute("aria-selected");
      if (row !== null) row.setAttribute("aria-selected", "true");
      marked = row;
    }

    function render() {
      content.style.transform = `translate3d(0, ${-offset}px, 0)`;
    }

    function stop() {
      if (stopAnimation) stopAnimation();
      stopAnimation = null;
      clearTimeout(wheelTimer);
      wheelTimer = 0;
    }

    function begin() {
      if (!byUser) {
        byUser = true;
        mark(true);
        if (o.pick) o.pick();
      }
    }

    function finish(target) {
      const previous = index;
      index = target;
      mark();
      const user = byUser;
      byUser = false;
      o.settle(index, previous, user);
    }

    function scrollTo(target, ms) {
      stop();
      const to = target * o.height();
      const from = offset;
      if (byUser && o.release) o.release(target);
      if (from === to || !(ms > 0)) {
        offset = to;
        render();
        finish(target);
        return;
      }
      stopAnimation = V.animate(
        ms,
        (k) => {
          offset = from + (to - from) * k;
          render();
        },
        () => {
          stopAnimation = null;
          finish(target);
        },
      );
    }

    box.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        if (o.count() === 0 || dragging) return;
        if (stopAnimation) {
          stopAnimation();
          stopAnimation = null;
        }
        begin();
        const h = o.height();
        const unit = e.deltaMode === 1 ? h : e.deltaMode === 2 ? box.clientHeight : 1;
        offset = Math.max(0, Math.min(maxIndex() * h, offset + e.deltaY * unit));
        render();
        clearTimeout(wheelTimer);
        wheelTimer = setTimeout(() => {
          wheelTimer = 0;
          scrollTo(clamp(offset / h), 150);
        }, WHEEL_SETTLE_MS);
      },
      { passive: false },
    );

    // A drag is not a tap on a row (the browser still sends click after a mouse drag).
    box.addEventListener("pointerdown", () => {
      moved = false;
    });
    box.addEventListener("touchstart", () => {
      moved = false;
    }, { passive: true });

    V.drag(box, {
      start: () => o.count() > 0,
      claim: (dx, dy) => Math.abs(dy) > Math.abs(dx),
      move(dx, dy) {
        moved = true;
        if (!dragging) {
          dragging = true;
          stop();
          begin();
          dragFrom = offset;
        }
        const end = maxIndex() * o.height();
        let at = dragFrom - dy;
        // Past the first or last row the column follows the finger at a third (rubber band).
        if (at < 0) at /= 3;
        else if (at > end) at = end + (at - end) / 3;
        offset = at;
        render();
      },
      end(dx, dy, vx, vy) {
        dragging = false;
        const h = o.height();
        const glide = Math.abs(vy) > 0.3 ? vy * GLIDE_MS : 0;
        const target = clamp((offset - glide) / h);
        scrollTo(target, Math.min(600, 150 + Math.abs(target * h - offset)));
      },
    });

    // A tap on a row above or below the indicator brings that row to it.
    box.addEventListener("click", (e) => {
      if (moved || dragging || o.count() === 0) return;
      const h = o.height();
      const top = content.getBoundingClientRect().top + pad;
      const i = Math.floor((e.clientY - top) / h);
      if (i < 0 || i > maxIndex() || (i === index && !stopAnimation)) return;
      begin();
      scrollTo(i, 200);
    });

    return {
      get index() {
        return index;
      },
      get moving() {
        return byUser || stopAnimation !== null;
      },
      // Without events: `value` set by the app, rows replaced.
      setIndex(i) {
        const target = clamp(i);
        if (byUser && (dragging || wheelTimer)) {
          index = target;
          return;
        }
        stop();
        byUser = false;
        index = target;
        offset = index * o.height();
        render();
        mark();
      },
      // The box is `boxHeight` tall: the first row starts under the indicator.
      layout(boxHeight) {
        const h = o.height();
        pad = Math.max(0, (boxHeight - h) / 2);
        content.style.paddingTop = pad + "px";
        content.style.paddingBottom = pad + "px";
        if (!dragging && !stopAnimation && !wheelTimer) {
          index = clamp(index);
          offset = index * h;
        }
        render();
        mark();
      },
      stop() {
        stop();
        byUser = false;
      },
    };
  }

  // --- picker-view --------------------------------------------------------------------------

  V.components["wx-picker-view"] = (el, meta) => {
    const props = meta.props;
    const wrapper = V.div("wx-picker-view-wrapper", el);
    wrapper.__wxHost = el;
    let valueChanged = true;
    let released = null; // immediate-change: the values reported when the finger left
    let picking = 0;

    const columns = () => {
      const out = [];
      for (const child of wrapper.children) {
        if (child.__wx && child.__wx.tag === "wx-picker-view-column" && child.__wx.ctl) out.push(child.__wx.ctl);
      }
      return out;
    };
    const values = () => columns().map((c) => c.wheel.index);

    const ctl = {
      slot: wrapper,
      children: true,
      needsConnected: true,
      set(name) {
        if (name === "value") valueChanged = true;
        V.markDirty(ctl);
      },
      restyle() {
        V.markDirty(ctl);
      },
      update() {
        const list = Array.isArray(props.value) ? props.value : [];
        columns().forEach((column, i) => {
          if (valueChanged || column.fresh) column.want = Math.max(0, Math.floor(V.num(list[i], 0)));
          column.fresh = false;
          column.decorate(props);
          column.measure();
          // The index `value` asked for waits for its row (rows may come in a later batch).
          if (column.want !== null && !column.wheel.moving) {
            column.wheel.setIndex(column.want);
            if (column.wheel.index === column.want) column.want = null;
          }
        });
        valueChanged = false;
      },
      // From the columns.
      picked() {
        if (picking++ === 0) V.emit(el, "pickstart", {});
      },
      released(column, target) {
        if (!props.immediateChange) return;
        const value = columns().map((c) => (c === column ? target : c.wheel.index));
        released = JSON.stringify(value);
        V.emit(el, "change", { value });
      },
      settled(column, index, previous, byUser) {
        if (!byUser) return;
        const value = values();
        if (index !== previous && released !== JSON.stringify(value)) V.emit(el, "change", { value });
        released = null;
        if (picking > 0 && --picking === 0) V.emit(el, "pickend", {});
      },
    };
    return ctl;
  };

  V.components["wx-picker-view-column"] = (el) => {
    const box = V.div("wx-picker", el);
    const mask = V.div("wx-picker-mask", box);
    const indicator = V.div("wx-picker-indicator", box);
    const content = V.div("wx-picker-content", box);
    content.__wxHost = el;
    let rowHeight = ROW;

    const view = () => {
      const parent = el.parentNode && el.parentNode.__wxHost;
      return parent && parent.__wx && parent.__wx.tag === "wx-picker-view" ? parent.__wx.ctl : null;
    };

    const ctl = {
      slot: content,
      children: true,
      needsConnected: true,
      fresh: true,
      want: null,
      wheel: null,
      // The picker-view's indicator and mask attributes, on this column's parts.
      decorate(props) {
        const ic = typeof props.indicatorClass === "string" ? props.indicatorClass : "";
        const mc = typeof props.maskClass === "string" ? props.maskClass : "";
        indicator.className = "wx-picker-indicator" + (ic ? " " + ic : "");
        mask.className = "wx-picker-mask" + (mc ? " " + mc : "");
        indicator.style.cssText = typeof props.indicatorStyle === "string" ? props.indicatorStyle : "";
        mask.style.cssText = typeof props.maskStyle === "string" ? props.maskStyle : "";
      },
      measure() {
        const height = box.clientHeight;
        rowHeight = indicator.offsetHeight || ROW;
        box.style.setProperty("--wx-picker-row", rowHeight + "px");
        indicator.style.top = `${(height - rowHeight) / 2}px`;
        // The mask's gradients end at the indicator (WeChat's mask covers what is outside it).
        mask.style.backgroundSize = `100% ${Math.max(0, (height - rowHeight) / 2)}px`;
        ctl.wheel.layout(height);
      },
      update() {
        const parent = view();
        if (parent) V.markDirty(parent);
      },
      destroy() {
        ctl.wheel.stop();
      },
    };
    ctl.wheel = Wheel(box, content, {
      height: () => rowHeight,
      count: () => content.children.length,
      pick: () => {
        ctl.want = null;
        const parent = view();
        if (parent) parent.picked();
      },
      release: (target) => {
        const parent = view();
        if (parent) parent.released(ctl, target);
      },
      settle: (index, previous, byUser) => {
        const parent = view();
        if (parent) parent.settled(ctl, index, previous, byUser);
      },
    });
    return ctl;
  };

  // --- picker: the modes ----------------------------------------------------------------------

  // A mode turns the picker's attributes into columns of {label, v} rows and the rows the user
  // chose back into change's detail. `build(sel)` gets the selected values so far (by column;
  // undefined: none yet) and returns the columns: dependent columns (minutes of an hour, days of a
  // month, cities of a province) follow the columns before them.

  function rangeLabel(item, key) {
    if (item !== null && typeof item === "object" && typeof key === "string" && key !== "") {
      const v = item[key];
      return v === undefined || v === null ? "" : String(v);
    }
    return item === undefined || item === null ? "" : String(item);
  }

  function rangeColumn(list, key) {
    return (Array.isArray(list) ? list : []).map((item, i) => ({ label: rangeLabel(item, key), v: i }));
  }

  const MODES = {
    selector: {
      build: (props) => [rangeColumn(props.range, props.rangeKey)],
      initial: (props) => [V.num(props.value, 0)],
      detail: (sel) => ({ value: String(sel[0]) }),
    },
    multiSelector: {
      build(props) {
        const range = Array.isArray(props.range) ? props.range.slice(0, 5) : [];
        return range.map((list) => rangeColumn(list, props.rangeKey));
      },
      initial: (props) => (Array.isArray(props.value) ? props.value.map((v) => V.num(v, 0)) : []),
      detail: (sel) => ({ value: sel.slice() }),
    },
    time: {
      limits(props) {
        const start = parseTime(props.start, 0);
        const end = Math.max(start, parseTime(props.end, 23 * 60 + 59));
        return [start, end];
      },
      build(props, sel) {
        const [start, end] = this.limits(props);
        const hours = [];
        for (let h = Math.floor(start / 60); h <= Math.floor(end / 60); h++) hours.push({ label: pad2(h), v: h });
        const hour = sel[0] === undefined ? hours[0].v : sel[0];
        const minutes = [];
        const lo = hour === Math.floor(start / 60) ? start % 60 : 0;
        const hi = hour === Math.floor(end / 60) ? end % 60 : 59;
        for (let m = lo; m <= hi; m++) minutes.push({ label: pad2(m), v: m });
        return [hours, minutes];
      },
      initial(props) {
        const [start, end] = this.limits(props);
        const now = new Date();
        const t = Math.max(start, Math.min(end, parseTime(props.value, now.getHours() * 60 + now.getMinutes())));
        return [Math.floor(t / 60), t % 60];
      },
      detail: (sel) => ({ value: `${pad2(sel[0])}:${pad2(sel[1])}` }),
    },
    date: {
      fields: (props) => (props.fields === "year" ? 1 : props.fields === "month" ? 2 : 3),
      limits(props) {
        const start = parseDate(props.start, [1900, 1, 1]);
        let end = parseDate(props.end, [2100, 12, 31]);
        if (cmpDate(end, start) < 0) end = start;
        return [start, end];
      },
      build(props, sel) {
        const [s, e] = this.limits(props);
        const n = this.fields(props);
        const zhLabels = zh();
        const years = [];
        for (let y = s[0]; y <= e[0]; y++) years.push({ label: zhLabels ? y + "年" : String(y), v: y });
        const cols = [years];
        if (n < 2) return cols;
        const y = sel[0] === undefined ? s[0] : sel[0];
        const months = [];
        for (let m = y === s[0] ? s[1] : 1; m <= (y === e[0] ? e[1] : 12); m++) {
          months.push({ label: zhLabels ? m + "月" : pad2(m), v: m });
        }
        cols.push(months);
        if (n < 3) return cols;
        const m = sel[1] === undefined ? months[0].v : sel[1];
        const days = [];
        const first = y === s[0] && m === s[1] ? s[2] : 1;
        const last = y === e[0] && m === e[1] ? e[2] : daysIn(y, m);
        for (let d = first; d <= last; d++) days.push({ label: zhLabels ? d + "日" : pad2(d), v: d });
        cols.push(days);
        return cols;
      },
      initial(props) {
        const [s, e] = this.limits(props);
        const now = new Date();
        let d = parseDate(props.value, [now.getFullYear(), now.getMonth() + 1, now.getDate()]);
        if (cmpDate(d, s) < 0) d = s;
        if (cmpDate(d, e) > 0) d = e;
        return d.slice(0, this.fields(props));
      },
      detail(sel) {
        return { value: sel.map((n, i) => (i === 0 ? String(n).padStart(4, "0") : pad2(n))).join("-") };
      },
    },
    region: {
      levels(props) {
        if (props.level === "province") return 1;
        if (props.level === "city") return 2;
        if (props.level === "sub-district" && !this.warned) {
          // No street data: the picker stops at districts.
          this.warned = true;
          V.reportError('picker: level "sub-district" is not supported (no street data), showing districts');
        }
        return 3;
      },
      build(props, sel) {
        const custom = typeof props.customItem === "string" && props.customItem !== "" ? props.customItem : null;
        const n = this.levels(props);
        const cols = [];
        let list = V.regionData || [];
        for (let c = 0; c < n; c++) {
          const rows = [];
          if (custom !== null) rows.push({ label: custom, v: "", code: "" });
          for (const entry of list) {
            const head = typeof entry === "string" ? entry : entry[0];
            rows.push({ label: head.slice(6), v: head.slice(6), code: head.slice(0, 6), children: entry[1] });
          }
          cols.push(rows);
          const chosen = rows.find((r) => r.v === sel[c]) || rows[0];
          list = chosen && Array.isArray(chosen.children) ? chosen.children : [];
        }
        return cols;
      },
      initial: (props) => (Array.isArray(props.value) ? props.value.map(String) : []),
      detail(sel, cols) {
        // WeChat also gives `postcode`; the data has none, so it is left out.
        return {
          value: cols.map((rows, c) => rows[sel.index[c]].label),
          code: cols.map((rows, c) => rows[sel.index[c]].code),
        };
      },
    },
  };

  function parseTime(v, fallback) {
    const m = typeof v === "string" ? /^(\d{1,2}):(\d{1,2})$/.exec(v.trim()) : null;
    if (!m) return fallback;
    const h = +m[1];
    const min = +m[2];
    return h < 24 && min < 60 ? h * 60 + min : fallback;
  }

  function parseDate(v, fallback) {
    const m = typeof v === "string" ? /^(\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(v.trim()) : null;
    if (!m) return fallback;
    const y = +m[1];
    const mo = m[2] === undefined ? 1 : Math.max(1, Math.min(12, +m[2]));
    const d = m[3] === undefined ? 1 : Math.max(1, Math.min(daysIn(y, mo), +m[3]));
    return [y, mo, d];
  }

  function daysIn(y, m) {
    return new Date(y, m, 0).getDate();
  }

  function cmpDate(a, b) {
    return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  }

  let regionLoading = null;
  function loadRegionData() {
    if (V.regionData) return Promise.resolve();
    if (regionLoading) return regionLoading;
    regionLoading = new Promise((resolve, reject) => {
      const script = doc.createElement("script");
      script.src = new URL("region-data.js", SCRIPT_URL).href;
      script.addEventListener("load", () => (V.regionData ? resolve() : reject(new Error("no data"))));
      script.addEventListener("error", () => reject(new Error("region data failed to load")));
      doc.head.appendChild(script);
    }).catch((error) => {
      regionLoading = null;
      throw error;
    });
    return regionLoading;
  }

  // --- picker: the sheet --------------------------------------------------------------------

  function Sheet(picker, props, mode) {
    const overlay = V.div("wx-picker-overlay", doc.body);
    const mask = V.div("wx-picker-overlay-mask", overlay);
    const sheet = V.div("wx-picker-sheet", overlay);
    const header = V.div("wx-picker-header", sheet);
    const cancel = V.div("wx-picker-action wx-picker-cancel", header);
    const title = V.div("wx-picker-title", header);
    const confirm = V.div("wx-picker-action wx-picker-confirm", header);
    const body = V.div("wx-picker-body", sheet);
    cancel.textContent = zh() ? "取消" : "Cancel";
    confirm.textContent = zh() ? "确定" : "OK";
    cancel.setAttribute("role", "button");
    confirm.setAttribute("role", "button");
    body.style.height = SHEET_HEIGHT + "px";
    overlay.setAttribute("role", "dialog");

    // The selection, by column: values (`v` of the rows) and the row indices.
    let sel = [];
    let cols = [];
    const wheels = [];

    function setTitle() {
      const text = typeof props.headerText === "string" ? props.headerText : "";
      title.textContent = text;
      title.hidden = text === "";
    }

    function makeWheel(c) {
      const box = V.div("wx-picker wx-picker-sheet-column", body);
      V.div("wx-picker-mask", box);
      V.div("wx-picker-indicator", box);
      const content = V.div("wx-picker-content", box);
      content.setAttribute("role", "listbox");
      const wheel = Wheel(box, content, {
        mark: true,
        height: () => ROW,
        count: () => content.children.length,
        settle: (index, previous, byUser) => {
          if (!byUser || index === previous) return;
          columnSettled(c, index);
        },
      });
      wheels.push({ box, content, wheel, labels: null });
    }

    function showColumns() {
      while (wheels.length < cols.length) makeWheel(wheels.length);
      while (wheels.length > cols.length) wheels.pop().box.remove();
      cols.forEach((rows, c) => {
        const w = wheels[c];
        const labels = rows.map((r) => r.label).join("\n");
        if (w.labels !== labels) {
          w.labels = labels;
          w.content.replaceChildren();
          for (const row of rows) {
            const item = V.div("wx-picker-item", w.content);
            item.textContent = row.label;
            item.setAttribute("role", "option");
          }
        }
        w.wheel.layout(SHEET_HEIGHT);
        w.wheel.setIndex(sel.index[c]);
      });
    }

    // Rebuilds the columns from `values` (one per column, undefined from the first unknown on):
    // each column keeps its value where it still has it, or the nearest row.
    function rebuild(values, indices) {
      const chosen = [];
      const index = [];
      cols = [];
      for (let round = 0; round < 6; round++) {
        const built = mode.build(props, chosen);
        if (built.length <= chosen.length) {
          cols = built;
          break;
        }
        const c = chosen.length;
        const rows = built[c];
        let i = -1;
        if (indices && indices[c] !== undefined) i = clampInt(indices[c], 0, Math.max(0, rows.length - 1));
        else if (values[c] !== undefined) {
          i = rows.findIndex((r) => r.v === values[c]);
          // A number outside this column's rows (a day 31 in a 30-day month): the nearest row.
          if (i < 0 && typeof values[c] === "number" && rows.length && typeof rows[0].v === "number") {
            i = values[c] < rows[0].v ? 0 : rows.length - 1;
          }
        }
        if (i < 0) i = 0;
        index.push(i);
        chosen.push(rows.length ? rows[i].v : undefined);
        cols = built;
      }
      sel = chosen;
      sel.index = index;
      showColumns();
    }

    function columnSettled(c, index) {
      if (mode === MODES.multiSelector) {
        sel.index[c] = index;
        sel[c] = index;
        V.emit(picker, "columnchange", { column: c, value: index });
        return;
      }
      const values = sel.slice(0, c);
      values.push(cols[c][index] ? cols[c][index].v : undefined);
      for (let i = c + 1; i < sel.length; i++) values.push(sel[i]);
      rebuild(values, null);
    }

    function current() {
      const index = wheels.map((w) => w.wheel.index);
      const out = index.map((i, c) => (cols[c] && cols[c][i] ? cols[c][i].v : 0));
      out.index = index;
      return out;
    }

    function close() {
      for (const w of wheels) w.wheel.stop();
      overlay.remove();
      doc.removeEventListener("keydown", onKey, true);
    }

    function onKey(e) {
      if (e.key === "Escape") {
        e.preventDefault();
        api.cancel();
      }
    }

    const api = {
      open(selection) {
        setTitle();
        if (mode === MODES.multiSelector || mode === MODES.selector) rebuild([], selection);
        else rebuild(selection, null);
        doc.addEventListener("keydown", onKey, true);
      },
      // The app changed an attribute while the sheet is open.
      changed(name) {
        if (name === "headerText") setTitle();
        else if (mode === MODES.selector || mode === MODES.multiSelector) {
          const index = current().index;
          if (name === "value") {
            const given = mode.initial(props);
            for (let c = 0; c < given.length; c++) index[c] = given[c];
          }
          rebuild([], index);
        } else if (name === "value") rebuild(mode.initial(props), null);
        else rebuild(sel.slice(), null);
      },
      cancel() {
        close();
        picker.__wxPickerClosed(null);
      },
      confirm() {
        const chosen = current();
        close();
        picker.__wxPickerClosed(chosen, cols);
      },
      close,
    };

    mask.addEventListener("click", () => api.cancel());
    cancel.addEventListener("click", () => api.cancel());
    confirm.addEventListener("click", () => {
      // A column still moving settles where it is headed first, as on a phone.
      if (wheels.some((w) => w.wheel.moving)) return;
      api.confirm();
    });
    // The page under the sheet does not scroll.
    overlay.addEventListener("wheel", (e) => e.preventDefault(), { passive: false });
    overlay.addEventListener("touchmove", (e) => e.cancelable && e.preventDefault(), { passive: false });
    return api;
  }

  V.components["wx-picker"] = (el, meta) => {
    const props = meta.props;
    let sheet = null;
    // The value the picker holds: the app's `value`, or what the user confirmed since.
    let held = null;
    let opening = false;

    const mode = () => MODES[props.mode] || MODES.selector;

    function selection() {
      if (held !== null && held.mode === mode()) return held.sel;
      return mode().initial(props);
    }

    function open() {
      if (sheet !== null || opening || props.disabled) return;
      const m = mode();
      if (m === MODES.region && !V.regionData) {
        opening = true;
        loadRegionData().then(
          () => {
            opening = false;
            if (el.isConnected) open();
          },
          (error) => {
            opening = false;
            V.reportError("picker: " + error.message);
          },
        );
        return;
      }
      sheet = Sheet(el, props, m);
      sheet.open(selection());
    }

    el.__wxPickerClosed = (chosen, cols) => {
      const m = mode();
      sheet = null;
      if (chosen === null) {
        V.emit(el, "cancel", {});
        return;
      }
      held = { mode: m, sel: m === MODES.selector || m === MODES.multiSelector ? chosen.index.slice() : chosen.slice() };
      V.emit(el, "change", m.detail(chosen, cols));
    };

    el.addEventListener("click", (e) => {
      if (e.defaultPrevented) return;
      open();
    });

    return {
      set(name) {
        if (name === "value" || name === "mode") held = null;
        if (sheet !== null) {
          if (name === "mode") {
            sheet.close();
            sheet = null;
          } else sheet.changed(name);
        }
      },
      destroy() {
        if (sheet !== null) sheet.close();
        sheet = null;
      },
      formValue() {
        const m = mode();
        const sel = selection();
        if (m === MODES.selector) return sel[0];
        if (m === MODES.multiSelector) return sel.slice();
        if (m === MODES.region) return sel.map((v) => (v === "" && typeof props.customItem === "string" ? props.customItem : v));
        if (held === null && (props.value === undefined || props.value === null || props.value === "")) return "";
        if (m === MODES.time) return MODES.time.detail(sel).value;
        return MODES.date.detail(sel).value;
      },
      formReset() {
        held = null;
      },
    };
  };
})();
