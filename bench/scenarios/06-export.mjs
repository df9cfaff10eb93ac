// 6. Export: spans/s over mTLS (TLS 1.3, client certificate required) to a local OTLP/gRPC receiver,
// createSecureExporters' trace exporter against the upstream @opentelemetry/exporter-trace-otlp-grpc
// with the same certificates, the same BatchSpanProcessor settings and the same spans, in interleaved
// rounds (target ≥ 1.0×). Then the encrypted spool: write MB/s while the receiver is down (against
// plain fsynced file writes of the same sizes), and replay MB/s once it is back (against the live
// export rate of the same exporter measured above). Certificates are generated at run time.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { createSecureExporters } from 'otel-privacy';
import { BATCH_SETTINGS, interleaved, median, rate, roundsFor, spanWork, usSince, verdict } from '../lib.mjs';
import { createBenchReceiver } from '../otlp-receiver.mjs';
import { createBenchPki } from '../pki.mjs';
import { benchProvider } from '../providers.mjs';

const USERS = 100_000;
const MB = 1e6;

/** Wraps an exporter to count acknowledged spans and wake a producer waiting for the pipeline to drain. */
function counted(inner) {
  const state = { acked: 0, failed: 0, error: undefined, wake: undefined };
  const exporter = {
    export: (spans, done) =>
      inner.export(spans, (result) => {
        state.acked += spans.length;
        if (result.code !== 0) {
          state.failed += spans.length;
          state.error ??= result.error;
        }
        state.wake?.();
        done(result);
      }),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    shutdown: () => inner.shutdown(),
  };
  return { state, exporter };
}

async function until(predicate, what, timeoutMillis = 60_000) {
  const deadline = Date.now() + timeoutMillis;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** A provider whose batch processor exports through `exporter`, and its span function. */
function pipeline(name, inner) {
  const { state, exporter } = counted(inner);
  const provider = benchProvider(undefined, exporter);
  return { name, state, provider, work: spanWork(provider.getTracer('bench'), USERS) };
}

/**
 * One export round: `n` spans produced the way a busy service does (yielding to the event loop after
 * every batch-sized chunk, and waiting when more than four batches are unacknowledged, so the queue
 * never overflows), timed until the receiver acknowledged the last one. Returns µs per span.
 */
async function exportRound({ name, state, provider, work }, n, offset) {
  const base = state.acked;
  const maxAhead = 4 * BATCH_SETTINGS.maxExportBatchSize;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    work(offset + i);
    if (i % BATCH_SETTINGS.maxExportBatchSize === BATCH_SETTINGS.maxExportBatchSize - 1) {
      await yieldToLoop();
      while (i + 1 - (state.acked - base) > maxAhead) await new Promise((resolve) => (state.wake = resolve));
    }
  }
  await provider.forceFlush();
  await until(() => state.acked - base >= n, `${name}: acknowledgement of ${n} spans`);
  const us = usSince(t0) / n;
  if (state.failed > 0)
    throw new Error(`${name}: ${state.failed} spans failed to export: ${state.error?.message ?? 'unknown error'}`);
  return us;
}

