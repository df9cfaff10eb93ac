import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { createSecureExporters } from '../../exporters/secure-exporters';
import type { SecureExporters } from '../../exporters/secure-exporters';
import type { SecureExportersOptions } from '../../exporters/secure-exporter-options';
import { resetTlsReceiverSuite, startTlsReceiverSuite, stopTlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { TlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { StandardPki } from '../helpers/test-pki';
import type { OtlpTestReceiver } from '../helpers/otlp-test-receiver';
import { CapturingLogger } from '../helpers/capturing-logger';

let suite: TlsReceiverSuite;
let pki: StandardPki;
let receiver: OtlpTestReceiver;
let workDir: string;
const spoolKey = `base64:${randomBytes(32).toString('base64')}`;
const open: SecureExporters[] = [];

beforeAll(async () => {
  suite = await startTlsReceiverSuite('otel-privacy-spool-test-');
  ({ pki, receiver, work: workDir } = suite);
});
afterEach(() => resetTlsReceiverSuite(suite, open));
afterAll(() => stopTlsReceiverSuite(suite));

let spoolCounter = 0;
const newSpoolDir = (): string => join(workDir, `spool-${spoolCounter++}`);

function exportersFor(extra: Partial<SecureExportersOptions> = {}): SecureExporters {
  const exporters = createSecureExporters({
    endpoint: receiver.url,
    tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath },
    env: { OTEL_PRIVACY_SPOOL_KEY: spoolKey },
    logger: new CapturingLogger(),
    retry: { initialMillis: 20, maxMillis: 100, maxElapsedMillis: 3000 },
    ...extra,
  });
  open.push(exporters);
  return exporters;
}

function spanPipeline(exporters: SecureExporters): { provider: TracerProvider; emit: (name: string) => void } {
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
  const tracer = provider.getTracer('retry');
  return { provider, emit: (name) => tracer.startSpan(name).end() };
}

function spoolFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.otsp'))
    .sort();
}

describe('retry policy', () => {
  const retryable: Array<[string, status, number?]> = [
    ['UNAVAILABLE', status.UNAVAILABLE],
    ['CANCELLED', status.CANCELLED],
    ['DEADLINE_EXCEEDED', status.DEADLINE_EXCEEDED],
    ['RESOURCE_EXHAUSTED with RetryInfo', status.RESOURCE_EXHAUSTED, 5],
    ['ABORTED', status.ABORTED],
    ['OUT_OF_RANGE', status.OUT_OF_RANGE],
    ['DATA_LOSS', status.DATA_LOSS],
  ];
  for (const [name, code, retryDelayMillis] of retryable) {
    it(`retries ${name} and delivers exactly once`, async () => {
      const exporters = exportersFor();
      let refusals = 2;
      receiver.respond = () => (refusals-- > 0 ? { code, retryDelayMillis } : undefined);
      const { emit } = spanPipeline(exporters);
      emit(`retry-${name}`);
      await exporters.traces.forceFlush();
      expect(receiver.attempts).toBe(3);
      expect(receiver.spans().map((span) => span.name)).toEqual([`retry-${name}`]);
      expect(exporters.stats().traces).toMatchObject({ sent: 1, retries: 2, failed: 0 });
    });
  }

  const fatal: Array<[string, status]> = [
    ['INVALID_ARGUMENT', status.INVALID_ARGUMENT],
    ['PERMISSION_DENIED', status.PERMISSION_DENIED],
    ['UNAUTHENTICATED', status.UNAUTHENTICATED],
    // without a RetryInfo it may be a permanent limit (a message larger than the receiver takes)
    ['RESOURCE_EXHAUSTED', status.RESOURCE_EXHAUSTED],
  ];
  for (const [name, code] of fatal) {
    it(`fails ${name} at once with one log line (and never spools it)`, async () => {
      const logger = new CapturingLogger();
      const dir = newSpoolDir();
      const exporters = exportersFor({ logger, spool: { dir } });
      receiver.respond = () => ({ code, details: 'nope' });
      const { emit } = spanPipeline(exporters);
      emit('refused-1');
      emit('refused-2');
      await exporters.traces.forceFlush();
      expect(receiver.attempts).toBe(2);
      expect(receiver.requests).toHaveLength(0);
      expect(exporters.stats().traces).toMatchObject({ sent: 0, retries: 0, failed: 2, spooled: 0 });
      expect(logger.messages('error', `refused a traces batch with ${name} (nope); not retrying`)).toHaveLength(1);
      expect(spoolFiles(dir)).toEqual([]);
    });
  }

  it('gives up after maxElapsedMillis without a spool (bounded in time), logging once', async () => {
    const logger = new CapturingLogger();
    const exporters = exportersFor({ logger, retry: { initialMillis: 20, maxMillis: 40, maxElapsedMillis: 300 } });
    receiver.respond = () => ({ code: status.UNAVAILABLE });
    const { emit } = spanPipeline(exporters);
    const started = Date.now();
    emit('never-1');
    emit('never-2');
    await exporters.traces.forceFlush();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(receiver.attempts).toBeGreaterThan(2);
    expect(receiver.requests).toHaveLength(0);
    expect(exporters.stats().traces.failed).toBe(2);
    expect(logger.messages('error', 'dropping traces batch (no spool configured)')).toHaveLength(1);
    expect(logger.messages('warn', 'traces export failed with UNAVAILABLE')).toHaveLength(1);
  });
});

