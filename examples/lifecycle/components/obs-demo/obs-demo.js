Component({
  data: {
    a: 1,
    b: 2,
    obj: { x: { y: 1 }, z: 0 },
    list: [10, 20],
    ab: 'not called',
    abCalls: 0,
    objCalls: 0,
    objSeen: '',
    list0Calls: 0,
    list0Seen: '',
  },

  // Data observers fire after a setData that touches the observed paths, not at creation.
  observers: {
    'a, b': function (a, b) {
      this.setData({ ab: `a=${a} b=${b} sum=${a + b}`, abCalls: this.data.abCalls + 1 });
    },
    'obj.**': function (obj) {
      this.setData({ objCalls: this.data.objCalls + 1, objSeen: JSON.stringify(obj) });
    },
    'list[0]': function (first) {
      this.setData({ list0Calls: this.data.list0Calls + 1, list0Seen: String(first) });
    },
  },

  methods: {
    setA() {
      this.setData({ a: this.data.a + 1 });
    },
    setB() {
      this.setData({ b: this.data.b + 10 });
    },
    setBoth() {
      this.setData({ a: 100, b: 200 });
    },
    setDeep() {
      this.setData({ 'obj.x.y': this.data.obj.x.y + 1 });
    },
    setObjField() {
      this.setData({ 'obj.z': this.data.obj.z + 1 });
    },
    setList0() {
      this.setData({ 'list[0]': this.data.list[0] + 1 });
    },
    setList1() {
      this.setData({ 'list[1]': this.data.list[1] + 1 });
    },
  },
});
