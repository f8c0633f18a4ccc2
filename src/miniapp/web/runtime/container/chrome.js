// The native-looking frame around a running mini program, WeChat style: the navigation bar (title,
// back and home buttons, loading spinner), the capsule (··· menu and ⊙ close, always shown, also
// with navigationStyle "custom"), the page area the caller fills with page frames, the tab bar
// (bottom or top) and the overlays: toast / loading, modal, action sheet and the capsule's menu.
//
// Everything a mini program supplies (titles, texts, colours, icon URLs) goes in through
// textContent, element.style (CSSOM: an invalid value is dropped) or plain attributes, never as
// HTML. The fixed texts come from the i18n table and follow the page language. Sizes and colours
// follow WeChat: navigation bar 44px under the status bar, capsule 87×32 at 7px from the right,
// tab bar 50px plus the safe area. Styles live in chrome.css, loaded by the constructor if the
// page has not linked it.

import { localize, localizeAttribute, t } from "/static/shared/i18n.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const STYLESHEET = new URL("./chrome.css", import.meta.url).href;
const FRONT_COLORS = { "#ffffff": "white", "#000000": "black" };
const TIMING = { linear: "linear", easeIn: "ease-in", easeOut: "ease-out", easeInOut: "ease-in-out" };
const TOAST_ICONS = new Set(["success", "error", "loading", "none"]);
const TAB_DEFAULTS = {
  color: "#7A7E83",
  selectedColor: "#3cc51f",
  backgroundColor: "#ffffff",
  borderStyle: "black",
  position: "bottom",
};
const MAX_BADGE_CHARS = 4;
const MAX_SHEET_ITEMS = 6;
const FOCUSABLE = "button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex='-1'])";

let lastId = 0;
const newId = (name) => `mpc-${name}-${++lastId}`;

function element(tag, className, attributes = {}) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function button(className, attributes = {}) {
  return element("button", className, { type: "button", ...attributes });
}

/** An inline SVG icon from [tag, attributes] shapes; decorative (the button carries the name). */
function icon(className, viewBox, shapes) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", className);
  svg.setAttribute("viewBox", viewBox);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const [tag, attributes] of shapes) {
    const shape = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, value);
    svg.append(shape);
  }
  return svg;
}

const ICONS = {
  back: () => icon("mpc-icon mpc-icon-back", "0 0 12 24", [["path", { d: "M10 3 2 12l8 9" }]]),
  home: () =>
    icon("mpc-icon mpc-icon-home", "0 0 24 24", [
      ["path", { d: "M4 11 12 4l8 7v9h-5.5v-5.5h-5V20H4z" }],
    ]),
  more: () =>
    icon("mpc-icon-more", "0 0 28 12", [
      ["circle", { cx: "5", cy: "6", r: "2.5" }],
      ["circle", { cx: "14", cy: "6", r: "3.5" }],
      ["circle", { cx: "23", cy: "6", r: "2.5" }],
    ]),
  close: () =>
    icon("mpc-icon-close", "0 0 22 22", [
      ["circle", { class: "mpc-ring", cx: "11", cy: "11", r: "8.5" }],
      ["circle", { cx: "11", cy: "11", r: "3.5" }],
    ]),
  success: () =>
    icon("mpc-toast-icon", "0 0 40 40", [["path", { class: "mpc-stroke", d: "M8 20.5l8 8L32 12" }]]),
  error: () =>
    icon("mpc-toast-icon", "0 0 40 40", [
      ["circle", { class: "mpc-stroke", cx: "20", cy: "20", r: "16" }],
      ["path", { class: "mpc-stroke", d: "M20 11v12" }],
      ["circle", { cx: "20", cy: "28.5", r: "1.8" }],
    ]),
};

/** Link chrome.css once per document; resolves when it is loaded (or failed: never blocks). */
function ensureStylesheet() {
  const present = [...document.querySelectorAll("link[rel='stylesheet']")].find(
    (link) => link.href === STYLESHEET,
  );
  if (present && present.sheet) return Promise.resolve();
  const link = present ?? element("link", "", { rel: "stylesheet", href: STYLESHEET });
  const loaded = new Promise((resolve) => {
    link.addEventListener("load", () => resolve(), { once: true });
    link.addEventListener("error", () => resolve(), { once: true });
  });
  if (!present) document.head.append(link);
  return loaded;
}

