// JSON with sorted keys, so that what a test reads does not depend on key order.
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    const out = {};
    Object.keys(value).sort().forEach((key) => { out[key] = sorted(value[key]); });
    return out;
  }
  return value;
}

function show(value) {
  if (value === undefined) return 'undefined';
  return JSON.stringify(sorted(value));
}

function pick(obj, keys) {
  const out = {};
  keys.forEach((key) => { out[key] = obj ? obj[key] : undefined; });
  return out;
}

function stackInfo() {
  const pages = getCurrentPages();
  return { length: pages.length, routes: pages.map((page) => page.route).join(' > ') };
}

module.exports = { show, sorted, pick, stackInfo };
