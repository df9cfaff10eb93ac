// What reading scenario 9's log body costs, part by part (not a scenario of `npm run bench`): the same fresh body
// (`scenarioLogBody`, ~75 characters with one address, built per call) through each part alone, in one process,
// rotating order per round, CPU time per body, median over rounds minus the cost of building the body. A floor for
// the logs row: what any processor that reads the body, finds the address and looks values up by content pays.
//   node bench/tools/logs-body-parts.mjs [--users 1000] [--rounds 15] [--n 20000]
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';
import { quantile, scenarioLogBody } from '../lib.mjs';

register();
const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '15' },
    n: { type: 'string', default: '20000' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const { classify } = await import('../../engine/detectors/prefilter.ts');
const { findAt } = await import('../../engine/detectors/email.ts');
const { createValueScanner } = await import('../../engine/detectors/value-scanner.ts');
const { defaultPolicy } = await import('../../index.ts');

const users = Number(values.users);
const body = (i) => scenarioLogBody(i, i % users, 'fake-user-' + (i % users));
const sanitizer = defaultPolicy().compiled.sanitizer('logs', 'bench');
const scanner = createValueScanner({
  detectors: 'all',
  action: 'mask',
  mask: '[REDACTED:{type}]',
  findings: Object.create(null),
  cleanCacheSize: 0,
});
const seen = new Set();
let sink = 0;
const PARTS = {
  'build the body (subtracted from the others)': () => 0,
  'flatten (first character read)': (b) => b.charCodeAt(0),
  'one plain loop over every character': (b) => {
    let s = 0;
    for (let i = 0; i < b.length; i++) s += b.charCodeAt(i);
    return s;
  },
  'content lookup (Set.has of the fresh string)': (b) => (seen.has(b) ? 1 : 0),
  'classify (the single pass)': (b) => classify(b),
  'findAt (the address search)': (b) => {
    const out = [];
    findAt(b, out);
    return out.length;
  },
  'value scanner redact (no clean cache)': (b) => scanner.redact(b).length,
  "engine sanitizeKept('log.body')": (b) => sanitizer.sanitizeKept('log.body', b).length,
};
const names = Object.keys(PARTS);
const costs = Object.fromEntries(names.map((k) => [k, []]));
const n = Number(values.n);
let offset = 0;
for (let r = 0; r < Number(values.rounds) + 3; r++) {
  const order = r % 2 === 0 ? names : [...names].reverse();
  for (const k of order) {
    const f = PARTS[k];
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) sink += f(body(offset + i));
    const u = process.cpuUsage(t0);
    offset += n;
    if (r >= 3) costs[k].push(((u.user + u.system) * 1000) / n);
  }
}
const base = quantile(costs[names[0]], 0.5);
console.log(
  `logs body parts: ${users} users, node ${process.version}, ${values.rounds} rounds of ${n} bodies (CPU ns per body)`,
);
for (const k of names)
  console.log(`${k.padEnd(46)} ${(quantile(costs[k], 0.5) - (k === names[0] ? 0 : base)).toFixed(0).padStart(6)} ns`);
if (sink === 0) console.log('');