function text(value) {
  return value === undefined || value === null ? "" : String(value);
}

/** A settings-page row: a switch saved by `onChange(id, on)` (back when that fails) and, when
 * `row.forget` names one (its text; `row.forgetLabel` its accessible name), a button that
 * removes the row once `onForget(id)` succeeds. */
function settingsRow(row, onChange, onForget) {
  const line = element("label", "mpc-settings-row");
  const name = element("span", "mpc-settings-label");
  name.textContent = text(row.label);
  const toggle = element("input", "mpc-settings-switch", { type: "checkbox", role: "switch", "data-id": text(row.id) });
  toggle.checked = Boolean(row.on);
  toggle.addEventListener("change", async () => {
    const on = toggle.checked;
    toggle.disabled = true;
    try {
      await onChange(row.id, on);
    } catch {
      toggle.checked = !on;
    } finally {
      toggle.disabled = false;
    }
  });
  line.append(name, toggle);
  if (!text(row.forget)) return line;
  // A label's button would toggle the switch too: the row is a div when it has one.
  const box = element("div", "mpc-settings-row");
  const forget = button("mpc-settings-forget", { "aria-label": text(row.forgetLabel || row.forget), "data-id": text(row.id) });
  forget.textContent = text(row.forget);
  forget.addEventListener("click", async () => {
    forget.disabled = true;
    try {
      await onForget(row.id);
      box.remove();
    } catch {
      forget.disabled = false;
    }
  });
  line.className = "mpc-settings-row-main";
  box.append(line, forget);
  return box;
}

function badgeText(value) {
  const chars = [...text(value)];
  return chars.length > MAX_BADGE_CHARS ? "..." : chars.join("");
}

