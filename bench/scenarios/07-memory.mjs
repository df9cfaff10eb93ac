// 7. Memory: 1 000 000 spans (500 000 steady-state requests, bench/lib.mjs) with 100 000 distinct users
// through PrivacySpanProcessor → BatchSpanProcessor (default settings) → asynchronous no-op exporter,
// yielding to the event loop as a server does, in a child process run with --expose-gc (full GCs before both
// readings), against the same pipeline without the privacy processor. Target: ≤ 64 MB growth (the
// pseudonym and decision caches are bounded).
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { rate } from '../lib.mjs';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), '..', 'workers', 'memory-worker.mjs');
const MiB = 2 ** 20;

async function runWorker(mode, spans, users) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', WORKER, mode, String(spans), String(users)],
    {
      env: process.env,
      maxBuffer: 1 << 20,
    },
  );
  const { before, after, peakRss, seconds } = JSON.parse(stdout.trim().split('\n').pop());
  return {
    rss: (after.rss - before.rss) / MiB,
    heap: (after.heapUsed - before.heapUsed) / MiB,
    peak: (peakRss - before.rss) / MiB,
    spansPerSec: spans / seconds,
  };
}

export default async function ({ quick }) {
  const spans = quick ? 20_000 : 1_000_000;
  const users = quick ? 2_000 : 100_000;
  const bare = await runWorker('bare', spans, users);
  const ours = await runWorker('privacy', spans, users);
  const mb = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} MiB`;
  // retained heap is what the privacy layer keeps; RSS also holds what V8 and malloc committed for the
  // allocation rate and do not hand back (the bare pipeline shows that part), so it is judged against bare
  const met = ours.heap <= 64 && ours.rss - bare.rss <= 64;
  return [
    `7 memory (${rate(spans)} spans, ${rate(users)} distinct user ids, after full GC): with PrivacySpanProcessor heap ${mb(ours.heap)}, RSS ${mb(ours.rss)} (peak ${mb(ours.peak)}, ${rate(ours.spansPerSec)} spans/s); bare pipeline heap ${mb(bare.heap)}, RSS ${mb(bare.rss)} (peak ${mb(bare.peak)}, ${rate(bare.spansPerSec)} spans/s); difference heap ${mb(ours.heap - bare.heap)}, RSS ${mb(ours.rss - bare.rss)} (target <= 64 MiB retained heap and RSS over bare: ${met ? 'met' : 'MISSED'})`,
  ];
}
