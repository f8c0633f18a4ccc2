// A 1,000-row list; "run" changes one row per setData, waits for the view to apply it (the
// setData callback, which runs once the view has applied the change in an animation frame,
// just before that frame is painted), and shows the median time of each, in milliseconds.
// Rounds start at spread-out moments (a fixed sequence of delays, 0-16 ms) rather than right
// after the previous frame, as a user's taps do: back-to-back rounds would each wait exactly
// one frame.
const ROWS = 1000;

Page({
  data: { rows: [], rounds: 60, result: '' },
  onLoad() {
    const rows = [];
    for (let i = 0; i < ROWS; i += 1) rows.push({ id: i, name: `Item ${i}`, price: (i * 1.5).toFixed(2) });
    this.setData({ rows });
  },
  run() {
    const times = [];
    const step = (n) => {
      if (n === this.data.rounds) {
        times.sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)];
        this.setData({ result: `median ${median.toFixed(2)} ms` });
        return;
      }
      const row = 500 + (n % 50);
      const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
      this.setData({ [`rows[${row}].name`]: `Changed ${n}` }, () => {
        const t1 = typeof performance !== 'undefined' ? performance.now() : Date.now();
        times.push(t1 - t0);
        setTimeout(() => step(n + 1), (n * 7) % 17);
      });
    };
    step(0);
  },
});
