// Saved delivery addresses, kept in storage.
const KEY = 'addresses';

const DEFAULTS = [
  { id: 1, name: 'Li Lei', phone: '138****0001', region: 'Shanghai, Pudong', detail: '88 Century Avenue, Room 1203', isDefault: true },
  { id: 2, name: 'Han Meimei', phone: '139****0002', region: 'Beijing, Haidian', detail: '1 Zhongguancun Street', isDefault: false },
];

function list() {
  const stored = wx.getStorageSync(KEY);
  return Array.isArray(stored) && stored.length ? stored : DEFAULTS.slice();
}

function save(addresses) {
  wx.setStorageSync(KEY, addresses);
}

function add(address) {
  const addresses = list();
  const id = addresses.reduce((max, a) => Math.max(max, a.id), 0) + 1;
  const entry = { ...address, id, isDefault: addresses.length === 0 };
  save(addresses.concat(entry));
  return entry;
}

function setDefault(id) {
  save(list().map((a) => ({ ...a, isDefault: a.id === id })));
}

function remove(id) {
  save(list().filter((a) => a.id !== id));
}

function preferred() {
  const addresses = list();
  return addresses.find((a) => a.isDefault) || addresses[0] || null;
}

module.exports = { list, add, setDefault, remove, preferred };
