// Child process of bench scenario 7 (run with --expose-gc): pushes `spans` spans with `users` distinct
// user ids through TracerProvider → [PrivacySpanProcessor →] BatchSpanProcessor → no-op exporter and
// prints one JSON line: RSS and heap after a warm-up and after the run (both after full GCs), the peak
// RSS sampled along the way, and the elapsed time.
// Usage: node --expose-gc bench/workers/memory-worker.mjs <privacy|bare> <spans> <users>
import { defaultPolicy } from 'otel-privacy';
import { spanWork } from '../lib.mjs';
import { benchProvider } from '../providers.mjs';

const [mode, spansArg, usersArg] = process.argv.slice(2);
if (typeof globalThis.gc !== 'function') throw new Error('memory-worker needs node --expose-gc');
if (mode !== 'privacy' && mode !== 'bare') throw new Error(`memory-worker: mode must be privacy or bare, got ${mode}`);
const spans = Number(spansArg);
const users = Number(usersArg);
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';

const provider = benchProvider(mode === 'privacy' ? defaultPolicy() : undefined);
const work = spanWork(provider.getTracer('bench'), users);
const CHUNK = 2_048; // spans between flushes: a few batches, as with a batch processor exporting on its own
const settle = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage();
};

// warm-up with a single user id: code paths compiled and SDK structures allocated, but the pseudonym
// and decision caches still (nearly) empty, so their filling up is part of the growth measured
const warm = spanWork(provider.getTracer('bench'), 1);
for (let i = 0; i < 20_000; i++) warm(i);
await provider.forceFlush();
const before = settle();
let peakRss = before.rss;
const t0 = Date.now();
for (let done = 0; done < spans; done += CHUNK) {
  for (let i = done; i < Math.min(done + CHUNK, spans); i++) work(i);
  await provider.forceFlush(); // a real service yields to the batch processor's timer the same way
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const seconds = (Date.now() - t0) / 1000;
const after = settle();
await provider.shutdown();
console.log(JSON.stringify({ before, after, peakRss, seconds }));
