import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeHmacKey, pseudonymOf, tempDir, writeOptOut } from '../processors/consent/consent-kit';
import { cliBinary, runCli } from './cli-harness';

const KEY = fakeHmacKey('scan-consent');
const OUT = 'Fake Subject 13';
const IN = 'fake-kept-user-7';
let bin: string;
let dir: string;
const env = { CONSENT_SCAN_HMAC: KEY };

function policy(action: 'drop' | 'minimize'): string {
  const path = join(dir, `${action}.yaml`);
  writeFileSync(
    path,
    `version: 1
keys:
  hmac: { id: k1, env: CONSENT_SCAN_HMAC }
attributes:
  hash: [user.id, log.body.user.id]
  allow: [url.full, app.note, log.body.note]
consent:
  subject: { attributes: [user.id] }
  optOut: { file: optout.bloom }
  action: ${action}
`,
  );
  return path;
}

/**
 * A raw OTLP/JSON export (no privacy processor, as an agent or a Collector file exporter writes it): per subject a
 * trace (a root span naming it, a child that does not but has it in its text), a span of another trace linking to it,
 * log records (one in the trace, one naming the subject in a nested body map only) and a metric point.
 */
async function rawExport(file: string): Promise<void> {
  const spans = new InMemorySpanExporter();
  const tracing = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] });
  const logs = new InMemoryLogRecordExporter();
  const logging = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logs })] });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
  const metering = new MeterProvider({ readers: [reader] });
  const tracer = tracing.getTracer('shop');
  const logger = logging.getLogger('shop');
  const counter = metering.getMeter('shop').createCounter('fake.orders');
  for (const user of [OUT, IN]) {
    const root = tracer.startSpan(`GET /u/${user}`, { attributes: { 'user.id': user } });
    const ctx = trace.setSpan(context.active(), root);
    tracer.startSpan(`SELECT for ${user}`, { attributes: { 'app.note': `user ${user}` } }, ctx).end();
    logger.emit({ body: `loaded orders of ${user}`, context: ctx });
    root.end();
    // a span of another trace (a queue consumer) linking to the request, the link naming the subject in its text
    const link = { context: root.spanContext(), attributes: { 'app.note': `message of ${user}` } };
    tracer.startSpan('consume', { root: true, links: [link] }, context.active()).end();
    logger.emit({ body: { user: { id: user }, note: `login of ${user}` } });
    counter.add(1, { 'user.id': user, 'app.note': `by ${user}` });
    // free text only: the subject recorded in the request's context, gone in the export
    counter.add(1, { 'app.note': `note of ${user}` });
  }
  await reader.forceFlush();
  writeFileSync(
    file,
    [
      Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString(),
      Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!).toString(),
      Buffer.from(JsonMetricsSerializer.serializeRequest(metrics.getMetrics()[0]!)!).toString(),
    ].join('\n') + '\n',
  );
  await Promise.all([tracing.shutdown(), logging.shutdown(), metering.shutdown()]);
}

beforeAll(async () => {
  dir = tempDir();
  writeOptOut(join(dir, 'optout.bloom'), KEY, [OUT], 0.001);
  await rawExport(join(dir, 'raw.jsonl'));
  bin = await cliBinary();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lower = (s: string) => s.toLowerCase();

describe('otel-privacy scan applies the consent section', () => {
  it('drop: the opted-out subject’s spans (its whole trace), log records and metric points are not written', async () => {
    const out = join(dir, 'drop.jsonl');
    const r = await runCli(bin, ['scan', '--policy', policy('drop'), '--in', join(dir, 'raw.jsonl'), '--out', out], {
      env,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(lower(text)).not.toContain(lower(OUT));
    expect(text).not.toContain(encodeURIComponent(OUT));
    // the other subject's items are all there: the 2 spans of its trace, 2 log records, 1 point
    expect(text).toContain('loaded orders of fake-kept-user-7');
    expect(text).toContain('login of fake-kept-user-7');
    // + both consumers, the log record in the trace, and the one link into the kept subject's trace
    expect(text.match(/"spanId"/g)).toHaveLength(2 + 2 + 1 + 1);
    expect(text).toContain('message of fake-kept-user-7');
    expect(text.match(/"asDouble"|"asInt"/g)).toHaveLength(2);
    expect(text).toContain('note of fake-kept-user-7');
    expect(r.stdout).toMatch(/removed whole: .*\b6 item\(s\) about opted-out subjects \(consent\)/);
    expect(r.stdout).toMatch(/\b1 span link\(s\) into opted-out subjects' traces \(consent\)/);
  });

  it('minimize: every item is written, without the subject’s identifying keys or identifier in any text', async () => {
    const out = join(dir, 'minimize.jsonl');
    const r = await runCli(
      bin,
      ['scan', '--policy', policy('minimize'), '--in', join(dir, 'raw.jsonl'), '--out', out],
      { env },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(lower(text)).not.toContain(lower(OUT));
    expect(text).not.toContain(encodeURIComponent(OUT));
    expect(text).toContain('loaded orders of [REDACTED:subject]');
    expect(text).toContain('loaded orders of fake-kept-user-7');
    expect(text).toContain('message of [REDACTED:subject]');
    // hash: [log.body.user.id] writes pseudonyms into body maps: not the opted-out subject's, the other's yes
    expect(text).not.toContain(pseudonymOf(KEY, OUT));
    expect(text).toContain(pseudonymOf(KEY, IN));
    expect(text.match(/"spanId"/g)).toHaveLength(4 + 2 + 2 + 2); // spans, consumers, records in traces, links
    expect(text.match(/"asDouble"|"asInt"/g)).toHaveLength(4);
    expect(text).toContain('note of [REDACTED:subject]');
    expect(r.stdout).not.toContain('opted-out subjects');
  });
});
