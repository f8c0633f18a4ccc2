const { fmt, typeName } = require('../../utils/fmt');

function describe(value) {
  return `${fmt(value)} (${typeName(value)})`;
}

Component({
  properties: {
    // Prefix of the element ids, so that several instances can live on one page.
    uid: { type: String, value: 'props' },
    str: { type: String, value: 'default-str' },
    num: {
      type: Number,
      value: 7,
      observer(newVal, oldVal) {
        getApp().log(`typed-props(${this.data.uid}).num observer ${oldVal}->${newVal}`);
        this.setData({ numObserver: `${oldVal}->${newVal}`, numObserverCalls: this.data.numObserverCalls + 1 });
      },
    },
    flag: { type: Boolean, value: false },
    obj: { type: Object, value: { k: 'default' } },
    arr: { type: Array, value: [1, 2] },
    any: { type: null, value: 'any-default' },
    short: String,
  },

  data: {
    shown: {},
    numObserver: '',
    numObserverCalls: 0,
  },

  observers: {
    'str, num, flag, obj, arr, any, short': function () {
      this.describeAll();
    },
  },

  lifetimes: {
    attached() {
      this.describeAll();
    },
  },

  methods: {
    describeAll() {
      const d = this.data;
      this.setData({
        shown: {
          str: describe(d.str),
          num: describe(d.num),
          flag: describe(d.flag),
          obj: describe(d.obj),
          arr: describe(d.arr),
          any: describe(d.any),
          short: describe(d.short),
        },
      });
    },
  },
});
