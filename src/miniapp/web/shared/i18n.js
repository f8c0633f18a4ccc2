// Translation: the one table (shared/i18n.json), the current language, and the DOM marking.
//
// Markup: an element with data-i18n="key" gets its text from the table; data-i18n-placeholder,
// data-i18n-aria-label and data-i18n-title do the same for those attributes; data-i18n-params
// holds the JSON parameters for all of them. A <time datetime="..."> is formatted for the
// language. A parameter may itself be {"key": "...", "params": {...}}: it is translated too.
// setLanguage() re-renders everything marked, so nothing has to be drawn twice.

export const LANGUAGES = ["en", "zh"];
const STORAGE_KEY = "miniapp.language";
const HTML_LANG = { en: "en", zh: "zh-CN" };
const DATE_LOCALE = { en: "en-GB", zh: "zh-CN" };
const ATTRIBUTES = { i18nPlaceholder: "placeholder", i18nAriaLabel: "aria-label", i18nTitle: "title" };

const response = await fetch("/static/shared/i18n.json", { credentials: "same-origin" });
const table = await response.json();

let current = initialLanguage();
const listeners = new Set();

function storedLanguage() {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: fall back to the browser's language
  }
}

function initialLanguage() {
  const stored = storedLanguage();
  if (LANGUAGES.includes(stored)) return stored;
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "";
  return preferred.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function language() {
  return current;
}

export function hasKey(key) {
  return Object.hasOwn(table.en, key);
}

function paramText(value) {
  if (value !== null && typeof value === "object" && typeof value.key === "string") {
    return t(value.key, value.params);
  }
  return String(value);
}

export function t(key, params = {}) {
  const text = table[current][key] ?? table.en[key];
  if (text === undefined) {
    console.error(`i18n: missing key ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    params && Object.hasOwn(params, name) ? paramText(params[name]) : whole,
  );
}

export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(DATE_LOCALE[current], {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(date);
}

/** Show an ISO time in a <time> element, formatted now and on every language change. */
export function showDateTime(time, iso) {
  time.setAttribute("datetime", iso);
  time.textContent = formatDateTime(iso);
  return time;
}

function paramsOf(element) {
  const raw = element.dataset.i18nParams;
  return raw ? JSON.parse(raw) : {};
}

function translateElement(element) {
  const params = paramsOf(element);
  if (element.dataset.i18n) element.textContent = t(element.dataset.i18n, params);
  for (const [dataKey, attribute] of Object.entries(ATTRIBUTES)) {
    if (element.dataset[dataKey]) element.setAttribute(attribute, t(element.dataset[dataKey], params));
  }
}

const SELECTOR = "[data-i18n], [data-i18n-placeholder], [data-i18n-aria-label], [data-i18n-title]";

/** Translate every marked element inside root (root included) and format its times. */
export function translateTree(root = document) {
  if (root instanceof Element && root.matches(SELECTOR)) translateElement(root);
  for (const element of root.querySelectorAll(SELECTOR)) translateElement(element);
  for (const time of root.querySelectorAll("time[datetime]")) {
    time.textContent = formatDateTime(time.getAttribute("datetime"));
  }
}

/** Mark element with a key (and parameters) and translate it now and on every language change. */
export function localize(element, key, params) {
  element.dataset.i18n = key;
  setParams(element, params);
  translateElement(element);
  return element;
}

/** Mark an attribute of element (placeholder, aria-label or title) with a key. */
export function localizeAttribute(element, attribute, key, params) {
  const dataKey = Object.keys(ATTRIBUTES).find((name) => ATTRIBUTES[name] === attribute);
  element.dataset[dataKey] = key;
  if (params !== undefined) setParams(element, params);
  translateElement(element);
  return element;
}

function setParams(element, params) {
  if (params && Object.keys(params).length) element.dataset.i18nParams = JSON.stringify(params);
  else delete element.dataset.i18nParams;
}

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  current = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  document.documentElement.lang = HTML_LANG[lang];
  translateTree(document);
  for (const listener of listeners) listener(lang);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
}

document.documentElement.lang = HTML_LANG[current];
