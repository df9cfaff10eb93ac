import { randomBytes } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSecureExporters } from '../../exporters/secure-exporters';
import type { SecureExporters } from '../../exporters/secure-exporters';
import type { SecureExportersOptions } from '../../exporters/secure-exporter-options';
import { resetTlsReceiverSuite, startTlsReceiverSuite, stopTlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { TlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { StandardPki } from '../helpers/test-pki';
import { OtlpTestReceiver } from '../helpers/otlp-test-receiver';
import { CapturingLogger } from '../helpers/capturing-logger';
import { LatencyProxy } from './helpers/latency-proxy';
import { fullDirectory, readOnlyDirectory } from './helpers/faulty-directory';
import type { FaultyDirectory } from './helpers/faulty-directory';

/*
 * Faults the secure exporters must survive without losing or duplicating telemetry. Already covered elsewhere (not
 * repeated here): test/exporters/retry-and-spool.test.ts — every retryable code retried exactly once in isolation,
 * non-retryable codes failing at once with one line, the retry budget without a spool, an outage under steady export
 * with the spool (exactly once, in order, no plaintext on disk), tampered/foreign files quarantined, maxBytes
 * eviction, shutdown spooling, SIGKILL while spooling; certificate-reload.test.ts — client certificate rotation and
 * expiry; tls-refusals.test.ts — handshake refusals. This file adds: a slow receiver against the deadline,
 * RESOURCE_EXHAUSTED under load (with and without a spool), the receiver restarting with a new certificate (same CA,
 * and a new CA the client learns by reloading its CA file), and an unwritable spool directory (read-only, full,
 * bounded memory, shutdown).
 */

let suite: TlsReceiverSuite;
let pki: StandardPki;
let receiver: OtlpTestReceiver;
let work: string;
const spoolKey = `base64:${randomBytes(32).toString('base64')}`;
const open: SecureExporters[] = [];

beforeAll(async () => {
  suite = await startTlsReceiverSuite('otel-privacy-faults-');
  ({ pki, receiver, work } = suite);
});
afterEach(() => resetTlsReceiverSuite(suite, open));
afterAll(() => stopTlsReceiverSuite(suite));

let counter = 0;
function exportersFor(logger: CapturingLogger, extra: Partial<SecureExportersOptions> = {}): SecureExporters {
  const exporters = createSecureExporters({
    endpoint: receiver.url,
    tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath },
    env: { OTEL_PRIVACY_SPOOL_KEY: spoolKey },
    logger,
    retry: { initialMillis: 20, maxMillis: 100, maxElapsedMillis: 20_000 },
    ...extra,
  });
  open.push(exporters);
  return exporters;
}

/** A tracer provider batching into `exporters.traces`, and a counter of spans produced (names `load-<n>`). */
function load(exporters: SecureExporters) {
  const provider = new TracerProvider({
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: exporters.traces,
        scheduledDelayMillis: 10,
        maxExportBatchSize: 8,
        maxQueueSize: 10_000,
      }),
    ],
  });
  const tracer = provider.getTracer('faults');
  let next = 0;
  return {
    provider,
    get sent() {
      return next;
    },
    /**
     * Flushes the provider, then the exporter. The SDK's BatchSpanProcessor.forceFlush exports the spans still queued
     * but neither waits for a batch its timer or size trigger already handed to the exporter nor flushes the exporter;
     * the exporter's forceFlush resolves once every batch it received was acknowledged, spooled or failed.
     */
    async flush(): Promise<void> {
      await provider.forceFlush();
      await exporters.traces.forceFlush();
    },
    async produce(count: number, pauseMillis = 2): Promise<void> {
      for (let i = 0; i < count; i++) {
        tracer.startSpan(`load-${next++}`).end();
        if (i % 8 === 7) await new Promise((resolve) => setTimeout(resolve, pauseMillis));
      }
    },
  };
}

const expected = (count: number) => Array.from({ length: count }, (_, i) => `load-${i}`);
const names = (target: OtlpTestReceiver = receiver) => target.spans().map((span) => span.name);
const spoolFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.otsp'));

