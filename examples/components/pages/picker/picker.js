const FOOD = {
  Fruit: ['Apple', 'Banana', 'Cherry'],
  Vegetable: ['Carrot', 'Pea', 'Leek', 'Onion'],
  Grain: ['Rice', 'Wheat'],
};
const KINDS = Object.keys(FOOD);

Page({
  data: {
    cities: [
      { id: 'bj', name: 'Beijing' },
      { id: 'sh', name: 'Shanghai' },
      { id: 'gz', name: 'Guangzhou' },
      { id: 'sz', name: 'Shenzhen' },
      { id: 'cd', name: 'Chengdu' },
    ],
    cityIndex: 1,
    selectorResult: '',
    selectorCancel: '',
    multiRange: [KINDS, FOOD.Fruit],
    multiIndex: [0, 0],
    multiColumn: '',
    multiResult: '',
    time: '12:00',
    timeResult: '',
    date: '2024-02-10',
    dateResult: '',
    month: '2024-05',
    monthResult: '',
    region: ['广东省', '广州市', '海珠区'],
    regionResult: '',
    regionCustomResult: '',
    disabledResult: '',
    cancels: 0,
  },

  onSelector(e) {
    this.setData({ cityIndex: Number(e.detail.value), selectorResult: JSON.stringify(e.detail) });
  },
  onSelectorCancel(e) {
    const cancels = this.data.cancels + 1;
    this.setData({ cancels, selectorCancel: `${cancels} ${JSON.stringify(e.detail)}` });
  },
  onMultiColumn(e) {
    const { column, value } = e.detail;
    const data = { multiColumn: JSON.stringify(e.detail) };
    if (column === 0) {
      // As WeChat's demo does: the second column follows the first, back to its first row.
      data.multiRange = [KINDS, FOOD[KINDS[value]]];
      data.multiIndex = [value, 0];
    }
    this.setData(data);
  },
  onMulti(e) {
    this.setData({ multiIndex: e.detail.value, multiResult: JSON.stringify(e.detail) });
  },
  onTime(e) {
    this.setData({ time: e.detail.value, timeResult: JSON.stringify(e.detail) });
  },
  onDate(e) {
    this.setData({ date: e.detail.value, dateResult: JSON.stringify(e.detail) });
  },
  onMonth(e) {
    this.setData({ month: e.detail.value, monthResult: JSON.stringify(e.detail) });
  },
  onRegion(e) {
    this.setData({ region: e.detail.value, regionResult: JSON.stringify(e.detail) });
  },
  onRegionCustom(e) {
    this.setData({ regionCustomResult: JSON.stringify(e.detail) });
  },
  onDisabled(e) {
    this.setData({ disabledResult: this.data.disabledResult + e.type + ' ' });
  },
});
