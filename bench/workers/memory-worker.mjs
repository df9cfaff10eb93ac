// Child process of bench scenario 7 (run with --expose-gc): `spans` spans of the steady-state request
// unit (bench/lib.mjs requestWork: two spans per request) with `users` distinct users through
// TracerProvider → [PrivacySpanProcessor →] BatchSpanProcessor (default settings) → asynchronous no-op
// exporter, yielding to the event loop every YIELD_EVERY requests as the other steady-state scenarios do.
// Prints one JSON line: RSS and heap after a warm-up and after the run (both after full GCs), the peak
// RSS sampled along the way, and the elapsed time.
// Usage: node --expose-gc bench/workers/memory-worker.mjs <privacy|bare> <spans> <users>
import { defaultPolicy } from 'otel-privacy';
import { SPANS_PER_REQUEST, YIELD_EVERY, yieldToLoop } from '../lib.mjs';
import { steadyPipeline } from '../providers.mjs';

const [mode, spansArg, usersArg] = process.argv.slice(2);
if (typeof globalThis.gc !== 'function') throw new Error('memory-worker needs node --expose-gc');
if (mode !== 'privacy' && mode !== 'bare') throw new Error(`memory-worker: mode must be privacy or bare, got ${mode}`);
const requests = Math.ceil(Number(spansArg) / SPANS_PER_REQUEST);
const users = Number(usersArg);
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';

const policy = mode === 'privacy' ? defaultPolicy() : undefined;
const settle = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage();
};

// warm-up with a single user: code paths compiled and SDK structures allocated, but the pseudonym and
// decision caches still (nearly) empty, so their filling up is part of the growth measured
const warm = steadyPipeline(policy, 1);
for (let i = 0; i < 10_000; i++) {
  warm.work(i);
  if ((i + 1) % YIELD_EVERY === 0) await yieldToLoop();
}
await warm.flush();
await warm.provider.shutdown();
// the measured pipeline shares the policy (its caches) with the warm-up one
const pipeline = steadyPipeline(policy, users);
const before = settle();
let peakRss = before.rss;
const t0 = Date.now();
for (let i = 0; i < requests; i++) {
  pipeline.work(i);
  if ((i + 1) % YIELD_EVERY === 0) {
    await yieldToLoop();
    if ((i + 1) % (YIELD_EVERY * 50) === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
}
await pipeline.flush();
const seconds = (Date.now() - t0) / 1000;
const after = settle();
if (pipeline.exporter.exported !== requests * SPANS_PER_REQUEST) {
  throw new Error(
    `memory-worker: exported ${pipeline.exporter.exported} spans of ${requests * SPANS_PER_REQUEST} (dropped)`,
  );
}
await pipeline.provider.shutdown();
console.log(JSON.stringify({ before, after, peakRss, seconds }));
