import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSecureExporters } from '../../exporters/secure-exporters';
import type { SecureExporters } from '../../exporters/secure-exporters';
import { CapturingLogger } from '../helpers/capturing-logger';
import { resetTlsReceiverSuite, startTlsReceiverSuite, stopTlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { TlsReceiverSuite } from '../helpers/tls-receiver-suite';

// With a spool and an endpoint that is reachable again, forceFlush() and shutdown() deliver what was spooled, including
// a live batch queued behind the replay (while older batches are on disk, new ones are appended to the spool to keep
// the order), within the shutdown timeout; a short-lived process must not leave them for its next start. The
// receiver is a real mTLS OTLP/gRPC server, stopped (nothing listens on its port) and started again.
let suite: TlsReceiverSuite;
let counter = 0;
const open: SecureExporters[] = [];
// Generous bounds (a loaded CI machine): what is tested is that the flush does not wait out the 60 s backoff.
const SHUTDOWN_TIMEOUT = 15_000;

beforeAll(async () => {
  suite = await startTlsReceiverSuite('otel-privacy-spool-flush-');
});
afterEach(() => resetTlsReceiverSuite(suite, open));
afterAll(() => stopTlsReceiverSuite(suite));

function pipeline(logger: CapturingLogger) {
  const dir = join(suite.work, `spool-${counter++}`);
  const exporters = createSecureExporters({
    endpoint: suite.receiver.url.replace('127.0.0.1', 'localhost'),
    tls: { ca: suite.pki.ca.certPath, cert: suite.pki.client.certPath, key: suite.pki.client.keyPath },
    spool: { dir, key: { value: `base64:${randomBytes(32).toString('base64')}` } },
    logger,
    timeoutMillis: 5000,
    // a long backoff: without the flush, the replay would not come back within the test
    retry: { initialMillis: 60_000, maxMillis: 60_000, maxElapsedMillis: 120_000 },
    shutdownTimeoutMillis: SHUTDOWN_TIMEOUT,
  });
  open.push(exporters);
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
  const tracer = provider.getTracer('spool-flush');
  const files = () => readdirSync(dir).filter((name) => name.endsWith('.otsp'));
  return { exporters, provider, emit: (name: string) => tracer.startSpan(name).end(), files };
}

describe('spooled batches are delivered by forceFlush and shutdown once the endpoint answers', () => {
  for (const how of ['forceFlush', 'shutdown'] as const) {
    it(`${how}(): the spooled batches and the one queued behind them arrive, in order, within the timeout`, async () => {
      const logger = new CapturingLogger();
      const { exporters, emit, files } = pipeline(logger);
      await suite.receiver.stop(); // down: nothing listens on the port
      emit('during-outage-1');
      emit('during-outage-2');
      await exporters.traces.forceFlush();
      expect(files().length).toBe(2);
      expect(exporters.stats().traces.spooled).toBe(2);

      await suite.receiver.start(); // up again, on the same port; the replay is waiting out its backoff
      emit('behind-the-replay'); // older batches on disk: appended to the spool, behind them
      const started = Date.now();
      if (how === 'forceFlush') await exporters.traces.forceFlush();
      else await exporters.shutdown();
      expect(Date.now() - started).toBeLessThan(SHUTDOWN_TIMEOUT);
      expect(suite.receiver.spans().map((s) => s.name)).toEqual([
        'during-outage-1',
        'during-outage-2',
        'behind-the-replay',
      ]);
      expect(files()).toEqual([]);
      // spooling started and drained: one line each
      expect(logger.messages('warn', /spooling traces batches/)).toHaveLength(1);
      expect(logger.messages('info', /spool drained: replayed all spooled traces batches/)).toHaveLength(1);
    });
  }

  it('shutdown() with the endpoint still down ends within the timeout and keeps the batches on disk', async () => {
    const { exporters, emit, files } = pipeline(new CapturingLogger());
    await suite.receiver.stop();
    emit('kept-1');
    await exporters.traces.forceFlush();
    const started = Date.now();
    await exporters.shutdown();
    expect(Date.now() - started).toBeLessThan(SHUTDOWN_TIMEOUT + 1000);
    expect(files().length).toBe(1);
  });
});
