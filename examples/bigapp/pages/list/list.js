const data = require('../../utils/data');
const cart = require('../../utils/cart');

const SORTS = [
  { id: 'default', name: 'Default' },
  { id: 'sales', name: 'Sales' },
  { id: 'price-asc', name: 'Price ↑' },
  { id: 'price-desc', name: 'Price ↓' },
];

function sortProducts(products, sort) {
  const list = products.slice();
  if (sort === 'sales') list.sort((a, b) => b.sales - a.sales);
  if (sort === 'price-asc') list.sort((a, b) => a.price - b.price);
  if (sort === 'price-desc') list.sort((a, b) => b.price - a.price);
  return list;
}

Page({
  data: {
    category: '',
    title: '',
    sorts: SORTS,
    sort: 'default',
    layout: 'row',
    products: [],
  },

  onLoad(query) {
    const category = data.categories.find((c) => c.id === query.category) || data.categories[0];
    const sub = query.sub ? decodeURIComponent(query.sub) : '';
    const title = sub ? `${category.name} · ${sub}` : category.name;
    wx.setNavigationBarTitle({ title });
    this.base = data.productsByCategory(category.id);
    this.setData({ category: category.id, title, products: this.base });
  },

  onSort(event) {
    const sort = event.currentTarget.dataset.id;
    this.setData({ sort, products: sortProducts(this.base, sort) });
  },

  toggleLayout() {
    this.setData({ layout: this.data.layout === 'row' ? 'grid' : 'row' });
  },

  openProduct(event) {
    wx.navigateTo({ url: `/pages/product/product?id=${event.detail.id}` });
  },

  addToCart(event) {
    cart.add(event.detail.id, 1);
    wx.showToast({ title: 'Added to cart', icon: 'success', duration: 1000 });
  },
});