/** Batches of ended spans (as the batch processor hands them to an exporter), for the spool rounds. */
async function captureBatches(count) {
  const batches = [];
  const provider = benchProvider(undefined, {
    export: (spans, done) => {
      batches.push(spans);
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  });
  const work = spanWork(provider.getTracer('bench'), USERS);
  for (let i = 0; i < count * BATCH_SETTINGS.maxExportBatchSize; i++) work(i);
  await provider.forceFlush();
  await provider.shutdown();
  return batches;
}

const exportBatch = (exporter, spans) => new Promise((resolve) => exporter.export(spans, resolve));

/** Baseline of the spool write: the same number and sizes of files, written, fsynced and renamed without encryption. */
async function plainWrites(dir, sizes) {
  const t0 = process.hrtime.bigint();
  let i = 0;
  for (const size of sizes) {
    const name = join(dir, `plain-${i++}`);
    const handle = await open(`${name}.tmp`, 'wx', 0o600);
    await handle.writeFile(randomBytes(size));
    await handle.sync();
    await handle.close();
    await rename(`${name}.tmp`, name);
  }
  return usSince(t0);
}

/**
 * One spool round: the receiver is down; `batches` go through a fresh secure exporter with a spool
 * (the first, untimed, finds the endpoint down); then the receiver comes back and the spool replays.
 */
async function spoolRound(receiver, tls, batches) {
  const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-bench-spool-'));
  const exporters = createSecureExporters({
    endpoint: receiver.url,
    tls,
    spool: { dir: join(dir, 'spool'), key: { value: randomBytes(32) } },
    retry: { initialMillis: 20, maxMillis: 100 },
    timeoutMillis: 5_000,
  });
  try {
    const [first, ...rest] = batches;
    const outcome = await exportBatch(exporters.traces, first);
    if (exporters.stats().traces.spooled !== 1)
      throw new Error(`spool: the first batch was not spooled (${JSON.stringify(outcome)})`);
    const bytesBefore = exporters.stats().spool.bytes;
    const t0 = process.hrtime.bigint();
    await Promise.all(rest.map((spans) => exportBatch(exporters.traces, spans)));
    const writeUs = usSince(t0);
    const spool = exporters.stats().spool;
    if (exporters.stats().traces.spooled !== batches.length)
      throw new Error(`spool: ${exporters.stats().traces.spooled} of ${batches.length} batches spooled`);
    const written = spool.bytes - bytesBefore;
    const sizes = Array.from({ length: rest.length }, () => Math.round(written / rest.length));
    const plainUs = await plainWrites(dir, sizes);

    receiver.reset();
    const upAt = process.hrtime.bigint();
    await receiver.start();
    const expected = batches.length * BATCH_SETTINGS.maxExportBatchSize;
    await until(() => receiver.stats.spans >= expected && exporters.stats().spool.files === 0, 'spool replay');
    const { firstAt, lastAt, bytes, requests } = receiver.stats;
    if (receiver.stats.spans !== expected)
      throw new Error(`spool replay: receiver got ${receiver.stats.spans} spans, expected ${expected}`);
    return {
      writeMBps: written / MB / (writeUs / 1e6),
      plainMBps: written / MB / (plainUs / 1e6),
      // first to last accepted request: replay speed once the channel is up again
      replayMBps: (bytes * (requests - 1)) / requests / MB / (Number(lastAt - firstAt) / 1e9),
      firstReplayMillis: Number(firstAt - upAt) / 1e6,
      spooledMB: spool.bytes / MB,
    };
  } finally {
    await exporters.shutdown();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function ({ quick }) {
  const pki = createBenchPki();
  const receiver = createBenchReceiver({ cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem });
  const tls = { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath };
  const lines = [];
  try {
    await receiver.start();
    const upstream = pipeline(
      'upstream',
      new OTLPTraceExporter({
        url: receiver.url,
        credentials: grpc.credentials.createSsl(pki.ca.certPem, pki.client.keyPem, pki.client.certPem),
      }),
    );
    const secureExporters = createSecureExporters({ endpoint: receiver.url, tls, compression: 'none' });
    const secure = pipeline('secure', secureExporters.traces);
    const n = quick ? 2_048 : 20_480;
    let offset = 0;
    let secureBytesPerSpan = 0;
    let liveMBps;
    try {
      const us = await interleaved(
        {
          upstream: () => exportRound(upstream, n, (offset += n)),
          secure: async () => {
            const before = receiver.stats.bytes;
            const cost = await exportRound(secure, n, offset);
            secureBytesPerSpan = (receiver.stats.bytes - before) / n;
            return cost;
          },
        },
        roundsFor(quick),
      );
      const ratio = us.upstream / us.secure;
      lines.push(
        `6 export over mTLS (TLS 1.3, OTLP/gRPC, batches of ${BATCH_SETTINGS.maxExportBatchSize}, ${Math.round(secureBytesPerSpan)} B/span): createSecureExporters ${rate(1e6 / us.secure)} spans/s, upstream OTLPTraceExporter ${rate(1e6 / us.upstream)} spans/s; ratio ${ratio.toFixed(2)} (target >= 1.0: ${verdict(ratio, 1.0)})`,
      );
      liveMBps = (secureBytesPerSpan * (1e6 / us.secure)) / MB;
    } finally {
      await upstream.provider.shutdown();
      await secure.provider.shutdown();
      await secureExporters.shutdown();
      await receiver.stop();
    }

    const batches = await captureBatches(quick ? 4 : 48);
    const results = [];
    for (let round = 0; round < (quick ? 1 : 3); round++) results.push(await spoolRound(receiver, tls, batches));
    const pick = (key) => median(results.map((result) => result[key]));
    lines.push(
      `6 spool (AES-256-GCM, fsync per file, ${batches.length} files, ${pick('spooledMB').toFixed(1)} MB): write ${pick('writeMBps').toFixed(1)} MB/s vs plain fsynced writes ${pick('plainMBps').toFixed(1)} MB/s (ratio ${(pick('writeMBps') / pick('plainMBps')).toFixed(2)}); replay ${pick('replayMBps').toFixed(1)} MB/s of OTLP vs live export ${liveMBps.toFixed(1)} MB/s (ratio ${(pick('replayMBps') / liveMBps).toFixed(2)}); first replay ${pick('firstReplayMillis').toFixed(0)} ms after the receiver came back`,
    );
  } finally {
    await receiver.stop();
    pki.cleanup();
  }
  return lines;
}
