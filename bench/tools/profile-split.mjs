// Interleaved CPU profile of the request unit (not a scenario): the bare pipeline and the privacy pipeline of
// bench/lib.mjs in ONE process, in alternating chunks of 200 requests, each chunk run by its own named function
// (`chunkBare`, `chunkPrivacy`), under V8's sampling profiler (node:inspector, 100 µs). A sample is charged to the
// variant whose chunk is on its stack; a sample outside any chunk (garbage collection, exports, the event loop) to
// the variant whose chunk ran last. Prints, per request and variant: the synchronous request path, split into the
// SDK's own code and otel-privacy's (a sample whose innermost frame with a script is in the bundle's `chunk-*` files:
// builtins and Node's own `node:` modules are charged to the function that called them, the next processor's `onEnd`
// to the SDK), the total and the ratio, the SDK functions that differ between the two (the privacy pipeline's effect
// on the SDK's own code), garbage collection and the rest; then otel-privacy's functions by self time (the builtins
// they call charged to them).
// Then otel-privacy's self time by group of the hot path and by source file (bench/tools/profile-groups.mjs: the
// bundle's source map names the TypeScript file; groups: scanner/detectors, URL/SQL sanitizers, HMAC/pseudonyms,
// caches/lookups, snapshot, decisions, processor hooks).
// Sample counts × interval, so the figures are CPU-ish µs under the profiler, comparable only within one run.
//   node bench/tools/profile-split.mjs [default|keyonly|encrypt|logs] [users] [rounds]
// `encrypt`: the default policy plus one `encrypt` rule on user.id (scenario 2's field-encryption policy). `logs`:
// scenario 9's unit instead of the request (one ERROR record, e-mail in the body, through LoggerProvider →
// [PrivacyLogRecordProcessor (default policy) →] BatchLogRecordProcessor (default settings)); figures per record.
import { Session } from 'node:inspector/promises';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { defaultPolicy, PrivacyLogRecordProcessor } from 'otel-privacy';
import { asyncNoopExporter, logRecordWork, yieldToLoop } from '../lib.mjs';
import { benchPolicy, steadyPipeline } from '../providers.mjs';
import { GROUP_NAMES, sourceGrouper } from './profile-groups.mjs';

process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const [variant = 'default', users = '1000', roundsArg = '150'] = process.argv.slice(2);
const policy = variant === 'logs' ? defaultPolicy() : benchPolicy(variant);
/** Scenario 9's logs pipeline (bench/scenarios/09-logs.mjs) in the shape of providers.mjs's steadyPipeline. */
function logsPipeline(logPolicy, n) {
  const exporter = asyncNoopExporter();
  const batch = new BatchLogRecordProcessor({ exporter });
  const provider = new LoggerProvider({
    processors: [logPolicy ? new PrivacyLogRecordProcessor({ policy: logPolicy, next: batch }) : batch],
  });
  return { provider, work: logRecordWork(provider.getLogger('bench'), n), flush: () => provider.forceFlush() };
}
const pipeline = variant === 'logs' ? logsPipeline : steadyPipeline;
const unit = variant === 'logs' ? 'record' : 'request';
const CHUNK = 200; // requests between two yields, as bench/lib.mjs's YIELD_EVERY
const CHUNKS = 10; // chunks of one variant before the other's
const INTERVAL_US = 100;
const rounds = Number(roundsArg);
const bare = pipeline(undefined, Number(users));
const privacy = pipeline(policy, Number(users));
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
  let ownerFrame = null;
  const stack = [];
  // the innermost frame with a script of the application decides whose code runs: builtins (no script) and Node's
  // own JavaScript (`node:` scripts, e.g. node:crypto's Cipheriv or Buffer methods) are charged to their caller
  let decided = false;
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur);
    if (!decided && n.callFrame.url !== '' && !n.callFrame.url.startsWith('node:')) {
      decided = true;
      if (ours(n)) {
        owner = name(n);
        ownerFrame = n.callFrame;
      }
    }
    stack.push(name(n));
    if (ROOTS.has(n.callFrame.functionName)) {
      root = ROOTS.get(n.callFrame.functionName);
      break;
    }
  }
  v = { root, owner, ownerFrame, self: name(byId.get(id)), stack, fn: byId.get(id).callFrame.functionName };
  info.set(id, v);
  return v;
};
const groupOf = sourceGrouper();
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
      const { file, group } = groupOf(s.ownerFrame);
      add(phase, 'group ' + group);
      add(phase, 'file ' + file);
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
  `${variant} policy, ${users} users, ${rounds} rounds × ${CHUNKS * CHUNK} ${unit}s per variant (µs per ${unit})`,
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
const total = (v) =>
  ['request path', 'outside: garbage collection', 'outside: other (export, loop, idle)'].reduce(
    (t, k) => t + get(v, k),
    0,
  );
console.log(
  `  ${'total (CPU under the profiler)'.padEnd(38)} bare ${perRequest(total('bare')).padStart(6)}  privacy ${perRequest(total('privacy')).padStart(6)}` +
    `  → bare/privacy ${(total('bare') / total('privacy')).toFixed(2)}, added ${perRequest(total('privacy') - total('bare'))} µs per ${unit}`,
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
console.log('otel-privacy by group of the hot path (self, with the builtins it calls; source map of the bundle):');
for (const g of GROUP_NAMES) {
  const n = get('privacy', 'group ' + g);
  if (n > 0) console.log(`  ${perRequest(n).padStart(6)}  ${g}`);
}
console.log('otel-privacy by source file (self):');
const files = [...tally.privacy].filter(([k]) => k.startsWith('file ')).sort((a, b) => b[1] - a[1]);
for (const [k, n] of files.slice(0, 15)) console.log(`  ${perRequest(n).padStart(6)}  ${k.slice(5)}`);
