// Compile every WXML file named on stdin (JSON: {"files": {path: text}}) with glass-easel's
// template compiler, `rounds` times, and print the median time in ms as JSON. Node start-up and
// module loading are outside the timed part, as our side's interpreter start-up is.
const ge = require('glass-easel-template-compiler');

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const rounds = input.rounds || 5;
const times = [];
let errors = 0;
let outputBytes = 0;
for (let round = 0; round < rounds; round++) {
  const started = process.hrtime.bigint();
  const group = new ge.TmplGroup();
  for (const [path, text] of Object.entries(input.files)) {
    const diagnostics = group.addTmpl(path.replace(/\.wxml$/, ''), text);
    if (round === 0) errors += diagnostics.filter((d) => d.level === 1 || d.level === 'error').length;
  }
  const out = group.getTmplGenObjectGroups();
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
  outputBytes = out.length;
  group.free();
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ median_ms: times[Math.floor(times.length / 2)], errors, output_bytes: outputBytes }));
