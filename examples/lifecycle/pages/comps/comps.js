const app = getApp();
const { fmt } = require('../../utils/fmt');

let nextLabel = 'C'.charCodeAt(0);

Page({
  data: {
    log: [],
    num: 1,
    str: 'hello',
    anyValue: { deep: [1, 'two'] },
    lifeItems: ['A', 'B'],
    selectResult: '',
  },

  onLoad() {
    app.log('comps.onLoad');
    this.setData({ log: app.globalData.log.slice() });
  },

  onShow() {
    app.log('comps.onShow');
  },

  onHide() {
    app.log('comps.onHide');
  },

  onTabItemTap(item) {
    app.log(`comps.onTabItemTap index=${item.index} pagePath=${item.pagePath} text=${item.text}`);
  },

  // Properties
  incNum() {
    this.setData({ num: this.data.num + 1 });
  },
  changeStr() {
    this.setData({ str: `${this.data.str}!` });
  },

  // Lifetimes: add, remove and reorder keyed components.
  addItem() {
    const label = String.fromCharCode(nextLabel);
    nextLabel += 1;
    this.setData({ lifeItems: this.data.lifeItems.concat(label) });
  },
  removeFirst() {
    this.setData({ lifeItems: this.data.lifeItems.slice(1) });
  },
  reverseItems() {
    this.setData({ lifeItems: this.data.lifeItems.slice().reverse() });
  },

  // selectComponent: call a method and read data.
  callCounter() {
    const counter = this.selectComponent('#counter-comp');
    if (!counter) {
      this.setData({ selectResult: 'not found' });
      return;
    }
    const returned = counter.increment(1);
    this.setData({ selectResult: `returned=${returned} data.count=${counter.data.count} is=${counter.is}` });
  },
  selectAll() {
    const all = this.selectAllComponents('.typed');
    this.setData({ selectResult: `selectAllComponents('.typed') length=${all.length} uids=${fmt(all.map((c) => c.data.uid))}` });
  },

  clearLog() {
    app.clearLog();
  },
});
