// JSON with sorted keys, so that the text a test reads does not depend on key order.
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out = {};
    Object.keys(value).sort().forEach((key) => { out[key] = sortKeys(value[key]); });
    return out;
  }
  return value;
}

function fmt(value) {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(sortKeys(value));
  } catch (err) {
    return String(value);
  }
}

// Error messages arrive with stacks: keep them on one line and short.
function oneLine(text) {
  return String(text).replace(/\s*\n\s*/g, ' | ').slice(0, 200);
}

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

module.exports = { fmt, oneLine, sortKeys, typeName };