/** Keep Tab and Shift+Tab inside container. */
function trapTab(event, container) {
  const items = [...container.querySelectorAll(FOCUSABLE)].filter((item) => !item.closest("[hidden]"));
  if (!items.length) {
    event.preventDefault();
    return;
  }
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !container.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !container.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

export class AppChrome {
  /**
   * Build the frame inside root (which fills the phone screen).
   * options: {appName, onBack, onClose, onMenu, onTabTap(index), onHome?, onNavigationBarTap?,
   * statusBarHeight? (px; default the device's safe area), safeAreaBottom? (px)}
   */
  constructor(root, options = {}) {
    this.root = root;
    this.options = options;
    this.ready = ensureStylesheet();
    this._nav = { custom: false, showBack: false, showHome: false, loading: false, front: "white" };
    this._tab = null;
    this._tabHidden = false;
    this._toast = null;
    this._queue = [];
    this._current = null;
    this._returnFocus = null;
    this._destroyed = false;

    const frame = element("section", "mpc");
    if (options.appName) frame.setAttribute("aria-label", text(options.appName));
    if (Number.isFinite(options.statusBarHeight)) {
      frame.style.setProperty("--mpc-status-bar", `${options.statusBarHeight}px`);
    }
    if (Number.isFinite(options.safeAreaBottom)) {
      frame.style.setProperty("--mpc-safe-bottom", `${options.safeAreaBottom}px`);
    }
    this.el = frame;

    this.navEl = this._buildNavigationBar();
    this.pagesEl = element("div", "mpc-pages");
    this.tabBarEl = element("nav", "mpc-tabbar", { hidden: "" });
    localizeAttribute(this.tabBarEl, "aria-label", "runtime.chrome.tab_bar");
    this.capsuleEl = this._buildCapsule();
    this._buildToast();
    this.overlayEl = element("div", "mpc-overlay");
    frame.append(
      this.navEl,
      this.pagesEl,
      this.tabBarEl,
      this._toastLayer,
      this.capsuleEl,
      this.overlayEl,
      this._liveEl,
    );
    root.append(frame);
    this.setNavigationBar({ frontColor: "#ffffff", backgroundColor: "#000000" });
  }

  // --- navigation bar and capsule ------------------------------------------------------------

  _buildNavigationBar() {
    const nav = element("header", "mpc-nav");
    const left = element("div", "mpc-nav-left");
    this._backButton = button("mpc-nav-button mpc-back", { hidden: "" });
    localizeAttribute(this._backButton, "aria-label", "runtime.chrome.back");
    this._backButton.append(ICONS.back());
    this._backButton.addEventListener("click", () => this.options.onBack?.());
    this._homeButton = button("mpc-nav-button mpc-home", { hidden: "" });
    localizeAttribute(this._homeButton, "aria-label", "runtime.chrome.home");
    this._homeButton.append(ICONS.home());
    this._homeButton.addEventListener("click", () => this.options.onHome?.());
    left.append(this._backButton, this._homeButton);

    const center = element("div", "mpc-nav-center");
    this._navSpinner = element("span", "mpc-spinner mpc-nav-spinner", { role: "img", hidden: "" });
    localizeAttribute(this._navSpinner, "aria-label", "common.loading");
    this._titleEl = element("h1", "mpc-title");
    center.append(this._navSpinner, this._titleEl);
    center.addEventListener("click", () => this.options.onNavigationBarTap?.());
    nav.append(left, center);
    return nav;
  }

  _buildCapsule() {
    const capsule = element("div", "mpc-capsule", { role: "group" });
    localizeAttribute(capsule, "aria-label", "runtime.chrome.capsule");
    const menu = button("mpc-capsule-button mpc-capsule-menu");
    localizeAttribute(menu, "aria-label", "runtime.chrome.more");
    menu.append(ICONS.more());
    menu.addEventListener("click", () => this.options.onMenu?.());
    const close = button("mpc-capsule-button mpc-capsule-close");
    localizeAttribute(close, "aria-label", "runtime.chrome.close");
    close.append(ICONS.close());
    close.addEventListener("click", () => this.options.onClose?.());
    capsule.append(menu, element("span", "mpc-capsule-separator", { "aria-hidden": "true" }), close);
    return capsule;
  }

  /**
   * Change the navigation bar; fields left out keep their value.
   * {title, frontColor ('#ffffff'|'#000000'), backgroundColor, showBack, showHome,
   *  custom (navigationStyle "custom": no bar, the capsule stays), loading,
   *  animation: {duration (ms), timingFunc: linear|easeIn|easeOut|easeInOut} for the colours}
   */
  setNavigationBar({
    title,
    frontColor,
    backgroundColor,
    showBack,
    showHome,
    custom,
    loading,
    animation,
  } = {}) {
    const state = this._nav;
    const duration = Number(animation?.duration);
    if (animation && Number.isFinite(duration) && duration > 0) {
      const timing = TIMING[animation.timingFunc] ?? "linear";
      const transition = `background-color ${duration}ms ${timing}, color ${duration}ms ${timing}`;
      this.navEl.style.transition = transition;
      this.capsuleEl.style.transition = transition;
    } else if (frontColor !== undefined || backgroundColor !== undefined) {
      this.navEl.style.transition = "";
      this.capsuleEl.style.transition = "";
    }
    if (title !== undefined) this._titleEl.textContent = text(title);
    const front = FRONT_COLORS[String(frontColor).toLowerCase()];
    if (front) {
      state.front = front;
      this.navEl.style.color = front === "white" ? "#ffffff" : "#000000";
      this.navEl.dataset.front = front;
      this.capsuleEl.dataset.front = front;
    }
    if (backgroundColor !== undefined) this.navEl.style.backgroundColor = text(backgroundColor);
    if (showBack !== undefined) state.showBack = Boolean(showBack);
    if (showHome !== undefined) state.showHome = Boolean(showHome);
    if (custom !== undefined) state.custom = Boolean(custom);
    if (loading !== undefined) state.loading = Boolean(loading);
    this._backButton.hidden = !state.showBack;
    this._homeButton.hidden = !state.showHome;
    this._navSpinner.hidden = !state.loading;
    this.navEl.hidden = state.custom;
    this.el.classList.toggle("mpc-custom", state.custom);
  }

  /** The capsule's box in px relative to root, as wx.getMenuButtonBoundingClientRect gives it. */
  menuButtonRect() {
    const outer = this.el.getBoundingClientRect();
    const box = this.capsuleEl.getBoundingClientRect();
    const top = box.top - outer.top;
    const left = box.left - outer.left;
    return {
      width: box.width,
      height: box.height,
      top,
      left,
      right: left + box.width,
      bottom: top + box.height,
    };
  }

  // --- tab bar -------------------------------------------------------------------------------

  /**
   * Show app.json's tabBar (null: none). Each list item carries iconUrl / selectedIconUrl already
   * resolved. selectedIndex -1 (or null): the current page is not a tab page, so the bar is not
   * drawn, though its items, badges and red dots are kept.
   */
  setTabBar(config, selectedIndex = 0) {
    if (!config || !Array.isArray(config.list) || !config.list.length) {
      this._tab = null;
      this.tabBarEl.replaceChildren();
      this._updateTabBar();
      return;
    }
    const style = { ...TAB_DEFAULTS };
    for (const name of Object.keys(TAB_DEFAULTS)) {
      if (typeof config[name] === "string" && config[name]) style[name] = config[name];
    }
    this._tab = {
      style,
      selected: -1,
      items: config.list.map((item) => ({
        text: text(item.text),
        iconUrl: text(item.iconUrl),
        selectedIconUrl: text(item.selectedIconUrl || item.iconUrl),
        badge: null,
        dot: false,
      })),
      buttons: config.list.map((_item, index) => {
        const tab = button("mpc-tab");
        tab.addEventListener("click", () => this.options.onTabTap?.(index));
        return tab;
      }),
    };
    this.tabBarEl.replaceChildren(...this._tab.buttons);
    this.selectTab(selectedIndex);
  }

  /** Mark tab index as the current page (-1 or null: not a tab page). false: no such tab. */
  selectTab(index) {
    const tab = this._tab;
    if (!tab) return false;
    const none = index === null || index === -1;
    if (!none && !this._validTab(index)) return false;
    tab.selected = none ? -1 : index;
    this._renderTabs();
    return true;
  }

  setTabBarBadge(index, value) {
    return this._changeTab(index, (item) => {
      item.badge = text(value);
      item.dot = false;
    });
  }

  removeTabBarBadge(index) {
    return this._changeTab(index, (item) => {
      item.badge = null;
    });
  }

  showTabBarRedDot(index) {
    return this._changeTab(index, (item) => {
      item.dot = true;
      item.badge = null;
    });
  }

  hideTabBarRedDot(index) {
    return this._changeTab(index, (item) => {
      item.dot = false;
    });
  }

  /** Change a tab's text and icons ({text, iconUrl, selectedIconUrl}; fields left out stay). */
  setTabBarItem(index, { text: label, iconUrl, selectedIconUrl } = {}) {
    return this._changeTab(index, (item) => {
      if (label !== undefined) item.text = text(label);
      if (iconUrl !== undefined) item.iconUrl = text(iconUrl);
      if (selectedIconUrl !== undefined) item.selectedIconUrl = text(selectedIconUrl);
    });
  }

  /** {color, selectedColor, backgroundColor, borderStyle ('black'|'white')}; fields left out stay. */
  setTabBarStyle(style = {}) {
    if (!this._tab) return false;
    for (const name of ["color", "selectedColor", "backgroundColor", "borderStyle"]) {
      if (typeof style[name] === "string" && style[name]) this._tab.style[name] = style[name];
    }
    this._renderTabs();
    return true;
  }

  showTabBar({ animation = false } = {}) {
    const wasHidden = this._tabHidden;
    this._tabHidden = false;
    this._updateTabBar();
    if (wasHidden && animation && this.tabBarVisible) {
      this.tabBarEl.classList.remove("mpc-tabbar-enter");
      void this.tabBarEl.offsetWidth; // restart the animation
      this.tabBarEl.classList.add("mpc-tabbar-enter");
    }
  }

  hideTabBar() {
    this._tabHidden = true;
    this._updateTabBar();
  }

  /** Whether a tab bar is drawn now (configured, on a tab page and not hidden by hideTabBar). */
  get tabBarVisible() {
    return Boolean(this._tab && this._tab.selected >= 0 && !this._tabHidden);
  }

  _validTab(index) {
    return Number.isInteger(index) && index >= 0 && index < this._tab.items.length;
  }

  _changeTab(index, change) {
    if (!this._tab || !this._validTab(index)) return false;
    change(this._tab.items[index]);
    this._renderTab(index);
    return true;
  }

  _updateTabBar() {
    this.tabBarEl.hidden = !this.tabBarVisible;
  }

  _renderTabs() {
    const { style } = this._tab;
    const bar = this.tabBarEl;
    bar.dataset.position = style.position === "top" ? "top" : "bottom";
    bar.dataset.border = style.borderStyle === "white" ? "white" : "black";
    bar.style.backgroundColor = style.backgroundColor;
    this._tab.items.forEach((_item, index) => this._renderTab(index));
    this._updateTabBar();
  }

  _renderTab(index) {
    const { style, items, buttons, selected } = this._tab;
    const item = items[index];
    const tab = buttons[index];
    const current = index === selected;
    if (current) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
    tab.style.color = current ? style.selectedColor : style.color;

    // Icon (not on a top bar), text, then the badge or red dot: read in that order ("Cart 3").
    const inner = element("span", "mpc-tab-inner");
    if (style.position !== "top") {
      const iconBox = element("span", "mpc-tab-icon");
      const url = current ? item.selectedIconUrl : item.iconUrl;
      if (url) iconBox.append(element("img", "", { src: url, alt: "" }));
      inner.append(iconBox);
    }
    const label = element("span", "mpc-tab-label");
    label.textContent = item.text;
    inner.append(label);
    if (item.badge !== null && item.badge !== "") {
      const badge = element("span", "mpc-badge");
      badge.textContent = badgeText(item.badge);
      inner.append(badge);
    } else if (item.dot) {
      const dot = element("span", "mpc-dot");
      dot.append(localize(element("span", "mpc-visually-hidden"), "runtime.chrome.new"));
      inner.append(dot);
    }
    tab.replaceChildren(inner);
  }

  // --- toast and loading (one slot, as in WeChat) ----------------------------------------------

  _buildToast() {
    this._toastLayer = element("div", "mpc-toast-layer", { hidden: "" });
    this._toastBox = element("div", "mpc-toast", { "aria-hidden": "true" });
    this._toastIcon = element("div", "mpc-toast-icon-box");
    this._toastText = element("p", "mpc-toast-text");
    this._toastBox.append(this._toastIcon, this._toastText);
    this._toastLayer.append(this._toastBox);
    // Screen readers hear the title through this always-present live region.
    this._liveEl = element("div", "mpc-visually-hidden", { role: "status" });
  }

  /** wx.showToast: {title, icon ('success'|'error'|'loading'|'none'), image, duration, mask}. */
  showToast({ title = "", icon: kind = "success", image, duration = 1500, mask = false } = {}) {
    const shown = image ? "image" : TOAST_ICONS.has(kind) ? kind : "success";
    this._showSlot("toast", { title, icon: shown, image, mask });
    const ms = Number(duration);
    this._toast.timer = setTimeout(() => this._hideSlot(), Number.isFinite(ms) && ms >= 0 ? ms : 1500);
  }

  /** wx.showLoading: {title, mask}; stays until hideLoading (or hideToast, or another toast). */
  showLoading({ title = "", mask = false } = {}) {
    this._showSlot("loading", { title, icon: "loading", mask });
  }

  /** wx.hideToast; with {noConflict: true} it leaves a loading box alone. */
  hideToast({ noConflict = false } = {}) {
    if (this._toast && (this._toast.kind === "toast" || !noConflict)) this._hideSlot();
  }

  /** wx.hideLoading; with {noConflict: true} it leaves a toast alone. */
  hideLoading({ noConflict = false } = {}) {
    if (this._toast && (this._toast.kind === "loading" || !noConflict)) this._hideSlot();
  }

  _showSlot(kind, { title, icon: shown, image, mask }) {
    this._hideSlot();
    this._toast = { kind, timer: null };
    const box = this._toastBox;
    box.dataset.icon = shown;
    box.dataset.kind = kind;
    if (shown === "image") {
      this._toastIcon.replaceChildren(element("img", "mpc-toast-icon", { src: text(image), alt: "" }));
    } else if (shown === "loading") {
      this._toastIcon.replaceChildren(element("span", "mpc-spinner mpc-toast-spinner"));
    } else if (shown === "none") {
      this._toastIcon.replaceChildren();
    } else {
      this._toastIcon.replaceChildren(ICONS[shown]());
    }
    this._toastIcon.hidden = shown === "none";
    this._toastText.textContent = text(title);
    this._toastText.hidden = !text(title);
    this._toastLayer.classList.toggle("mpc-toast-mask", Boolean(mask));
    this._toastLayer.hidden = false;
    this._liveEl.textContent = text(title);
  }

  _hideSlot() {
    if (!this._toast) return;
    clearTimeout(this._toast.timer);
    this._toast = null;
    this._toastLayer.hidden = true;
    this._toastLayer.classList.remove("mpc-toast-mask");
    this._liveEl.textContent = "";
  }

  // --- modal, action sheet, menu (one at a time; later ones wait their turn) -------------------

  /**
   * wx.showModal. Resolves {confirm, cancel} (plus content: the input's text when editable).
   * Escape cancels; a tap on the mask does nothing (as in WeChat).
   */
  showModal({
    title,
    content,
    showCancel = true,
    cancelText,
    cancelColor = "#000000",
    confirmText,
    confirmColor = "#576B95",
    editable = false,
    placeholderText,
  } = {}) {
    const cancelled = editable
      ? { confirm: false, cancel: true, content: text(content) }
      : { confirm: false, cancel: true };
    return this._present([true, cancelled], (layer, finish) => {
      const dialog = element("div", "mpc-dialog", {
        role: "dialog",
        "aria-modal": "true",
        tabindex: "-1",
      });
      let input = null;
      const result = (confirm) =>
        editable ? { confirm, cancel: !confirm, content: input.value } : { confirm, cancel: !confirm };
      if (text(title)) {
        const heading = element("h2", "mpc-dialog-title", { id: newId("title") });
        heading.textContent = text(title);
        dialog.setAttribute("aria-labelledby", heading.id);
        const header = element("div", "mpc-dialog-header");
        header.append(heading);
        dialog.append(header);
      }
      const body = element("div", "mpc-dialog-body");
      if (editable) {
        input = element("input", "mpc-dialog-input", { type: "text" });
        input.value = text(content);
        if (text(placeholderText)) input.placeholder = text(placeholderText);
        if (text(title)) input.setAttribute("aria-labelledby", dialog.getAttribute("aria-labelledby"));
        else if (text(placeholderText)) input.setAttribute("aria-label", text(placeholderText));
        input.addEventListener("keydown", (event) => {
          if (event.key === "Enter" && !event.isComposing) {
            event.preventDefault();
            finish(true, result(true));
          }
        });
        body.append(input);
      } else if (text(content)) {
        const paragraph = element("p", "mpc-dialog-content", { id: newId("content") });
        paragraph.textContent = text(content);
        dialog.setAttribute("aria-describedby", paragraph.id);
        body.append(paragraph);
      }
      if (body.childNodes.length) dialog.append(body);
      dialog.classList.toggle("mpc-dialog-untitled", !text(title));

      const footer = element("div", "mpc-dialog-footer");
      const cancel = button("mpc-dialog-button mpc-dialog-cancel");
      cancel.textContent = text(cancelText) || t("common.cancel");
      cancel.style.color = text(cancelColor);
      cancel.addEventListener("click", () => finish(true, result(false)));
      const confirm = button("mpc-dialog-button mpc-dialog-confirm");
      confirm.textContent = text(confirmText) || t("runtime.chrome.ok");
      confirm.style.color = text(confirmColor);
      confirm.addEventListener("click", () => finish(true, result(true)));
      if (showCancel) footer.append(cancel);
      footer.append(confirm);
      dialog.append(footer);
      layer.classList.add("mpc-layer-center");
      layer.append(element("div", "mpc-mask"), dialog);
      return { focus: input ?? confirm, cancel: () => finish(true, result(false)) };
    });
  }

  /**
   * wx.showActionSheet: {itemList (1 to 6 strings), itemColor, alertText}. Resolves {tapIndex};
   * rejects with Error("showActionSheet:fail cancel") on Cancel, a tap on the mask or Escape.
   */
  showActionSheet({ itemList, itemColor = "#000000", alertText } = {}) {
    if (!Array.isArray(itemList) || !itemList.length || itemList.length > MAX_SHEET_ITEMS) {
      return Promise.reject(
        new Error("showActionSheet:fail parameter error: itemList must hold 1 to 6 items"),
      );
    }
    const cancelled = () => new Error("showActionSheet:fail cancel");
    return this._present([false, cancelled], (layer, finish) => {
      const items = itemList.map((label, index) => {
        const item = button("mpc-sheet-item");
        item.textContent = text(label);
        item.style.color = text(itemColor);
        item.addEventListener("click", () => finish(true, { tapIndex: index }));
        return item;
      });
      const cancel = () => finish(false, cancelled());
      return this._buildSheet(layer, { heading: text(alertText), items, cancel });
    });
  }

  /**
   * The capsule's ··· menu: items [{id, label}] (the caller's translated labels). Resolves the
   * chosen id, or null on Cancel, a tap on the mask or Escape.
   */
  showMenu(items = []) {
    return this._present([true, null], (layer, finish) => {
      const rows = items.map(({ id, label }) => {
        const row = button("mpc-sheet-item mpc-menu-item");
        row.textContent = text(label);
        row.addEventListener("click", () => finish(true, id));
        return row;
      });
      const cancel = () => finish(true, null);
      return this._buildSheet(layer, { heading: text(this.options.appName), items: rows, cancel });
    });
  }

  /**
   * The settings page (wx.openSetting, the ··· menu's Settings): a page over the app with a
   * switch per row [{id, label, on}] and an optional note. `onChange(id, on)` saves a change (a
   * promise; when it fails the switch goes back). Then `sections` [{heading, rows, onChange,
   * onForget}], each under its heading; a row with `forget` (the button's text) has a button
   * that calls `onForget(id)` and, when that succeeds, removes the row. Resolves when the user
   * goes back (the back arrow or Escape).
   */
  showSettings({ title, rows = [], note = "", onChange, sections = [] }) {
    return this._present([true, undefined], (layer, finish) => {
      const page = element("div", "mpc-settings", { role: "dialog", "aria-modal": "true" });
      const header = element("div", "mpc-settings-header");
      const back = button("mpc-settings-back");
      localizeAttribute(back, "aria-label", "runtime.settings.back");
      back.append(ICONS.back());
      back.addEventListener("click", () => finish(true, undefined));
      const heading = element("h2", "mpc-settings-title", { id: newId("settings") });
      heading.textContent = text(title);
      page.setAttribute("aria-labelledby", heading.id);
      header.append(back, heading);
      const list = element("div", "mpc-settings-list");
      list.append(...rows.map((row) => settingsRow(row, onChange)));
      if (text(note)) {
        const paragraph = element("p", "mpc-settings-note");
        paragraph.textContent = text(note);
        list.append(paragraph);
      }
      for (const section of sections) {
        const caption = element("h3", "mpc-settings-heading");
        caption.textContent = text(section.heading);
        list.append(caption, ...section.rows.map((row) => settingsRow(row, section.onChange, section.onForget)));
      }
      page.append(header, list);
      layer.append(page);
      return { focus: back, cancel: () => finish(true, undefined) };
    });
  }

  /**
   * wx.makePhoneCall's sheet: the number and a "Call" tel: link. Resolves true when the user
   * calls, false on Cancel, a tap on the mask or Escape. `number` is already validated.
   */
  showPhoneCall(number) {
    return this._present([true, false], (layer, finish) => {
      const call = element("a", "mpc-sheet-item mpc-phone-call", { href: `tel:${text(number).replace(/[^\d+]/g, "")}` });
      call.textContent = t("runtime.phone.title", { number: text(number) });
      // Settled after the click: the link must still be in the document to be followed.
      call.addEventListener("click", () => setTimeout(() => finish(true, true), 0));
      return this._buildSheet(layer, { heading: text(number), items: [call], cancel: () => finish(true, false) });
    });
  }

  _buildSheet(layer, { heading, items, cancel }) {
    const mask = element("div", "mpc-mask");
    mask.addEventListener("click", cancel);
    const sheet = element("div", "mpc-sheet", {
      role: "dialog",
      "aria-modal": "true",
      tabindex: "-1",
    });
    if (heading) {
      const title = element("p", "mpc-sheet-title", { id: newId("sheet") });
      title.textContent = heading;
      sheet.setAttribute("aria-labelledby", title.id);
      sheet.append(title);
    } else {
      localizeAttribute(sheet, "aria-label", "runtime.chrome.options");
    }
    const menu = element("div", "mpc-sheet-menu");
    menu.append(...items);
    const action = element("div", "mpc-sheet-action");
    const cancelButton = button("mpc-sheet-item mpc-sheet-cancel");
    localize(cancelButton, "common.cancel");
    cancelButton.addEventListener("click", cancel);
    action.append(cancelButton);
    sheet.append(menu, action);
    layer.classList.add("mpc-layer-bottom");
    layer.append(mask, sheet);
    return { focus: items[0] ?? cancelButton, cancel };
  }

  /** Queue a dialog. dismissed = [ok, value | () => value]: how it settles if never answered. */
  _present(dismissed, build) {
    return new Promise((resolve, reject) => {
      const item = { build, dismissed, resolve, reject, cancel: null };
      if (this._destroyed) {
        this._dismiss(item);
        return;
      }
      if (!this._current && !this._queue.length) {
        const active = document.activeElement;
        this._returnFocus = active && active !== document.body ? active : null;
      }
      this._queue.push(item);
      if (!this._current) this._showNext();
    });
  }

  _dismiss(item) {
    const [ok, value] = item.dismissed;
    const settled = typeof value === "function" ? value() : value;
    (ok ? item.resolve : item.reject)(settled);
  }

  _showNext() {
    const item = this._queue.shift();
    if (!item) {
      this._setBlocked(false);
      const target = this._returnFocus;
      this._returnFocus = null;
      if (target && target.isConnected) target.focus();
      return;
    }
    this._current = item;
    this._setBlocked(true);
    const layer = element("div", "mpc-layer");
    // A press on the mask keeps focus in the dialog (so Escape and Tab still reach it).
    layer.addEventListener("mousedown", (event) => {
      if (event.target.classList.contains("mpc-mask")) event.preventDefault();
    });
    let done = false;
    const finish = (ok, value) => {
      if (done) return;
      done = true;
      layer.remove();
      this._current = null;
      (ok ? item.resolve : item.reject)(value);
      if (!this._destroyed) this._showNext();
    };
    const { focus, cancel } = item.build(layer, finish);
    item.cancel = cancel;
    layer.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        cancel();
      } else if (event.key === "Tab") {
        trapTab(event, layer);
      }
    });
    this.overlayEl.append(layer);
    focus.focus();
  }

  /** While a dialog is up, everything else in the frame is inert (no focus, no taps). */
  _setBlocked(blocked) {
    for (const part of [this.navEl, this.pagesEl, this.tabBarEl, this.capsuleEl, this._toastLayer]) {
      part.inert = blocked;
    }
  }

  // --- teardown ------------------------------------------------------------------------------

  /** Remove the frame; open dialogs settle as cancelled, the toast timer stops. */
  destroy() {
    if (this._destroyed) return;
    this._destroyed = true;
    this._hideSlot();
    const waiting = this._queue.splice(0);
    this._current?.cancel?.();
    for (const item of waiting) this._dismiss(item);
    this.el.remove();
  }
}