describe('encrypted spool', () => {
  it('outage under steady export: everything arrives exactly once, in order per signal; spool files hold no plaintext', async () => {
    const dir = newSpoolDir();
    const exporters = exportersFor({
      spool: { dir },
      retry: { initialMillis: 20, maxMillis: 150, maxElapsedMillis: 300 },
    });
    const tracerProvider = new TracerProvider({
      spanProcessors: [
        new BatchSpanProcessor({ exporter: exporters.traces, scheduledDelayMillis: 20, maxExportBatchSize: 5 }),
      ],
    });
    const loggerProvider = new LoggerProvider({
      processors: [
        new BatchLogRecordProcessor({ exporter: exporters.logs, scheduledDelayMillis: 20, maxExportBatchSize: 5 }),
      ],
    });
    const tracer = tracerProvider.getTracer('outage');
    const otelLogger = loggerProvider.getLogger('outage');
    let next = 0;
    const produce = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++, next++) {
        tracer.startSpan(`PLAINTEXT-SPAN-MARKER-${next}`).end();
        otelLogger.emit({ body: `PLAINTEXT-LOG-MARKER-${next}` });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };

    await produce(10);
    await receiver.waitFor(
      () => receiver.spans().length === 10 && receiver.logRecords().length === 10,
      10_000,
      'pre-outage data',
    );
    await receiver.stop();
    await produce(40);
    await tracerProvider.forceFlush();
    await loggerProvider.forceFlush();
    await receiver.waitFor(
      () => exporters.stats().traces.spooled > 0 && exporters.stats().logs.spooled > 0,
      10_000,
      'spooling',
    );

    const files = spoolFiles(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const content = readFileSync(join(dir, file));
      expect(content.subarray(0, 4).toString()).toBe('OTSP');
      expect(content.includes('PLAINTEXT')).toBe(false);
      expect(content.includes('MARKER')).toBe(false);
    }

    await receiver.start();
    await produce(10);
    await tracerProvider.forceFlush();
    await loggerProvider.forceFlush();
    await receiver.waitFor(() => receiver.spans().length >= 60 && receiver.logRecords().length >= 60, 20_000, 'replay');
    // both lanes: the receiver can hold the last batch before the client has recorded it and deleted its file
    await exporters.traces.forceFlush();
    await exporters.logs.forceFlush();

    const spanNames = receiver.spans().map((span) => span.name);
    const logBodies = receiver.logRecords().map((record) => String(record.body));
    const expectedSpans = Array.from({ length: 60 }, (_, i) => `PLAINTEXT-SPAN-MARKER-${i}`);
    const expectedLogs = Array.from({ length: 60 }, (_, i) => `PLAINTEXT-LOG-MARKER-${i}`);
    expect(spanNames).toEqual(expectedSpans);
    expect(logBodies).toEqual(expectedLogs);
    const stats = exporters.stats();
    expect(stats.spool?.files).toBe(0);
    expect(stats.spool?.quarantined).toBe(0);
    expect(stats.traces.replayed).toBe(stats.traces.spooled);
    expect(spoolFiles(dir)).toEqual([]);
    await tracerProvider.shutdown();
    await loggerProvider.shutdown();
  });

  it('quarantines a tampered file, counts it, and replays the rest on start', async () => {
    const dir = newSpoolDir();
    await receiver.stop();
    const first = exportersFor({ spool: { dir }, retry: { initialMillis: 10, maxMillis: 20, maxElapsedMillis: 50 } });
    const { emit } = spanPipeline(first);
    for (let i = 0; i < 5; i++) emit(`tamper-${i}`);
    await first.traces.forceFlush();
    await first.shutdown();
    const files = spoolFiles(dir);
    expect(files).toHaveLength(5);
    const victim = join(dir, files[2]);
    const bytes = readFileSync(victim);
    bytes[bytes.length - 20] ^= 0x01;
    writeFileSync(victim, bytes);

    await receiver.start();
    const logger = new CapturingLogger();
    const second = exportersFor({ spool: { dir }, logger });
    await receiver.waitFor(() => receiver.spans().length === 4, 10_000, 'replay of untampered files');
    await receiver.waitFor(() => second.stats().spool?.files === 0, 5000, 'empty spool');
    expect(receiver.spans().map((span) => span.name)).toEqual(['tamper-0', 'tamper-1', 'tamper-3', 'tamper-4']);
    expect(second.stats().spool?.quarantined).toBe(1);
    expect(readdirSync(join(dir, 'quarantine'))).toHaveLength(1);
    expect(logger.messages('error', `spool file ${files[2]} quarantined: authentication failed`)).toHaveLength(1);
    expect(spoolFiles(dir)).toEqual([]);

    // the exporter keeps working afterwards
    const { emit: emitMore } = spanPipeline(second);
    emitMore('after-tamper');
    await second.traces.forceFlush();
    expect(receiver.spans().at(-1)?.name).toBe('after-tamper');
  });

  it('quarantines files written with another key, and non-spool garbage named like a spool file', async () => {
    const dir = newSpoolDir();
    await receiver.stop();
    const other = exportersFor({
      spool: { dir, key: { value: `hex:${randomBytes(32).toString('hex')}` } },
      retry: { initialMillis: 10, maxMillis: 20, maxElapsedMillis: 50 },
    });
    const { emit } = spanPipeline(other);
    emit('other-key');
    await other.traces.forceFlush();
    await other.shutdown();
    writeFileSync(join(dir, '0000000000000999.logs.otsp'), 'not a spool file at all, just text');
    await receiver.start();
    const logger = new CapturingLogger();
    const exporters = exportersFor({ spool: { dir }, logger });
    await receiver.waitFor(() => exporters.stats().spool?.quarantined === 2, 5000, 'quarantine');
    expect(receiver.requests).toHaveLength(0);
    expect(logger.messages('error', 'encrypted with another key')).toHaveLength(1);
    expect(logger.messages('error', 'truncated').length + logger.messages('error', 'bad magic').length).toBe(1);
  });

  it('bounds the spool by maxBytes, dropping the oldest batches first and counting them', async () => {
    const dir = newSpoolDir();
    await receiver.stop();
    const exporters = exportersFor({
      spool: { dir, maxBytes: 1500 },
      retry: { initialMillis: 10, maxMillis: 20, maxElapsedMillis: 50 },
    });
    const { emit } = spanPipeline(exporters);
    for (let i = 0; i < 12; i++) emit(`bounded-${i}`);
    await exporters.traces.forceFlush();
    const stats = exporters.stats().spool;
    expect(stats?.bytes).toBeLessThanOrEqual(1500);
    expect(stats?.dropped).toBeGreaterThan(0);
    expect((stats?.files ?? 0) + (stats?.dropped ?? 0)).toBe(12);
    await exporters.shutdown();
    await receiver.start();
    const replay = exportersFor({ spool: { dir, maxBytes: 1500 } });
    await receiver.waitFor(() => replay.stats().spool?.files === 0, 5000, 'replay');
    const names = receiver.spans().map((span) => span.name);
    expect(names).toEqual(
      Array.from({ length: stats?.files ?? 0 }, (_, i) => `bounded-${12 - (stats?.files ?? 0) + i}`),
    );
  });

  it('shutdown() delivers what it can and spools the rest when the endpoint is down', async () => {
    const dir = newSpoolDir();
    const exporters = exportersFor({
      spool: { dir },
      shutdownTimeoutMillis: 300,
      retry: { initialMillis: 50, maxMillis: 100, maxElapsedMillis: 60_000 },
    });
    const provider = new TracerProvider({
      spanProcessors: [
        new BatchSpanProcessor({ exporter: exporters.traces, scheduledDelayMillis: 60_000, maxExportBatchSize: 3 }),
      ],
    });
    const tracer = provider.getTracer('shutdown');
    tracer.startSpan('delivered-before-outage').end();
    await provider.forceFlush();
    await receiver.stop();
    for (let i = 0; i < 7; i++) tracer.startSpan(`at-shutdown-${i}`).end();
    const started = Date.now();
    await provider.shutdown();
    expect(Date.now() - started).toBeLessThan(10_000);
    const stats = exporters.stats();
    expect(stats.traces.failed).toBe(0);
    expect(stats.traces.spooled).toBe(3);
    expect(spoolFiles(dir)).toHaveLength(3);

    await receiver.start();
    receiver.requests.length = 0;
    const next = exportersFor({ spool: { dir } });
    await receiver.waitFor(() => next.stats().spool?.files === 0, 5000, 'replay');
    expect(receiver.spans().map((span) => span.name)).toEqual(Array.from({ length: 7 }, (_, i) => `at-shutdown-${i}`));
  });

  it('a process killed with SIGKILL while spooling: a new process replays every fsynced batch, once', async () => {
    const dir = newSpoolDir();
    await receiver.stop();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, 'testdata', 'spool-crash-child.ts'),
        receiver.url,
        pki.ca.certPath,
        pki.client.certPath,
        pki.client.keyPath,
        dir,
      ],
      { env: { ...process.env, OTEL_PRIVACY_SPOOL_KEY: spoolKey }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const confirmed: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error(`child did not spool in time: ${stderr}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.startsWith('spooled ')) confirmed.push(line.slice(8));
        if (confirmed.length >= 30 && !child.killed) {
          child.kill('SIGKILL');
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        if (confirmed.length < 30) reject(new Error(`child exited early: ${stderr}`));
      });
    });
    await new Promise((resolve) => child.once('exit', resolve).once('close', resolve));

    await receiver.start();
    const exporters = exportersFor({ spool: { dir } });
    await receiver.waitFor(() => exporters.stats().spool?.files === 0, 15_000, 'replay after crash');
    const names = receiver.spans().map((span) => span.name);
    expect(new Set(names).size).toBe(names.length);
    for (const marker of confirmed) expect(names).toContain(marker);
    const indices = names.map((name) => Number(name.replace('crash-marker-', '')));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    expect(exporters.stats().spool?.quarantined).toBe(0);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('replay guard: delivered spool files copied back into the directory are not sent again after a restart; quarantined and counted', async () => {
    const dir = newSpoolDir();
    await receiver.stop();
    const first = exportersFor({ spool: { dir }, retry: { initialMillis: 10, maxMillis: 20, maxElapsedMillis: 50 } });
    const { emit } = spanPipeline(first);
    for (let i = 0; i < 3; i++) emit(`replay-attack-${i}`);
    await first.traces.forceFlush();
    await first.shutdown();
    const stolen = spoolFiles(dir).map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
    expect(stolen).toHaveLength(3);

    await receiver.start();
    const second = exportersFor({ spool: { dir } });
    await receiver.waitFor(() => second.stats().spool?.files === 0, 10_000, 'first replay');
    await second.shutdown();
    expect(receiver.spans().map((span) => span.name)).toEqual([
      'replay-attack-0',
      'replay-attack-1',
      'replay-attack-2',
    ]);

    for (const { name, bytes } of stolen) writeFileSync(join(dir, name), bytes); // the attack
    const logger = new CapturingLogger();
    const third = exportersFor({ spool: { dir }, logger });
    expect(third.stats().spool).toMatchObject({ quarantined: 3, files: 0 });
    expect(logger.messages('error', 'quarantined: already delivered')).toHaveLength(3);
    expect(spoolFiles(dir)).toEqual([]);
    const { emit: emitAfter } = spanPipeline(third);
    emitAfter('after-attack');
    await third.traces.forceFlush();
    expect(receiver.spans().map((span) => span.name)).toEqual([
      'replay-attack-0',
      'replay-attack-1',
      'replay-attack-2',
      'after-attack',
    ]);
  });

  it('SIGKILL during replay, before and after the state file update: every batch arrives at least once, none is lost, a delivered file is never sent twice once its mark is stored', async () => {
    const dir = newSpoolDir();
    await receiver.stop();
    const spooler = exportersFor({ spool: { dir }, retry: { initialMillis: 10, maxMillis: 20, maxElapsedMillis: 50 } });
    const { emit } = spanPipeline(spooler);
    const markers = Array.from({ length: 12 }, (_, i) => `state-crash-${String(i).padStart(2, '0')}`);
    for (const marker of markers) emit(marker);
    await spooler.traces.forceFlush();
    await spooler.shutdown();
    expect(spoolFiles(dir)).toHaveLength(12);
    await receiver.start();

    const runUntilKilled = async (mode: string, crashAt: number): Promise<void> => {
      const child: ChildProcess = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(__dirname, 'testdata', 'spool-replay-crash-child.ts'),
          receiver.url,
          pki.ca.certPath,
          pki.client.certPath,
          pki.client.keyPath,
          dir,
          mode,
          String(crashAt),
        ],
        { env: { ...process.env, OTEL_PRIVACY_SPOOL_KEY: spoolKey }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, sig) => resolve(sig)),
      );
      expect(signal, stderr).toBe('SIGKILL');
    };

    // 1st child: killed after the receiver accepted the 4th batch, before its mark was stored
    await runUntilKilled('before-state', 4);
    expect(receiver.spans().map((span) => span.name)).toEqual(markers.slice(0, 4));
    expect(spoolFiles(dir)).toHaveLength(9); // the 4th is still there: it will be sent again
    // 2nd child: resends the 4th (at-least-once), then killed after storing the mark of its 3rd batch (the 6th)
    await runUntilKilled('after-state', 3);
    expect(receiver.spans().map((span) => span.name)).toEqual([...markers.slice(0, 4), ...markers.slice(3, 6)]);
    expect(spoolFiles(dir)).toHaveLength(7); // the 6th is still on disk, but its mark is stored

    const logger = new CapturingLogger();
    const last = exportersFor({ spool: { dir }, logger });
    await receiver.waitFor(() => last.stats().spool?.files === 0, 15_000, 'replay after the crashes');
    const names = receiver.spans().map((span) => span.name);
    for (const marker of markers) expect(names).toContain(marker); // nothing lost
    expect(names.filter((name) => name === markers[3])).toHaveLength(2); // the one crash before the mark: resent
    expect(names.filter((name) => name === markers[5])).toHaveLength(1); // the crash after the mark: not resent
    expect(names).toHaveLength(13);
    expect(last.stats().spool?.quarantined).toBe(1);
    expect(logger.messages('error', 'quarantined: already delivered')).toHaveLength(1);
    expect(spoolFiles(dir)).toEqual([]);
  });
});
