// Same-process A/B of the measurement check (`PrivacyMeterProvider`): one counter.add and one histogram.record per
// unit of work, with attributes, through a MeterProvider with privacyViews (A) and the same provider wrapped in
// PrivacyMeterProvider (B); A2 is a second plain pipeline (the A/A control). Rounds interleave in rotating order;
// per-round ratios, median and IQR. Values are ordinary (latencies, small counts): the check's common path.
//
//   node bench/tools/meter-guard-ab.mjs [--build dist] [--rounds 15] [--n 20000]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

const { values } = parseArgs({
  options: {
    build: { type: 'string', default: 'dist' },
    rounds: { type: 'string', default: '15' },
    n: { type: 'string', default: '20000' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const lib = await import(pathToFileURL(resolve(values.build, 'index.js')).href);
const policy = lib.defaultPolicy();
const n = Number(values.n);

function pipeline(guarded) {
  const sdk = new MeterProvider({ views: lib.privacyViews(policy) });
  const provider = guarded ? new lib.PrivacyMeterProvider(sdk, policy) : sdk;
  const meter = provider.getMeter('bench');
  const counter = meter.createCounter('bench.requests');
  const latency = meter.createHistogram('bench.duration', { unit: 'ms' });
  return () => {
    for (let i = 0; i < n; i++) {
      const attrs = { 'http.route': '/users/:id', 'http.request.method': 'GET', 'http.response.status_code': 200 };
      counter.add(1, attrs);
      latency.record((i % 997) * 0.37, attrs);
    }
  };
}
const runs = { A: pipeline(false), A2: pipeline(false), B: pipeline(true) };
const time = (f) => {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / n; // ns per unit
};
for (let w = 0; w < 3; w++) for (const f of Object.values(runs)) f();
const costs = { A: [], A2: [], B: [] };
const order = ['A', 'A2', 'B'];
for (let r = 0; r < Number(values.rounds); r++) {
  const rot = order.slice(r % 3).concat(order.slice(0, r % 3));
  for (const k of rot) costs[k].push(time(runs[k]));
}
const q = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
};
const ratio = (x, y) => costs[x].map((v, i) => costs[y][i] / v);
const line = (label, a) =>
  `${label}: median ${q(a, 0.5).toFixed(3)} IQR [${q(a, 0.25).toFixed(3)}, ${q(a, 0.75).toFixed(3)}]`;
console.log(
  `meter-guard-ab: ${n} units (counter.add + histogram.record) per round, ${values.rounds} rounds, node ${process.version}`,
);
console.log(line('A ns/unit', costs.A));
console.log(line('B ns/unit', costs.B));
console.log(
  line(
    'A2/A throughput (control)',
    ratio('A', 'A2').map((x) => 1 / x),
  ),
);
console.log(
  line(
    'B/A throughput (>1 = B faster)',
    ratio('A', 'B').map((x) => 1 / x),
  ),
);
