module.exports.discount = (cents) => Math.round(cents * 0.9);
