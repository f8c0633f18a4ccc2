const { formatPrice } = require('../../../utils/format');
const { discount } = require('../../utils/discount');

Page({
  data: { id: '', price: '' },
  onLoad(query) { this.setData({ id: query.id, price: formatPrice(discount(1200)) }); },
});
