// Built-in components: input, textarea and form. See frame.js for the controller interface.
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
    if (!multiline) input.enterKeyHint = "done";
    el.appendChild(input);

    let keyCode = 0;
    let wantFocus = false;

    const maxLength = () => {
      const n = V.num(props.maxlength, 140);
      return n < 0 ? -1 : Math.floor(n);
    };
    const syncPlaceholder = () => {
      placeholder.hidden = input.value !== "";
    };
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
      if (e.key === "Enter" && !multiline && !e.isComposing) {
        V.emit(el, "confirm", { value: input.value });
        if (!props.confirmHold) input.blur();
      }
    });
    input.addEventListener("input", () => {
      filterTyped();
      syncPlaceholder();
      V.emit(el, "input", { value: input.value, cursor: caret(), keyCode });
      keyCode = 0;
    });
    input.addEventListener("focus", () => V.emit(el, "focus", { value: input.value, height: 0 }));
    input.addEventListener("blur", () => V.emit(el, "blur", { value: input.value, cursor: caret() }));

    const ctl = {
      needsConnected: true,
      set(name, value) {
        switch (name) {
          case "value":
            setValue(value);
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
            break;
          case "cursor":
          case "selectionStart":
          case "selectionEnd":
            V.markDirty(ctl);
            break;
        }
      },
      update() {
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
      formValue: () => input.value,
      formReset() {
        input.value = "";
        syncPlaceholder();
      },
    };
    applyType();
    return ctl;
  }

  V.components["wx-input"] = (el, meta) => field(el, meta, false);
  V.components["wx-textarea"] = (el, meta) => field(el, meta, true);

  // --- form: a button's form-type submits or resets the nearest form ------------------------

  V.components["wx-form"] = () => ({});

  V.formAction = (button, kind) => {
    const form = V.closestBuiltin(button.parentNode, "wx-form");
    if (form === null) return;
    const controls = form.querySelectorAll("*");
    if (kind === "submit") {
      const value = {};
      for (const control of controls) {
        const meta = control.__wx;
        if (meta === undefined || meta.ctl === null || !meta.ctl.formValue) continue;
        const name = meta.props.name;
        if (typeof name === "string" && name !== "") value[name] = meta.ctl.formValue();
      }
      V.emit(form, "submit", { value });
    } else {
      for (const control of controls) {
        const meta = control.__wx;
        if (meta !== undefined && meta.ctl && meta.ctl.formReset) meta.ctl.formReset();
      }
      V.emit(form, "reset", {});
    }
  };
})();
