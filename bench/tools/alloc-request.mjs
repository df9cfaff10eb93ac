// Allocation profile of the steady-state request unit (not a scenario of `npm run bench`): bytes allocated per request
// by function, sampled by V8's heap profiler **including objects already collected** (so short-lived garbage, what
// drives the scavenges, is counted, unlike `--heap-prof`), after 20 warm-up rounds, over 30 rounds of 2 000 requests.
// Prints the top allocating functions, and the part allocated inside otel-privacy's bundle (a `chunk-*` file of
// `dist/`) with the builtins it calls, by its functions.
//   node bench/tools/alloc-request.mjs [default|bare] [users]
import { Session } from 'node:inspector/promises';
import { defaultPolicy } from 'otel-privacy';
import { roundOf } from '../lib.mjs';
import { steadyPipeline } from '../providers.mjs';

process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const [variant = 'default', users = '100000'] = process.argv.slice(2);
const p = steadyPipeline(variant === 'bare' ? undefined : defaultPolicy(), Number(users));
const round = roundOf(p, 2000);
const ROUNDS = 30;
const perRequest = (bytes) => (bytes / (ROUNDS * 2000)).toFixed(0).padStart(6);
for (let r = 0; r < 20; r++) await round();
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
for (let r = 0; r < ROUNDS; r++) await round();
const { profile } = await session.post('HeapProfiler.stopSampling');
await p.provider.shutdown();

const name = (n) =>
  `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
const bySelf = new Map();
const ours = new Map();
let total = 0;
let oursTotal = 0;
// `owner`: the innermost otel-privacy function on the stack (builtins it calls are charged to it).
const walk = (n, owner) => {
  const mine = n.callFrame.url.includes('chunk-');
  const o = mine ? name(n) : owner;
  total += n.selfSize;
  bySelf.set(name(n), (bySelf.get(name(n)) ?? 0) + n.selfSize);
  if (o !== undefined) {
    oursTotal += n.selfSize;
    ours.set(o, (ours.get(o) ?? 0) + n.selfSize);
  }
  for (const c of n.children) walk(c, o);
};
walk(profile.head, undefined);
console.log(`${variant}, ${users} users: ${perRequest(total)} bytes allocated per request (sampled)`);
for (const [k, v] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${perRequest(v)} B  ${k}`);
if (oursTotal > 0) {
  console.log(`inside otel-privacy (with the builtins it calls): ${perRequest(oursTotal)} bytes per request`);
  for (const [k, v] of [...ours].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${perRequest(v)} B  ${k}`);
}
