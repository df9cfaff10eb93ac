// Interleaved CPU profile of the request unit (not a scenario): the bare pipeline and the privacy pipeline of
// bench/lib.mjs in ONE process, in alternating chunks of 200 requests, each chunk run by its own named function
// (`chunkBare`, `chunkPrivacy`), under V8's sampling profiler (node:inspector, 100 µs). A sample is charged to the
// variant whose chunk is on its stack; a sample outside any chunk (garbage collection, exports, the event loop) to
// the variant whose chunk ran last. Prints, per request and variant: the synchronous request path, split into the
// SDK's own code and otel-privacy's (a sample whose innermost frame with a script is in the bundle's `chunk-*` files:
// builtins are charged to the function that called them, the next processor's `onEnd` to the SDK), the SDK
// functions that differ between the two (the privacy pipeline's effect on the SDK's own code), garbage collection
// and the rest; then otel-privacy's functions by self time (the builtins they call charged to them).
// Sample counts × interval, so the figures are CPU-ish µs under the profiler, comparable only within one run.
//   node bench/tools/profile-split.mjs [default|keyonly] [users] [rounds]
import { Session } from 'node:inspector/promises';
import { defaultPolicy, definePolicy } from 'otel-privacy';
import { KEY_ONLY_KEYS, yieldToLoop } from '../lib.mjs';
import { steadyPipeline } from '../providers.mjs';

process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const [variant = 'default', users = '1000', roundsArg = '150'] = process.argv.slice(2);
const policy =
  variant === 'keyonly'
    ? definePolicy({ version: 1, attributes: { allow: ['*'], drop: KEY_ONLY_KEYS }, resource: { allow: ['*'] } })
    : defaultPolicy();
const CHUNK = 200; // requests between two yields, as bench/lib.mjs's YIELD_EVERY
const CHUNKS = 10; // chunks of one variant before the other's
const INTERVAL_US = 100;
const rounds = Number(roundsArg);
const bare = steadyPipeline(undefined, Number(users));
const privacy = steadyPipeline(policy, Number(users));
let nextBare = 0;
let nextPrivacy = 0;
function chunkBare() {
  for (let i = 0; i < CHUNK; i++) bare.work(nextBare++);
}
function chunkPrivacy() {
  for (let i = 0; i < CHUNK; i++) privacy.work(nextPrivacy++);
}
async function round() {
  for (let k = 0; k < CHUNKS; k++) {
    chunkBare();
    await yieldToLoop();
  }
  await bare.flush();
  for (let k = 0; k < CHUNKS; k++) {
    chunkPrivacy();
    await yieldToLoop();
  }
  await privacy.flush();
}
for (let r = 0; r < 10; r++) await round(); // warm-up
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
await session.post('Profiler.start');
for (let r = 0; r < rounds; r++) await round();
const { profile } = await session.post('Profiler.stop');
await Promise.all([bare.provider.shutdown(), privacy.provider.shutdown()]);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) =>
  `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
const ours = (n) => /\/chunk-[^/]*\.js$/.test(n.callFrame.url);
const ROOTS = new Map([
  ['chunkBare', 'bare'],
  ['chunkPrivacy', 'privacy'],
]);
// per sample node: its variant root (or null), whether an otel-privacy frame is on its stack, the innermost one
const info = new Map();
const infoOf = (id) => {
  let v = info.get(id);
  if (v !== undefined) return v;
  let root = null;
  let owner = null;
  const stack = [];
  let decided = false; // the innermost frame with a script (builtins have none) decides whose code runs
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur);
    if (!decided && n.callFrame.url !== '') {
      decided = true;
      if (ours(n)) owner = name(n);
    }
    stack.push(name(n));
    if (ROOTS.has(n.callFrame.functionName)) {
      root = ROOTS.get(n.callFrame.functionName);
      break;
    }
  }
  v = { root, owner, self: name(byId.get(id)), stack, fn: byId.get(id).callFrame.functionName };
  info.set(id, v);
  return v;
};
const tally = { bare: new Map(), privacy: new Map() };
const add = (variantName, key, n = 1) => tally[variantName].set(key, (tally[variantName].get(key) ?? 0) + n);
let phase = null;
for (const id of profile.samples) {
  const s = infoOf(id);
  if (s.root !== null) {
    phase = s.root;
    add(phase, 'request path');
    if (s.owner !== null) {
      add(phase, 'request path: otel-privacy');
      add(phase, 'own ' + s.owner);
    } else {
      add(phase, 'request path: SDK and driver');
      // SDK functions by inclusive time (each once per sample)
      for (const f of new Set(s.stack))
        if (!f.includes('profile-split.mjs') && !/ chunk-/.test(f)) add(phase, 'sdk ' + f);
    }
  } else if (phase !== null) {
    add(phase, s.fn === '(garbage collector)' ? 'outside: garbage collection' : 'outside: other (export, loop, idle)');
  }
}
const perRequest = (n) => ((n * INTERVAL_US) / (rounds * CHUNKS * CHUNK)).toFixed(2);
const get = (v, k) => tally[v].get(k) ?? 0;
console.log(
  `${variant} policy, ${users} users, ${rounds} rounds × ${CHUNKS * CHUNK} requests per variant (µs per request)`,
);
for (const k of [
  'request path',
  'request path: SDK and driver',
  'request path: otel-privacy',
  'outside: garbage collection',
  'outside: other (export, loop, idle)',
])
  console.log(
    `  ${k.padEnd(38)} bare ${perRequest(get('bare', k)).padStart(6)}  privacy ${perRequest(get('privacy', k)).padStart(6)}`,
  );
console.log('SDK functions (inclusive, outside otel-privacy) that differ most between the two:');
const sdk = [...new Set([...tally.bare.keys(), ...tally.privacy.keys()])].filter((k) => k.startsWith('sdk '));
sdk.sort((a, b) => Math.abs(get('privacy', b) - get('bare', b)) - Math.abs(get('privacy', a) - get('bare', a)));
for (const k of sdk.slice(0, 8))
  console.log(
    `  ${k.slice(4).padEnd(48)} bare ${perRequest(get('bare', k)).padStart(6)}  privacy ${perRequest(get('privacy', k)).padStart(6)}`,
  );
console.log('otel-privacy by function (self, with the builtins it calls):');
const own = [...tally.privacy].filter(([k]) => k.startsWith('own ')).sort((a, b) => b[1] - a[1]);
for (const [k, n] of own.slice(0, 20)) console.log(`  ${perRequest(n).padStart(6)}  ${k.slice(4)}`);
