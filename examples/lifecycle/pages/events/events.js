const app = getApp();
const { fmt } = require('../../utils/fmt');

function describe(event) {
  return `detail=${fmt(event.detail)} currentTarget=${event.currentTarget.id}`;
}

Page({
  data: {
    log: [],
    dsInner: '',
    dsOuter: '',
    capA: '',
    capB: '',
    capC: '',
    mut: '',
  },

  onLoad() {
    app.log('events.onLoad');
    this.setData({ log: app.globalData.log.slice() });
    this.sequences = {};
  },

  onUnload() {
    this.unloaded = true;
  },

  // triggerEvent
  onDirectPing(event) {
    app.log(`page.onDirectPing ${describe(event)}`);
  },
  onOuterPing(event) {
    app.log(`page.onOuterPing ${describe(event)}`);
  },
  onWrapperPing(event) {
    app.log(`page.onWrapperPing ${describe(event)}`);
  },
  onCaughtPing(event) {
    app.log(`page.onCaughtPing ${describe(event)}`);
  },
  onCatchOuterPing(event) {
    app.log(`page.onCatchOuterPing ${describe(event)}`);
  },

  // dataset and mark
  onDatasetTap(event) {
    this.setData({
      dsInner: fmt({
        currentTarget: event.currentTarget.id,
        dataset: event.currentTarget.dataset,
        mark: event.mark,
        target: event.target.id,
        type: event.type,
      }),
    });
  },
  onDatasetOuterTap(event) {
    this.setData({
      dsOuter: fmt({
        currentTarget: event.currentTarget.id,
        currentDataset: event.currentTarget.dataset,
        mark: event.mark,
        target: event.target.id,
        targetDataset: event.target.dataset,
      }),
    });
  },

  // capture-bind, capture-catch, catch and mut-bind: every handler of one tap appends a step;
  // handlers of the same event share its timeStamp, a new tap starts a new sequence.
  step(key, label, event) {
    const seq = this.sequences[key];
    if (!seq || seq.timeStamp !== event.timeStamp) {
      this.sequences[key] = { timeStamp: event.timeStamp, steps: [label] };
    } else {
      seq.steps.push(label);
    }
    this.setData({ [key]: this.sequences[key].steps.join(' > ') });
  },
  capAOuterCapture(e) { this.step('capA', 'capture:outer', e); },
  capAMiddleCapture(e) { this.step('capA', 'capture:middle', e); },
  capAInner(e) { this.step('capA', 'bubble:inner', e); },
  capAMiddleBubble(e) { this.step('capA', 'bubble:middle', e); },
  capAOuterBubble(e) { this.step('capA', 'bubble:outer', e); },

  capBOuterCapture(e) { this.step('capB', 'capture:outer', e); },
  capBMiddleCaptureCatch(e) { this.step('capB', 'capture-catch:middle', e); },
  capBInner(e) { this.step('capB', 'bubble:inner', e); },
  capBOuterBubble(e) { this.step('capB', 'bubble:outer', e); },

  capCInner(e) { this.step('capC', 'bubble:inner', e); },
  capCMiddleCatch(e) { this.step('capC', 'catch:middle', e); },
  capCOuter(e) { this.step('capC', 'bubble:outer', e); },

  mutTop(e) { this.step('mut', 'bubble:top', e); },
  mutOuter(e) { this.step('mut', 'mut:outer', e); },
  mutMiddle(e) { this.step('mut', 'mut:middle', e); },
  mutInner(e) { this.step('mut', 'bubble:inner', e); },

  clearLog() {
    app.clearLog();
  },
});
