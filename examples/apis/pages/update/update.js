// wx.getUpdateManager: the check made at launch, the new version's download, applyUpdate.
const VERSION = '1';

Page({
  data: { version: VERSION, check: '', ready: '', failed: '' },
  onLoad() {
    const manager = wx.getUpdateManager();
    this.sameManager = manager === wx.getUpdateManager();
    manager.onCheckForUpdate((res) => this.setData({ check: JSON.stringify(res) }));
    manager.onUpdateReady(() => this.setData({ ready: 'ready' }));
    manager.onUpdateFailed(() => this.setData({ failed: 'failed' }));
  },
  apply() {
    wx.getUpdateManager().applyUpdate();
  },
});
