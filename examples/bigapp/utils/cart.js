// The cart lives in storage so that it survives restarts; the Cart tab shows its size as a badge.
const { productById } = require('./data');

const KEY = 'cart';
const CART_TAB = 2;
let items = [];
let shownBadge = '';

function save() {
  wx.setStorageSync(KEY, items);
  refreshBadge();
}

function load() {
  const stored = wx.getStorageSync(KEY);
  items = Array.isArray(stored) ? stored : [];
}

function count() {
  return items.reduce((sum, item) => sum + item.quantity, 0);
}

function refreshBadge() {
  const n = count();
  const text = n > 99 ? '99+' : (n > 0 ? String(n) : '');
  if (text === shownBadge) return;
  shownBadge = text;
  if (text) {
    wx.setTabBarBadge({ index: CART_TAB, text, fail() { shownBadge = ''; } });
  } else {
    wx.removeTabBarBadge({ index: CART_TAB, fail() {} });
  }
}

function add(productId, quantity = 1, spec = '') {
  const product = productById(productId);
  if (!product) return false;
  const existing = items.find((item) => item.id === product.id && item.spec === spec);
  if (existing) {
    existing.quantity += quantity;
  } else {
    items.unshift({ id: product.id, spec, quantity, selected: true });
  }
  save();
  return true;
}

function setQuantity(productId, spec, quantity) {
  const item = items.find((it) => it.id === productId && it.spec === spec);
  if (!item) return;
  item.quantity = Math.max(1, quantity);
  save();
}

function toggle(productId, spec) {
  const item = items.find((it) => it.id === productId && it.spec === spec);
  if (!item) return;
  item.selected = !item.selected;
  save();
}

function selectAll(selected) {
  items.forEach((item) => { item.selected = selected; });
  save();
}

function remove(productId, spec) {
  items = items.filter((it) => !(it.id === productId && it.spec === spec));
  save();
}

function clearSelected() {
  items = items.filter((it) => !it.selected);
  save();
}

// Cart lines joined with their product, and the totals of the selected lines.
function view() {
  const lines = items
    .map((item) => ({ ...item, product: productById(item.id) }))
    .filter((line) => line.product);
  const selected = lines.filter((line) => line.selected);
  const total = selected.reduce((sum, line) => sum + line.product.price * line.quantity, 0);
  return {
    lines,
    total: Math.round(total * 100) / 100,
    selectedCount: selected.reduce((sum, line) => sum + line.quantity, 0),
    allSelected: lines.length > 0 && selected.length === lines.length,
  };
}

module.exports = { load, add, setQuantity, toggle, selectAll, remove, clearSelected, count, view, refreshBadge };
