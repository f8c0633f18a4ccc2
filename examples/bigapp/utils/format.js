// Prices are yuan with two decimals; the view shows the integer part larger than the decimals.
function splitPrice(value) {
  const fixed = Number(value || 0).toFixed(2);
  const [int, dec] = fixed.split('.');
  return { int, dec };
}

function money(value) {
  return `¥${Number(value || 0).toFixed(2)}`;
}

function salesText(count) {
  if (count >= 10000) return `${(count / 10000).toFixed(1)}w+ sold`;
  return `${count} sold`;
}

function pad(n) {
  return n < 10 ? `0${n}` : String(n);
}

function dateTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

module.exports = { splitPrice, money, salesText, dateTime };
