// Same-process A/B of the text paths a policy runs on fresh values (not a scenario of `npm run bench`): `scanText`
// (the value scanner as the engine calls it, home-directory user names included) and `redactSpanName` (span-name
// sanitizer, scanner, identifier tokens) of build A and build B with the default policy, interleaved (A, B, A2 in a
// rotating order; A2 is the A/A control), CPU time, median of per-round ratios with IQR. Values are built anew every
// round, so no cache answers them.
//
//   node bench/tools/text-path-ab.mjs --a node_modules/.ab/base --b dist [--rounds 21] [--n 2000]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    a: { type: 'string', default: 'node_modules/.ab/base' },
    b: { type: 'string', default: 'dist' },
    rounds: { type: 'string', default: '21' },
    n: { type: 'string', default: '2000' },
  },
});
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'fake-hmac-key-for-text-path-ab-0123456789abcdef';
const load = async (dir) => (await import(pathToFileURL(resolve(dir, 'index.js')).href)).defaultPolicy();
const builds = { A: await load(values.a), B: await load(values.b), A2: await load(values.a) };

const words = ['request', 'handled', 'retrying', 'upstream', 'timeout', 'cache', 'miss', 'for', 'tenant', 'shard'];
const text = (i, n) => Array.from({ length: n }, (_, k) => words[(i + k * 3) % words.length]).join(' ');
const kinds = {
  'free text': (i, r) => `${text(i + r, 14)} after ${i % 97} ms, attempt ${r % 5}`,
  'route and query': (i, r) => `/api/v2/tenants/t${i % 997}/orders/${(i * 31 + r) % 100000}?page=${r % 9}`,
  'file path (no home)': (i, r) => `/srv/shop/releases/${r}/lib/module-${i}.js`,
  'stack trace, home path': (i, r) => `Error: boom\n    at load (/home/u${i}x${r}/shop/app.js:10:5)`,
  'span name, route': (i, r) => `GET /api/v2/tenants/t${i % 997}/orders/${(i * 31 + r) % 100000}`,
  'span name, messaging': (i, r) => `send shop.orders.r${r}.p${i}`,
};
const rounds = Number(values.rounds);
const n = Number(values.n);
const ratios = {};
for (const kind of Object.keys(kinds)) ratios[kind] = { B: [], A2: [], usA: [], usB: [] };
const orders = [
  ['A', 'B', 'A2'],
  ['B', 'A2', 'A'],
  ['A2', 'A', 'B'],
];
for (let r = 0; r < rounds; r++) {
  for (const [kind, make] of Object.entries(kinds)) {
    const span = kind.startsWith('span name');
    const times = {};
    for (const name of orders[r % 3]) {
      const inputs = Array.from({ length: n }, (_, i) => make(i, r * 3 + orders[r % 3].indexOf(name)));
      const policy = builds[name];
      const t0 = process.cpuUsage();
      if (span) for (const v of inputs) policy.redactSpanName(v);
      else for (const v of inputs) policy.scanText(v);
      const t = process.cpuUsage(t0);
      times[name] = t.user + t.system;
    }
    if (r > 0) {
      ratios[kind].B.push(times.B / times.A);
      ratios[kind].A2.push(times.A2 / times.A);
      ratios[kind].usA.push(times.A / n);
      ratios[kind].usB.push(times.B / n);
    }
  }
}
const q = (xs, p) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
};
const f = (x) => x.toFixed(2);
console.log(`cost ratio B/A (CPU time, >1 = B slower), median (IQR), ${rounds - 1} rounds of ${n} fresh values`);
for (const [kind, { B, A2, usA, usB }] of Object.entries(ratios))
  console.log(
    `${kind.padEnd(24)} B/A ${f(q(B, 0.5))} (${f(q(B, 0.25))}–${f(q(B, 0.75))})   A2/A ${f(q(A2, 0.5))} (${f(q(A2, 0.25))}–${f(q(A2, 0.75))})   µs/value A ${f(q(usA, 0.5))} B ${f(q(usB, 0.5))}`,
  );
