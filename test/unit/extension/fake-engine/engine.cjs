// A stand-in for dist/engine.js that speaks the `run … --json-events` contract:
// events on stdout (written in pieces, to exercise line buffering), logs on stderr,
// and on SIGTERM a run-end 'stopped' then exit 143. `--ignore-term` ignores SIGTERM.
const runDir = process.argv[3] ?? '/tmp/fake-run';
let seq = 0;
const event = (payload) =>
  JSON.stringify({ seq: seq++, time: new Date().toISOString(), ...payload });
const line = event({
  type: 'run-start',
  name: 'fake',
  runDir,
  configFile: 'x.bomf.yaml',
  pid: process.pid,
  resumed: false,
});
process.stdout.write(line.slice(0, 15));
setTimeout(() => {
  process.stdout.write(`${line.slice(15)}\nnot json\n`);
  process.stderr.write('loading data\n');
  process.stdout.write(`${event({ type: 'stage-start', stage: 'search', total: 3 })}\n`);
}, 20);
const mode = process.argv[2];
if (mode === 'finish') {
  setTimeout(() => {
    process.stdout.write(`${event({ type: 'run-end', status: 'done', seconds: 0.1 })}\n`);
    process.exit(0);
  }, 60);
} else {
  process.on('SIGTERM', () => {
    if (process.argv.includes('--ignore-term')) return;
    process.stdout.write(`${event({ type: 'run-end', status: 'stopped', seconds: 0.1 })}\n`, () =>
      process.exit(143),
    );
  });
  setInterval(() => {}, 1000);
}
