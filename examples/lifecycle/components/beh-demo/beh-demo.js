const greeter = require('../../behaviors/greeter');

Component({
  behaviors: [greeter],

  data: {
    own: 'component-data',
    shared: 'component',
    result: '',
    hasBehavior: false,
  },

  lifetimes: {
    attached() {
      getApp().log('beh-demo.attached');
      this.setData({ hasBehavior: this.hasBehavior(greeter) });
    },
  },

  methods: {
    who() {
      return 'component';
    },
    callGreet() {
      this.setData({ result: `${this.greet('tester')} / who=${this.who()}` });
    },
  },
});
