import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Meter, Tracer } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCommand } from '../../cli/commands/scan';
import { createSecureExporters } from '../../exporters/secure-exporters';
import { PrivacyLogRecordProcessor } from '../../processors/logs/privacy-log-record-processor';
import { PrivacyMetricReader } from '../../processors/metrics/privacy-metric-reader';
import { PrivacySpanProcessor } from '../../processors/traces/privacy-span-processor';
import { OTLP_REQUESTS } from '../../scripts/otlp-inventory';
import { CapturingLogger } from '../helpers/capturing-logger';
import { resetTlsReceiverSuite, startTlsReceiverSuite, stopTlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { TlsReceiverSuite } from '../helpers/tls-receiver-suite';
import { SDK_LINES, sdkTraceVersion } from '../processors/sdk-internals/sdk-lines';
import {
  ALL_FIELDS,
  CANARY_POLICY_FILE,
  EXTRA_CANARIES,
  EXPONENTIAL_INSTRUMENT,
  appWritableFields,
  canaryPolicy,
  canaryRecorder,
  checkOutcome,
  checkOutcomes,
  collect,
  generateOtlpJson,
  leaks,
  resourceAttributes,
  schemaUrlOf,
  textOf,
  textual,
  writeFieldCanaries,
} from './field-canaries';
import type { CanaryApi } from './field-canaries';

// A different canary (a fake e-mail address) in every OTLP field an application can write, sent with the default
// policy through real SDK providers of both supported lines (3.x from the dev install, 2.x from test/peers/), the
// privacy processors and the secure exporter (mTLS, TLS 1.3) to a receiver that decodes the OTLP bytes; and in every
// inventoried field of OTLP/JSON read by `otel-privacy scan`. The fields come from the inventory
// (engine/otlp-fields.ts): a field without a writer fails the suite. Writers, searches and outcome checks are shared
// with the register-hook run (register-field-canaries.test.ts) in field-canaries.ts.

type Json = Record<string, unknown>;
const SERVICE = `field-canaries-${randomBytes(4).toString('hex')}`;

let suite: TlsReceiverSuite;
const hmacKeyBefore = process.env.OTEL_PRIVACY_HMAC_KEY;

beforeAll(async () => {
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${randomBytes(32).toString('base64')}`;
  suite = await startTlsReceiverSuite('otel-privacy-field-canaries-');
});
afterAll(async () => {
  await stopTlsReceiverSuite(suite);
  if (hmacKeyBefore === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = hmacKeyBefore;
});

describe.each(SDK_LINES)(
  'a canary in every OTLP field an application can write ($name providers → privacy processors → secure exporter)',
  (line) => {
    it('runs on the line it names', () => {
      expect(Number(sdkTraceVersion(line).split('.')[0])).toBe(line.major);
    });

    it('no canary reaches the receiver, and every field was masked, dropped, pseudonymized or filtered', async () => {
      const { TracerProvider, BatchSpanProcessor } = line.trace();
      const { LoggerProvider, SimpleLogRecordProcessor } = line.logs();
      const { MeterProvider, AggregationType } = line.metrics();
      const { resourceFromAttributes } = line.resources();
      const { trace, context, createTraceState } = line.api();
      const policy = canaryPolicy();
      const exporters = createSecureExporters({
        endpoint: suite.receiver.url,
        tls: { ca: suite.pki.ca.certPath, cert: suite.pki.client.certPath, key: suite.pki.client.keyPath },
        env: {},
        logger: new CapturingLogger(),
        retry: { initialMillis: 20, maxMillis: 100, maxElapsedMillis: 2000 },
      });
      const { written, text } = canaryRecorder();
      try {
        const resource = (signal: 'traces' | 'logs' | 'metrics', schemaUrlField: Parameters<typeof text>[0]) =>
          resourceFromAttributes(
            signal === 'traces' ? resourceAttributes(SERVICE, signal, text) : { 'service.name': SERVICE },
            { schemaUrl: schemaUrlOf(schemaUrlField, signal, text) },
          );
        const tracing = new TracerProvider({
          resource: resource('traces', 'ResourceSpans.schema_url'),
          spanProcessors: [
            new PrivacySpanProcessor({
              policy,
              next: new BatchSpanProcessor({ exporter: exporters.traces, scheduledDelayMillis: 10 }),
            }),
          ],
        });
        const logging = new LoggerProvider({
          resource: resource('logs', 'ResourceLogs.schema_url'),
          processors: [
            new PrivacyLogRecordProcessor({
              policy,
              next: new SimpleLogRecordProcessor({ exporter: exporters.logs }),
            }),
          ],
        });
        const reader = new PrivacyMetricReader({ policy, exporter: exporters.metrics, exportIntervalMillis: 60_000 });
        const metering = new MeterProvider({
          resource: resource('metrics', 'ResourceMetrics.schema_url'),
          readers: [reader],
          views: [
            { instrumentName: EXPONENTIAL_INSTRUMENT, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
          ],
        });
        const api: CanaryApi = {
          tracer: (name, version, options) => tracing.getTracer(name, version, options) as Tracer,
          logger: (name, version, options) =>
            logging.getLogger(name, version, options as Parameters<typeof logging.getLogger>[2]),
          meter: (name, version, options) => metering.getMeter(name, version, options) as Meter,
          createTraceState,
          withSpanContext: (spanContext) => trace.setSpanContext(context.active(), spanContext),
          exponentialHistograms: true,
        };
        writeFieldCanaries(api, text);

        await Promise.all([tracing.forceFlush(), logging.forceFlush(), metering.forceFlush()]);
        await Promise.all([tracing.shutdown(), logging.shutdown(), metering.shutdown()]);
        await suite.receiver.waitFor(
          () => (['traces', 'logs', 'metrics'] as const).every((s) => suite.receiver.requestsOf(s).length > 0),
          10_000,
          'all three signals',
        );

        // Every field an application can write got its canary (the list comes from the inventory).
        const writable = appWritableFields();
        expect(writable.filter((id) => !written.has(id))).toEqual([]);
        expect([...written.keys()].filter((id) => !writable.includes(id))).toEqual([]);

        const requests = suite.receiver.requests;
        const raw = Buffer.concat(requests.map((r) => r.bytes));
        const decoded = JSON.stringify(requests.map((r) => r.decoded));
        expect(leaks([...written.keys(), ...EXTRA_CANARIES], raw, decoded)).toEqual([]);
        expect(checkOutcomes(written, requests, policy)).toEqual([]);
        // Nothing was dropped whole: every item arrived (a canary can only be found sanitized if it arrived).
        expect(policy.counters.dropped).toEqual({
          traces: { failed: 0, rateLimited: 0 },
          metrics: { failed: 0, rateLimited: 0 },
          logs: { failed: 0, rateLimited: 0 },
          resource: { failed: 0, rateLimited: 0 },
        });
        process.stdout.write(
          `${line.name} path: ${written.size} fields poked, ${leaks([...written.keys(), ...EXTRA_CANARIES], raw, decoded).length} leaked\n`,
        );
      } finally {
        await resetTlsReceiverSuite(suite, [exporters]);
      }
    });
  },
);

describe('the SDK-path writers', () => {
  it.todo(
    'bytes with a finding under a key the policy keeps for bytes (covered in test/engine/value-channels.test.ts, not yet here; keys with findings under kept keys are written above)',
  );
});

describe('a canary in every inventoried OTLP field, through `otel-privacy scan`', () => {
  it('writes no canary, and every field was masked, dropped, pseudonymized or filtered; --fail-on-findings exits 1', async () => {
    const policy = canaryPolicy();
    const requests = (['traces', 'metrics', 'logs'] as const).map((signal) => {
      const written = new Set<string>();
      return { signal, written, request: generateOtlpJson(OTLP_REQUESTS[signal], written) };
    });
    const textualFields = ALL_FIELDS.filter(textual);
    expect(ALL_FIELDS.filter((id) => !requests.some((r) => r.written.has(id)))).toEqual([]);
    const unknownFields = [...new Set(requests.flatMap((r) => [...r.written]))].filter(
      (id) => id.endsWith('.future_text') || id.endsWith('.scalar'),
    );
    expect(unknownFields.length).toBeGreaterThan(20);
    const input = join(suite.work, 'canaries.jsonl');
    const output = join(suite.work, 'canaries-clean.jsonl');
    writeFileSync(input, requests.map((r) => JSON.stringify(r.request)).join('\n'));
    expect(await runScan(['--in', input, '--out', output, '--fail-on-findings', '--json'])).toBe(1);

    const clean = readFileSync(output);
    const identifiers = ALL_FIELDS.filter((id) => !textual(id));
    const leaked = leaks([...textualFields, ...identifiers, ...unknownFields], clean, clean.toString('utf8'));
    expect(leaked).toEqual([]);
    const lines = clean.toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    const complaints: string[] = [];
    requests.forEach(({ signal, written }, i) => {
      const found = new Map<string, unknown[]>();
      collect(OTLP_REQUESTS[signal], JSON.parse(lines[i]), found);
      for (const id of textualFields) {
        if (!written.has(id)) continue;
        const complaint = checkOutcome(id, found, policy, signal);
        if (complaint !== undefined) complaints.push(`${signal} ${complaint}`);
      }
    });
    expect(complaints).toEqual([]);
    process.stdout.write(`scan path: ${textualFields.length} text fields poked, ${leaked.length} leaked\n`);
  });

  it('--fail-on-findings exits 1 on a logs file whose only findings are in log metadata', async () => {
    const input = join(suite.work, 'logs.jsonl');
    writeFileSync(
      input,
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { eventName: textOf('LogRecord.event_name'), severityText: 'INFO', body: { stringValue: 'ok' } },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(await runScan(['--in', input, '--fail-on-findings'])).toBe(1);
    writeFileSync(
      input,
      JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ eventName: 'checkout' }] }] }] }),
    );
    expect(await runScan(['--in', input, '--fail-on-findings'])).toBe(0);
  });

  it('--fail-on-findings exits 1 on a logs file when values.action drops the values with findings', async () => {
    const policyFile = join(suite.work, 'drop-findings.yaml');
    writeFileSync(policyFile, 'version: 1\nextends: default\nvalues:\n  action: drop\n');
    const input = join(suite.work, 'logs-drop.jsonl');
    const output = join(suite.work, 'logs-drop-clean.jsonl');
    // The body is the only value with a finding, and it is dropped: only the engine's count of findings knows.
    const record = { body: { stringValue: textOf('LogRecord.body') }, severityText: 'INFO' };
    writeFileSync(input, JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] }));
    const args = ['--in', input, '--out', output, '--fail-on-findings'];
    expect(await runScan(args, policyFile)).toBe(1);
    const clean = JSON.parse(readFileSync(output, 'utf8')) as {
      resourceLogs: [{ scopeLogs: [{ logRecords: [Json] }] }];
    };
    const written = clean.resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(written.body).toBeUndefined();
    expect(written.severityText).toBe('INFO');
  });
});

/** Runs `otel-privacy scan` in this process (default policy unless `policy` names a file); resolves with the exit code. */
async function runScan(args: string[], policy = CANARY_POLICY_FILE): Promise<number> {
  const sink = () => {
    const s = new PassThrough();
    s.resume();
    return s;
  };
  return scanCommand.run(['--policy', policy, ...args], {
    stdin: new PassThrough(),
    stdout: sink(),
    stderr: sink(),
  });
}