describe('slow receiver (deadlines)', () => {
  it('answers slower than usual but within the deadline: everything once, no retries', async () => {
    const proxy = new LatencyProxy(receiver.port);
    await proxy.start();
    try {
      proxy.latencyMillis = 150;
      const logger = new CapturingLogger();
      const exporters = exportersFor(logger, { endpoint: proxy.url, timeoutMillis: 5000 });
      const pipeline = load(exporters);
      await pipeline.produce(80);
      await pipeline.flush();
      expect(names()).toEqual(expected(80));
      expect(exporters.stats().traces).toMatchObject({ retries: 0, failed: 0, spooled: 0 });
      expect(logger.messages('warn')).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('answers after the deadline: DEADLINE_EXCEEDED logged once, batches spooled and replayed; nothing lost, duplicates only of batches accepted late', async () => {
    const proxy = new LatencyProxy(receiver.port);
    await proxy.start();
    try {
      const dir = join(work, `spool-${counter++}`);
      const logger = new CapturingLogger();
      const exporters = exportersFor(logger, { endpoint: proxy.url, timeoutMillis: 300, spool: { dir } });
      const pipeline = load(exporters);
      await pipeline.produce(16);
      await pipeline.flush();
      proxy.latencyMillis = 800;
      await pipeline.produce(40);
      await pipeline.provider.forceFlush();
      await receiver.waitFor(() => exporters.stats().traces.spooled > 0, 10_000, 'a deadline failure');
      proxy.latencyMillis = 0;
      await pipeline.produce(16);
      await pipeline.provider.forceFlush();
      await receiver.waitFor(
        () => new Set(names()).size === 72 && exporters.stats().spool?.files === 0,
        30_000,
        'replay after the slow phase',
      );
      const received = names();
      expect([...new Set(received)].sort()).toEqual(expected(72).sort());
      const duplicates = received.length - new Set(received).size;
      // each spooled batch is replayed once (latency is gone by then), so a span repeats at most once per spooled batch
      expect(duplicates).toBeLessThanOrEqual(exporters.stats().traces.spooled * 8);
      expect(logger.messages('warn', 'DEADLINE_EXCEEDED')).toHaveLength(1);
      expect(exporters.stats().traces.failed).toBe(0);
    } finally {
      await proxy.stop();
    }
  });
});

describe('RESOURCE_EXHAUSTED under load', () => {
  for (const withSpool of [false, true]) {
    it(`${withSpool ? 'with' : 'without'} a spool: every span exactly once and in order, one warning`, async () => {
      const logger = new CapturingLogger();
      const exporters = exportersFor(logger, withSpool ? { spool: { dir: join(work, `spool-${counter++}`) } } : {});
      let answered = 0;
      // every third request is refused as over quota (with a RetryInfo, as a throttling receiver sends), for the first 60 requests
      receiver.respond = () =>
        answered++ < 60 && answered % 3 === 0
          ? { code: status.RESOURCE_EXHAUSTED, details: 'quota', retryDelayMillis: 5 }
          : undefined;
      const pipeline = load(exporters);
      await pipeline.produce(400);
      await pipeline.provider.forceFlush();
      await receiver.waitFor(
        () => names().length >= 400 && (!withSpool || exporters.stats().spool?.files === 0),
        30_000,
        'delivery',
      );
      await exporters.traces.forceFlush();
      expect(names()).toEqual(expected(400));
      expect(exporters.stats().traces.failed).toBe(0);
      expect(logger.messages('warn', 'RESOURCE_EXHAUSTED')).toHaveLength(1);
      expect(logger.messages('error')).toEqual([]);
    });
  }
});

describe('receiver restarting with a new certificate', () => {
  it('same CA: spans produced while it restarts arrive exactly once, in order', async () => {
    const logger = new CapturingLogger();
    const exporters = exportersFor(logger, { spool: { dir: join(work, `spool-${counter++}`) } });
    const pipeline = load(exporters);
    await pipeline.produce(24);
    await pipeline.flush();
    await receiver.stop();
    const renewed = pki.pki.issue(pki.ca, { name: `server-renewed-${counter++}`, usage: 'server' });
    const restarted = new OtlpTestReceiver({
      tls: { cert: renewed.certPem, key: renewed.keyPem, ca: pki.ca.certPem },
      port: receiver.port,
    });
    await pipeline.produce(40);
    await pipeline.provider.forceFlush();
    await restarted.start();
    try {
      await pipeline.produce(16);
      await pipeline.provider.forceFlush();
      await restarted.waitFor(
        () => receiver.spans().length + restarted.spans().length >= 80 && exporters.stats().spool?.files === 0,
        30_000,
        'delivery to the restarted receiver',
      );
      expect([...names(), ...names(restarted)]).toEqual(expected(80));
      expect(restarted.requests.every((request) => request.clientCommonName === 'client-a')).toBe(true);
    } finally {
      await restarted.stop();
    }
  });

  it('new CA: refused once with a clear reason, spooled, delivered after the client reloads its CA file; nothing lost or repeated', async () => {
    const caFile = join(work, `ca-${counter++}.pem`);
    copyFileSync(pki.ca.certPath, caFile);
    const logger = new CapturingLogger();
    const exporters = exportersFor(logger, {
      tls: { ca: caFile, cert: pki.client.certPath, key: pki.client.keyPath, reloadIntervalMillis: 0 },
      spool: { dir: join(work, `spool-${counter++}`) },
    });
    const pipeline = load(exporters);
    await pipeline.produce(16);
    await pipeline.flush();
    await receiver.stop();
    // the new server certificate comes from the other CA (which trusts the same client CA for mTLS)
    const restarted = new OtlpTestReceiver({
      tls: { cert: pki.serverFromOtherCa.certPem, key: pki.serverFromOtherCa.keyPem, ca: pki.ca.certPem },
      port: receiver.port,
    });
    await restarted.start();
    try {
      await pipeline.produce(32);
      await pipeline.provider.forceFlush();
      await restarted.waitFor(() => exporters.stats().traces.spooled > 0, 10_000, 'spooling on handshake failure');
      expect(restarted.requests).toHaveLength(0);
      const refusals = logger.lines.filter(
        (line) => line.level === 'error' && /certificate|CA|verify/i.test(line.message),
      );
      expect(refusals).toHaveLength(1);
      expect(refusals[0].message).toContain(`127.0.0.1:${receiver.port}`);
      writeFileSync(caFile, `${pki.ca.certPem}\n${readFileSync(pki.otherCa.certPath, 'utf8')}`);
      expect(exporters.reloadCertificates()).toBe(true);
      await pipeline.produce(8);
      await pipeline.provider.forceFlush();
      await restarted.waitFor(
        () => receiver.spans().length + restarted.spans().length >= 56 && exporters.stats().spool?.files === 0,
        30_000,
        'delivery after the CA reload',
      );
      expect([...names(), ...names(restarted)]).toEqual(expected(56));
    } finally {
      await restarted.stop();
    }
  });
});

describe('unwritable spool directory: export continues in memory within bounds, reported once', () => {
  const faulty: FaultyDirectory[] = [];
  afterEach(() => {
    for (const directory of faulty.splice(0)) directory.cleanup();
  });

  async function outageThroughFault(directory: FaultyDirectory, extra: Partial<SecureExportersOptions['spool']> = {}) {
    faulty.push(directory);
    const dir = join(directory.dir, 'spool');
    const logger = new CapturingLogger();
    const exporters = exportersFor(logger, {
      spool: { dir, ...extra },
      retry: { initialMillis: 20, maxMillis: 100, maxElapsedMillis: 300 },
    });
    const pipeline = load(exporters);
    await pipeline.produce(16);
    await pipeline.flush();
    expect(names()).toEqual(expected(16));
    directory.break();
    await receiver.stop();
    await pipeline.produce(48);
    await pipeline.flush();
    return { dir, logger, exporters, pipeline };
  }

  it('read-only directory: batches held in memory (sealed), one warning, all delivered in order once the receiver is back', async () => {
    const directory = readOnlyDirectory(work);
    const { dir, logger, exporters, pipeline } = await outageThroughFault(directory);
    const during = exporters.stats().spool;
    expect(during?.unwritable).toBe(true);
    expect(during?.memoryBatches).toBeGreaterThan(0);
    expect(during?.files).toBe(0);
    expect(spoolFiles(dir)).toEqual([]);
    const warnings = logger.messages('warn', 'holding undelivered batches in memory');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(dir);
    await receiver.start();
    await pipeline.produce(8);
    await pipeline.provider.forceFlush();
    await receiver.waitFor(
      () => names().length >= 72 && exporters.stats().spool?.memoryBatches === 0,
      20_000,
      `replay from memory (${directory.how})`,
    );
    expect(names()).toEqual(expected(72));
    expect(exporters.stats().traces.failed).toBe(0);
    expect(exporters.stats().spool?.dropped).toBe(0);
    expect(logger.messages('warn', 'holding undelivered batches in memory')).toHaveLength(1);
  });

  const full = fullDirectory(join(tmpdir(), `otel-privacy-full-probe-${process.pid}`));
  full?.cleanup();
  it.skipIf(!full)(
    'full disk (ENOSPC on a tiny tmpfs; needs root to mount): memory while full, back to disk when space returns, reported once each way',
    async () => {
      const directory = fullDirectory(work)!;
      const { dir, logger, exporters, pipeline } = await outageThroughFault(directory);
      expect(exporters.stats().spool?.memoryBatches).toBeGreaterThan(0);
      expect(logger.messages('warn', '(ENOSPC)')).toHaveLength(1);
      directory.repair();
      await pipeline.produce(16);
      await pipeline.flush();
      expect(spoolFiles(dir).length).toBeGreaterThan(0);
      expect(logger.messages('info', 'is writable again')).toHaveLength(1);
      await receiver.start();
      await receiver.waitFor(
        () =>
          names().length >= 80 && exporters.stats().spool?.memoryBatches === 0 && exporters.stats().spool?.files === 0,
        20_000,
        'replay from memory and disk',
      );
      expect(names()).toEqual(expected(80));
      expect(exporters.stats().spool?.dropped).toBe(0);
    },
  );

  it('bounded: beyond maxMemoryBytes the oldest held batches are dropped, counted and reported once; the newest arrive in order', async () => {
    const directory = readOnlyDirectory(work);
    const { exporters, logger } = await outageThroughFault(directory, { maxMemoryBytes: 4096 });
    const held = exporters.stats().spool;
    expect(held?.memoryBytes).toBeLessThanOrEqual(4096);
    expect(held?.dropped).toBeGreaterThan(0);
    expect(logger.messages('error', 'spool memory bound (4096 bytes) reached')).toHaveLength(1);
    await receiver.start();
    await receiver.waitFor(() => exporters.stats().spool?.memoryBatches === 0, 20_000, 'replay of what was kept');
    const late = names().slice(16);
    expect(late.length).toBeGreaterThan(0);
    expect(late).toEqual(expected(64).slice(64 - late.length));
  });

  it('shutdown while still unwritable: held batches are reported lost in one line; once writable, shutdown moves them to disk for the next start', async () => {
    const first = readOnlyDirectory(work);
    const lost = await outageThroughFault(first);
    const heldBefore = lost.exporters.stats().spool?.memoryBatches ?? 0;
    expect(heldBefore).toBeGreaterThan(0);
    await lost.exporters.shutdown();
    expect(
      lost.logger.messages('error', `${heldBefore} undelivered batch(es) held in memory were lost at shutdown`),
    ).toHaveLength(1);
    await receiver.start();
    first.cleanup();
    faulty.splice(faulty.indexOf(first), 1);
    receiver.requests.length = 0;

    const second = readOnlyDirectory(work);
    const kept = await outageThroughFault(second);
    expect(kept.exporters.stats().spool?.memoryBatches).toBeGreaterThan(0);
    const writtenBefore = kept.exporters.stats().spool?.written ?? 0;
    second.repair();
    await kept.exporters.shutdown();
    const onDisk = spoolFiles(kept.dir).length;
    expect(onDisk).toBeGreaterThan(0);
    // every batch moved from memory to disk at shutdown counts as a file written
    expect(kept.exporters.stats().spool?.written).toBe(writtenBefore + onDisk);
    await receiver.start();
    receiver.requests.length = 0;
    const next = exportersFor(new CapturingLogger(), { spool: { dir: kept.dir } });
    await receiver.waitFor(() => next.stats().spool?.files === 0, 20_000, 'replay on the next start');
    expect(names()).toEqual(expected(64).slice(16));
  });
});
