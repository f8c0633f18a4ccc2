// The tab bar APIs, on a tab page; each shows its result (or errMsg).
function show(page, key) {
  return {
    success: (res) => page.setData({ [key]: JSON.stringify(res) }),
    fail: (err) => page.setData({ [key]: JSON.stringify(err) }),
  };
}

Page({
  data: { result: '' },
  badge() {
    wx.setTabBarBadge({ index: 0, text: '3', ...show(this, 'result') });
  },
  longBadge() {
    wx.setTabBarBadge({ index: 0, text: '12345', ...show(this, 'result') });
  },
  removeBadge() {
    wx.removeTabBarBadge({ index: 0, ...show(this, 'result') });
  },
  dot() {
    wx.showTabBarRedDot({ index: 1, ...show(this, 'result') });
  },
  hideDot() {
    wx.hideTabBarRedDot({ index: 1, ...show(this, 'result') });
  },
  item() {
    wx.setTabBarItem({ index: 0, text: 'Home', ...show(this, 'result') });
  },
  style() {
    wx.setTabBarStyle({ color: '#ff0000', selectedColor: '#0000ff', backgroundColor: '#ffff00', borderStyle: 'white', ...show(this, 'result') });
  },
  hide() {
    wx.hideTabBar({ ...show(this, 'result') });
  },
  showBar() {
    wx.showTabBar({ ...show(this, 'result') });
  },
  badIndex() {
    wx.setTabBarBadge({ index: 9, text: '1', ...show(this, 'result') });
  },
  noText() {
    wx.setTabBarBadge({ index: 0, ...show(this, 'result') });
  },
});
