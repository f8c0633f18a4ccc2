// Built-in components: input, textarea and form. See frame.js for the controller interface.
//
// A textarea keeps a hidden copy of its text (`.wx-textarea-compute`, given the field's width):
// its height is the content's height, for auto-height and for bindlinechange's line count.
(function () {
  "use strict";

  const V = globalThis.wxView;
  const doc = document;

  // What each input type may contain (a phone's keyboard for these types offers nothing else).
  const FILTERS = { number: /[^0-9]/g, digit: /[^0-9.]/g, idcard: /[^0-9xX]/g };
  const INPUT_MODES = { number: "numeric", digit: "decimal", idcard: "text" };
  const ENTER_HINTS = new Set(["send", "search", "next", "go", "done"]);

  function field(el, meta, multiline) {
    const props = meta.props;
    const placeholder = V.div("wx-input-placeholder", el);
    const input = doc.createElement(multiline ? "textarea" : "input");
    input.className = multiline ? "wx-textarea-textarea" : "wx-input-input";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.maxLength = 140;
    input.enterKeyHint = multiline ? "enter" : "done";
    el.appendChild(input);
    let mirror = null;
    let probe = null;
    let lines = 0;
    if (multiline) {
      // In a zero-size clipping box, so a long text adds no scrollable overflow to the page.
      const box = V.div("wx-textarea-measure", el);
      box.setAttribute("aria-hidden", "true");
      mirror = V.div("wx-textarea-compute", box);
      probe = V.div("wx-textarea-compute", box);
      probe.textContent = "\u00a0";
    }

    let keyCode = 0;
    let wantFocus = false;

    const maxLength = () => {
      const n = V.num(props.maxlength, 140);
      return n < 0 ? -1 : Math.floor(n);
    };
    const syncPlaceholder = () => {
      placeholder.hidden = input.value !== "";
      // A no-break space (in the text's own font) keeps a last empty line (after "\n") counted.
      if (mirror !== null) mirror.textContent = input.value + "\u00a0";
    };
    // textarea: Enter inserts a new line unless confirm-type names another key (send, done, …).
    const enterConfirms = () => !multiline || (ENTER_HINTS.has(props.confirmType) && props.confirmType !== "return");

    // bindlinechange when the number of lines changed (layout is read here: after a user's
    // input, or in update(), never while ops are applied). The first measurement (at the first
    // render) only records the count.
    function measureLines() {
      if (mirror === null || !el.isConnected) return;
      mirror.style.width = input.clientWidth + "px";
      const height = mirror.offsetHeight;
      // auto-height: the field is as tall as its text (the host's height is auto, view.css).
      input.style.height = props.autoHeight ? height + "px" : "";
      const line = probe.offsetHeight || 1;
      const count = Math.max(1, Math.round(height / line));
      if (count === lines) return;
      const first = lines === 0;
      lines = count;
      if (first) return;
      const heightRpx = Math.round((height * 750) / (window.innerWidth || 375) * 100) / 100;
      V.emit(el, "linechange", { height, heightRpx, lineCount: count });
    }
    const caret = () => (input.selectionStart === null ? input.value.length : input.selectionStart);

    function applyType() {
      const type = typeof props.type === "string" ? props.type : "text";
      if (!multiline) {
        input.type = props.password || type === "safe-password" ? "password" : "text";
      }
      input.inputMode = INPUT_MODES[type] || "text";
    }

    function filterTyped() {
      const re = FILTERS[props.type];
      if (multiline || re === undefined) return;
      const before = input.value;
      const after = before.replace(re, "");
      if (after === before) return;
      const pos = caret() - (before.length - after.length);
      input.value = after;
      input.setSelectionRange(Math.max(0, pos), Math.max(0, pos));
    }

    function setValue(value) {
      let text = value === null || value === undefined ? "" : String(value);
      const max = maxLength();
      if (max >= 0 && text.length > max) text = text.slice(0, max);
      if (input.value === text) return;
      const focused = doc.activeElement === input;
      const pos = caret();
      input.value = text;
      if (focused) {
        const at = Math.min(pos, text.length);
        input.setSelectionRange(at, at);
      }
      syncPlaceholder();
    }

    input.addEventListener("keydown", (e) => {
      keyCode = e.keyCode;
      if (e.key === "Enter" && enterConfirms() && !e.isComposing) {
        if (multiline) e.preventDefault();
        V.emit(el, "confirm", { value: input.value });
        if (!props.confirmHold) input.blur();
      }
    });
    input.addEventListener("input", () => {
      filterTyped();
      syncPlaceholder();
      V.emit(el, "input", { value: input.value, cursor: caret(), keyCode });
      keyCode = 0;
      measureLines();
    });
    input.addEventListener("focus", () => V.emit(el, "focus", { value: input.value, height: 0 }));
    input.addEventListener("blur", () => V.emit(el, "blur", { value: input.value, cursor: caret() }));

    const ctl = {
      needsConnected: true,
      set(name, value) {
        switch (name) {
          case "value":
          case "autoHeight":
            if (name === "value") setValue(value);
            if (multiline) V.markDirty(ctl);
            break;
          case "type":
          case "password":
            applyType();
            break;
          case "placeholder":
            placeholder.textContent = value === null || value === undefined ? "" : String(value);
            break;
          case "placeholderStyle":
            placeholder.style.cssText = typeof value === "string" ? value : "";
            break;
          case "placeholderClass":
            placeholder.className =
              "wx-input-placeholder" + (typeof value === "string" && value ? " " + value : "");
            break;
          case "disabled":
            input.disabled = !!value;
            break;
          case "maxlength": {
            const max = maxLength();
            if (max < 0) input.removeAttribute("maxlength");
            else input.maxLength = max;
            break;
          }
          case "focus":
          case "autoFocus":
            if (value) {
              wantFocus = true;
              V.markDirty(ctl);
            } else if (name === "focus" && doc.activeElement === input) input.blur();
            break;
          case "confirmType":
            if (!multiline) input.enterKeyHint = ENTER_HINTS.has(value) ? value : "done";
            else input.enterKeyHint = ENTER_HINTS.has(value) ? value : "enter";
            break;
          case "cursor":
          case "selectionStart":
          case "selectionEnd":
            V.markDirty(ctl);
            break;
        }
      },
      update() {
        measureLines();
        if (wantFocus) {
          wantFocus = false;
          input.focus();
          const end = V.num(props.selectionEnd, -1);
          const start = V.num(props.selectionStart, -1);
          const cursor = V.num(props.cursor, -1);
          if (start >= 0 && end >= 0) input.setSelectionRange(start, end);
          else if (cursor >= 0) input.setSelectionRange(cursor, cursor);
        }
      },
      // A label's tap focuses the field.
      labelTap() {
        if (!props.disabled) input.focus();
      },
      formValue: () => input.value,
      // Back to the value attribute (what the page last set).
      formReset() {
        input.value = "";
        setValue(props.value);
        syncPlaceholder();
        if (multiline) V.markDirty(ctl);
      },
    };
    applyType();
    syncPlaceholder();
    if (multiline) V.markDirty(ctl);
    return ctl;
  }

  V.components["wx-input"] = (el, meta) => field(el, meta, false);
  V.components["wx-textarea"] = (el, meta) => field(el, meta, true);

  // --- form: a button's form-type submits or resets the nearest form ------------------------

  V.components["wx-form"] = () => ({});

  // report-submit's formId: WeChat's was a template-message token (now deprecated); here it is
  // only a random string, so code that reads it keeps working.
  function formId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // Every control inside the form with a `name` (and a controller that has formValue: input,
  // textarea, checkbox-group, radio-group, switch, slider, picker, …) takes part.
  V.formAction = (button, kind) => {
    const form = V.closestBuiltin(button.parentNode, "wx-form");
    if (form === null) return;
    const controls = form.querySelectorAll("*");
    if (kind === "submit") {
      const value = {};
      for (const control of controls) {
        const meta = control.__wx;
        if (meta === undefined || !meta.builtin || !meta.ctl || !meta.ctl.formValue) continue;
        const name = meta.props.name;
        if (typeof name === "string" && name !== "") value[name] = meta.ctl.formValue();
      }
      const detail = { value };
      if (form.__wx.props.reportSubmit) detail.formId = formId();
      V.emit(form, "submit", detail);
    } else {
      for (const control of controls) {
        const meta = control.__wx;
        if (meta !== undefined && meta.ctl && meta.ctl.formReset) meta.ctl.formReset();
      }
      V.emit(form, "reset", {});
    }
  };
})();
