// A Behavior mixed into components/beh-demo: its properties, data, methods and lifetimes merge
// into the component; the component's own fields win on a name clash.
module.exports = Behavior({
  properties: {
    label: { type: String, value: 'behavior-label' },
  },
  data: {
    fromBehavior: 'behavior-data',
    shared: 'behavior',
  },
  lifetimes: {
    attached() {
      getApp().log('greeter-behavior.attached');
    },
  },
  methods: {
    greet(name) {
      return `hello ${name} from behavior`;
    },
    who() {
      return 'behavior';
    },
  },
});
