#!/usr/bin/env node
// Soak test (`npm run soak -- --minutes 10`): steady load of spans and log records (with fake personal data) through
// the whole pipeline — policy processors, secure exporters with the encrypted spool, mTLS to an OTLP/gRPC receiver in
// a separate process — with periodic receiver outages. Prints RSS over time and spans/logs sent, received and spooled;
// exits 1 on any loss or on memory growth beyond the bound.
//   --minutes N (default 10)   --rate N spans per second (default 400; logs at a fifth of it)
//   --outage-every S (default 30)   --outage S (default 8)   --max-growth-mb N (default 64)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { parseNumericOptions } from './numeric-options.mjs';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = parseNumericOptions(
  'soak',
  process.argv.slice(2),
  {
    minutes: { kind: 'positive', default: 10 },
    rate: { kind: 'positive', default: 400 },
    'outage-every': { kind: 'positive', default: 30 },
    outage: { kind: 'positive', default: 8 },
    'max-growth-mb': { kind: 'positive', default: 64 },
  },
  ['receiver'],
);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (options.receiver) await receiverMode();
else await soak();

/** Child process: the mTLS receiver, counting unique span names and log bodies; stdin commands start/stop/count. */
async function receiverMode() {
  const { startMtlsReceiver } = await import(pathToFileURL(join(root, 'test/helpers/mtls-receiver-fixture.ts')).href);
  const fixture = await startMtlsReceiver();
  const seen = { spans: new Set(), logs: new Set(), spanDuplicates: 0, logDuplicates: 0, leaks: 0 };
  const count = (set, key, dupKey) => (set.has(key) ? seen[dupKey]++ : set.add(key));
  fixture.receiver.respond = (request) => {
    fixture.receiver.requests.length = 0; // keep the receiver's own memory flat
    const text = JSON.stringify(request.decoded);
    if (text.includes('@example.com') || text.includes('4111 1111 1111 1111') || text.includes('4111111111111111'))
      seen.leaks++;
    for (const rs of request.decoded.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? []) count(seen.spans, span.name, 'spanDuplicates');
    for (const rl of request.decoded.resourceLogs ?? [])
      for (const sl of rl.scopeLogs ?? [])
        for (const record of sl.logRecords ?? []) count(seen.logs, record.body?.stringValue, 'logDuplicates');
    return undefined;
  };
  process.stdout.write(`${JSON.stringify({ endpoint: fixture.endpoint, tls: fixture.tls })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const command = line.trim();
    if (command === 'stop') await fixture.receiver.stop();
    if (command === 'start') await fixture.receiver.start();
    if (command === 'quit') break;
    process.stdout.write(
      `${JSON.stringify({ spans: seen.spans.size, logs: seen.logs.size, spanDuplicates: seen.spanDuplicates, logDuplicates: seen.logDuplicates, leaks: seen.leaks })}\n`,
    );
  }
  await fixture.close();
  process.exit(0);
}

async function soak() {
  const minutes = options.minutes;
  const rate = options.rate;
  const outageEvery = options['outage-every'] * 1000;
  const outageFor = options.outage * 1000;
  const maxGrowthMb = options['max-growth-mb'];
  const { createSecureExporters, definePolicy, PrivacySpanProcessor, PrivacyLogRecordProcessor, privacyViews } =
    await import(pathToFileURL(join(root, 'index.ts')).href);
  const { BatchSpanProcessor, TracerProvider } = await import('@opentelemetry/sdk-trace');
  const { BatchLogRecordProcessor, LoggerProvider } = await import('@opentelemetry/sdk-logs');
  const { MeterProvider, PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');

  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--receiver'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (command) => {
    child.stdin.write(`${command}\n`);
    return JSON.parse((await lines.next()).value);
  };
  const { endpoint, tls } = JSON.parse((await lines.next()).value);

  process.env.SOAK_HMAC_KEY = randomBytes(32).toString('hex');
  const spoolDir = mkdtempSync(join(tmpdir(), 'otel-privacy-soak-spool-'));
  const policy = definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'SOAK_HMAC_KEY' } },
    attributes: { allow: ['http.route', 'app.*'], hash: ['user.id'], drop: ['*secret*'] },
    values: { detectors: 'all' },
  });
  const logLines = [];
  const logger = {
    error: (m) => logLines.push(`error ${m}`),
    warn: (m) => logLines.push(`warn ${m}`),
    info: (m) => logLines.push(`info ${m}`),
  };
  const exporters = createSecureExporters({
    endpoint,
    tls,
    env: {},
    logger,
    retry: { initialMillis: 200, maxMillis: 2000, maxElapsedMillis: 60_000 },
    spool: { dir: spoolDir, key: { value: randomBytes(32) } },
  });
  const tracerProvider = new TracerProvider({
    spanProcessors: [
      new PrivacySpanProcessor({
        policy,
        next: new BatchSpanProcessor({
          exporter: exporters.traces,
          maxQueueSize: 50_000,
          maxExportBatchSize: 512,
          scheduledDelayMillis: 200,
        }),
      }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    processors: [
      new PrivacyLogRecordProcessor({
        policy,
        next: new BatchLogRecordProcessor({
          exporter: exporters.logs,
          maxQueueSize: 50_000,
          maxExportBatchSize: 512,
          scheduledDelayMillis: 200,
        }),
      }),
    ],
  });
  const meterProvider = new MeterProvider({
    views: privacyViews(policy),
    readers: [new PeriodicExportingMetricReader({ exporter: exporters.metrics, exportIntervalMillis: 2000 })],
  });
  const tracer = tracerProvider.getTracer('soak');
  const otelLogger = loggerProvider.getLogger('soak');
  const counter = meterProvider.getMeter('soak').createCounter('soak.requests');

  let sentSpans = 0;
  let sentLogs = 0;
  const started = Date.now();
  const end = started + minutes * 60_000;
  const samples = [];
  let down = false;
  let nextOutage = started + outageEvery;
  let outageEnd = 0;
  let outages = 0;
  const mb = (bytes) => Math.round(bytes / 1048576);
  process.stdout.write(
    `soak: ${minutes} min, ${rate} spans/s + ${Math.round(rate / 5)} logs/s, outage of ${outageFor / 1000} s every ${outageEvery / 1000} s\n`,
  );
  process.stdout.write(
    'soak:    t  rss MB  heap MB   spans sent/received   logs sent/received   spooled  spool files  receiver\n',
  );
  let lastReport = 0;
  while (Date.now() < end) {
    const tick = Date.now();
    for (let i = 0; i < rate / 10; i++) {
      const n = sentSpans++;
      tracer
        .startSpan(`soak-${n}`, {
          attributes: {
            'http.route': '/orders/:id',
            'user.id': `fake-user-${n % 1000}`,
            'app.note': `mail fz${n}@example.com card 4111 1111 1111 1111`,
            'db.secret': 'zqx',
          },
        })
        .end();
      counter.add(1, { 'http.route': '/orders/:id', 'user.id': `fake-user-${n % 50}` });
      if (n % 5 === 0)
        otelLogger.emit({ body: `soak-log-${sentLogs++}`, attributes: { 'user.id': `fake-user-${n % 1000}` } });
    }
    if (!down && tick >= nextOutage) {
      await ask('stop');
      down = true;
      outages++;
      outageEnd = tick + outageFor;
    } else if (down && tick >= outageEnd) {
      await ask('start');
      down = false;
      nextOutage = tick + outageEvery;
    }
    if (tick - lastReport >= 5000) {
      lastReport = tick;
      const memory = process.memoryUsage();
      const got = await ask('count');
      const stats = exporters.stats();
      samples.push({ t: (tick - started) / 1000, rss: memory.rss });
      process.stdout.write(
        `soak: ${String(Math.round((tick - started) / 1000)).padStart(4)}  ${String(mb(memory.rss)).padStart(6)}  ${String(mb(memory.heapUsed)).padStart(7)}  ${String(sentSpans).padStart(9)}/${String(got.spans).padEnd(9)}  ${String(sentLogs).padStart(9)}/${String(got.logs).padEnd(9)}  ${String(stats.traces.spooled + stats.logs.spooled).padStart(7)}  ${String(stats.spool?.files ?? 0).padStart(11)}  ${down ? 'DOWN' : 'up'}\n`,
      );
    }
    await sleep(Math.max(0, 100 - (Date.now() - tick)));
  }
  if (down) await ask('start');
  await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush()]);
  const deadline = Date.now() + 120_000;
  let got = await ask('count');
  while ((got.spans < sentSpans || got.logs < sentLogs) && Date.now() < deadline) {
    await sleep(1000);
    got = await ask('count');
  }
  const stats = exporters.stats();
  await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
  await exporters.shutdown();
  await ask('quit').catch(() => undefined);
  rmSync(spoolDir, { recursive: true, force: true });

  // memory: the largest RSS over the last third against the first sample after warm-up (the second sample)
  const warm = samples[Math.min(1, samples.length - 1)]?.rss ?? 0;
  const lastThird = samples.slice(Math.floor((samples.length * 2) / 3));
  const peakLate = Math.max(...lastThird.map((s) => s.rss));
  const growth = mb(peakLate - warm);
  const failures = [];
  if (got.spans < sentSpans) failures.push(`lost ${sentSpans - got.spans} span(s)`);
  if (got.logs < sentLogs) failures.push(`lost ${sentLogs - got.logs} log record(s)`);
  if (got.leaks > 0) failures.push(`${got.leaks} request(s) carried a fake identity`);
  if (growth > maxGrowthMb) failures.push(`RSS grew ${growth} MB (bound ${maxGrowthMb} MB)`);
  process.stdout.write(
    `soak: ${outages} outage(s); spans sent ${sentSpans}, received ${got.spans} (+${got.spanDuplicates} duplicate(s)); logs sent ${sentLogs}, received ${got.logs} (+${got.logDuplicates}); ` +
      `spooled ${stats.traces.spooled + stats.logs.spooled} batch(es), replayed ${stats.traces.replayed + stats.logs.replayed}, failed ${stats.traces.failed + stats.logs.failed}; ` +
      `RSS warm ${mb(warm)} MB, late peak ${mb(peakLate)} MB (growth ${growth} MB); exporter log lines ${logLines.length}\n`,
  );
  for (const line of logLines.slice(0, 12)) process.stdout.write(`soak: log: ${line}\n`);
  if (failures.length > 0) {
    process.stdout.write(`soak: FAILED: ${failures.join('; ')}\n`);
    process.exit(1);
  }
  process.stdout.write('soak: passed\n');
  process.exit(0);
}
