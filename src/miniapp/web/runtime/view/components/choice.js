// Built-in components: checkbox, checkbox-group, radio, radio-group, switch and label. See
// frame.js for the controller interface.
//
// The DOM follows WeChat's WebView base library (`.wx-checkbox-wrapper > .wx-checkbox-input`,
// `.wx-radio-input`, `.wx-switch-input`, with `-checked` / `-disabled` modifier classes), because
// real mini programs restyle those class names in their WXSS (round checkboxes, smaller switches).
//
// A tap reaches a control through frame.js's onClick, which calls `tapped()` on the nearest
// built-in that has one; taps that became drags, long presses or scrolls never get there. A label
// forwards its tap to its `for` control or the first control inside it (`labelTap()`).
(function () {
  "use strict";

  const V = globalThis.wxView;
  const doc = document;

  const str = (v) => (v === null || v === undefined ? "" : String(v));
  const color = (v) => (typeof v === "string" ? v.trim() : "");

  // A group owns the checkboxes (radios) inside it whose nearest group it is.
  function groupOf(el, tag) {
    const parent = el.parentNode;
    return parent ? V.closestBuiltin(parent, tag) : null;
  }

  function membersOf(group, itemTag, groupTag) {
    const out = [];
    for (const item of group.querySelectorAll(itemTag)) {
      if (item.__wx && item.__wx.ctl && groupOf(item, groupTag) === group) out.push(item);
    }
    return out;
  }

  // Space and Enter act on a focused control, as a tap would.
  function keyboardActivation(el, act) {
    el.addEventListener("keydown", (e) => {
      if (e.target !== el || (e.key !== " " && e.key !== "Enter")) return;
      e.preventDefault();
      act();
    });
  }

  function setDisabled(el, on) {
    if (on) {
      el.setAttribute("aria-disabled", "true");
      el.removeAttribute("tabindex");
    } else {
      el.removeAttribute("aria-disabled");
      el.tabIndex = 0;
    }
  }

  // What checkbox and radio share: WeChat's wrapper and box, role and focus, the checked state,
  // keyboard and label activation, reset. `paint(input, checked)` colours the box, `act(control)`
  // is what a tap does ({checked, setChecked}), `onChecked()` runs when a radio becomes checked.
  function choice(el, meta, { kind, paint, act, onChecked }) {
    const props = meta.props;
    const wrapper = V.div(`wx-${kind}-wrapper`, el);
    const input = V.div(`wx-${kind}-input`, wrapper);
    // Its children (the label text) go into the wrapper, after the box.
    wrapper.__wxHost = el;
    el.setAttribute("role", kind);
    el.tabIndex = 0;
    let checked = false;

    function render() {
      input.classList.toggle(`wx-${kind}-input-checked`, checked);
      input.classList.toggle(`wx-${kind}-input-disabled`, !!props.disabled);
      paint(input, checked);
      el.setAttribute("aria-checked", String(checked));
    }

    const control = {
      get checked() {
        return checked;
      },
      setChecked(on) {
        checked = on;
        render();
        if (on && onChecked) onChecked();
      },
    };
    const activate = () => {
      if (!props.disabled) act(control);
    };

    const ctl = {
      slot: wrapper,
      set(name, value) {
        if (name === "checked") control.setChecked(!!value);
        else {
          if (name === "disabled") setDisabled(el, !!value);
          render();
        }
      },
      tapped: activate,
      labelTap: activate,
      isChecked: () => checked,
      value: () => str(props.value),
      uncheck() {
        if (!checked) return;
        checked = false;
        render();
      },
      // Reset (form reset) back to the checked attribute.
      reset() {
        checked = !!props.checked;
        render();
      },
    };
    keyboardActivation(el, activate);
    render();
    return ctl;
  }

  // --- checkbox and checkbox-group ------------------------------------------------------------

  V.components["wx-checkbox"] = (el, meta) =>
    choice(el, meta, {
      kind: "checkbox",
      paint(input) {
        input.style.color = color(meta.props.color);
      },
      act(control) {
        control.setChecked(!control.checked);
        // model:checked writes this back (WeChat's checkbox has no documented change event).
        V.emit(el, "change", { value: control.checked });
        const group = groupOf(el, "wx-checkbox-group");
        if (group !== null && group.__wx.ctl) group.__wx.ctl.changed();
      },
    });

  V.components["wx-checkbox-group"] = (el) => {
    const items = () => membersOf(el, "wx-checkbox", "wx-checkbox-group");
    const value = () => items().filter((c) => c.__wx.ctl.isChecked()).map((c) => c.__wx.ctl.value());
    el.setAttribute("role", "group");
    return {
      changed() {
        V.emit(el, "change", { value: value() });
      },
      formValue: value,
      formReset() {
        for (const item of items()) item.__wx.ctl.reset();
      },
    };
  };

  // --- radio and radio-group ------------------------------------------------------------------

  V.components["wx-radio"] = (el, meta) =>
    choice(el, meta, {
      kind: "radio",
      paint(input, checked) {
        // WeChat fills the checked circle with `color`.
        const c = checked && !meta.props.disabled ? color(meta.props.color) : "";
        input.style.backgroundColor = c;
        input.style.borderColor = c;
      },
      act(control) {
        if (control.checked) return;
        control.setChecked(true);
        V.emit(el, "change", { value: true });
        const group = groupOf(el, "wx-radio-group");
        if (group !== null && group.__wx.ctl) group.__wx.ctl.changed(str(meta.props.value));
      },
      // One checked radio per group.
      onChecked() {
        const group = groupOf(el, "wx-radio-group");
        if (group === null) return;
        for (const other of membersOf(group, "wx-radio", "wx-radio-group")) {
          if (other !== el) other.__wx.ctl.uncheck();
        }
      },
    });

  V.components["wx-radio-group"] = (el) => {
    const items = () => membersOf(el, "wx-radio", "wx-radio-group");
    el.setAttribute("role", "radiogroup");
    return {
      changed(value) {
        V.emit(el, "change", { value });
      },
      formValue() {
        const on = items().find((r) => r.__wx.ctl.isChecked());
        return on ? on.__wx.ctl.value() : "";
      },
      formReset() {
        for (const item of items()) item.__wx.ctl.reset();
      },
    };
  };

  // --- switch ---------------------------------------------------------------------------------

  V.components["wx-switch"] = (el, meta) => {
    const props = meta.props;
    const wrapper = V.div("wx-switch-wrapper", el);
    const input = V.div("wx-switch-input", wrapper);
    el.setAttribute("role", "switch");
    el.tabIndex = 0;
    let checked = false;
    let kind = "";

    function render() {
      const type = props.type === "checkbox" ? "checkbox" : "switch";
      if (type !== kind) {
        kind = type;
        input.className = `wx-${type}-input`;
        input.removeAttribute("style");
        el.setAttribute("role", type);
      }
      input.classList.toggle(`wx-${kind}-input-checked`, checked);
      input.classList.toggle(`wx-${kind}-input-disabled`, !!props.disabled);
      const c = color(props.color);
      if (kind === "switch") {
        input.style.backgroundColor = checked ? c : "";
        input.style.borderColor = checked ? c : "";
      } else input.style.color = c;
      el.setAttribute("aria-checked", String(checked));
    }

    function toggle() {
      if (props.disabled) return;
      checked = !checked;
      render();
      V.emit(el, "change", { value: checked });
    }

    const ctl = {
      set(name, value) {
        if (name === "checked") checked = !!value;
        if (name === "disabled") setDisabled(el, !!value);
        render();
      },
      tapped: toggle,
      labelTap: toggle,
      formValue: () => checked,
      formReset() {
        checked = !!props.checked;
        render();
      },
    };
    keyboardActivation(el, toggle);
    render();
    return ctl;
  };

  // --- label ----------------------------------------------------------------------------------

  // The controls a label acts on (WeChat: button, checkbox, radio, switch, input, textarea).
  const LABELLED = ["wx-button", "wx-checkbox", "wx-radio", "wx-switch", "wx-input", "wx-textarea"];
  const LABELLED_SELECTOR = LABELLED.join(",");

  function activate(control) {
    const ctl = control.__wx && control.__wx.ctl;
    if (!ctl) return;
    if (ctl.labelTap) ctl.labelTap();
    else if (control.__wx.tag === "wx-button" && ctl.tapped) ctl.tapped();
  }

  V.components["wx-label"] = (el, meta) => ({
    tapped() {
      const target = meta.props.for;
      if (typeof target === "string" && target !== "") {
        const control = doc.getElementById(target);
        if (control !== null && control.__wx && LABELLED.includes(control.__wx.tag)) {
          activate(control);
        }
        return;
      }
      const first = el.querySelector(LABELLED_SELECTOR);
      if (first !== null) activate(first);
    },
  });
})();
