// Prices are kept in cents everywhere; only the view formats them.
const { shortDate } = require('tiny-date');

function formatPrice(cents, currency = 'CNY') {
  const symbol = currency === 'CNY' ? '¥' : `${currency} `;
  return `${symbol}${(cents / 100).toFixed(2)}`;
}

module.exports = { formatPrice, shortDate };
