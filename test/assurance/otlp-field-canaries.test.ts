import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { SpanStatusCode, TraceFlags, context, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCommand } from '../../cli/commands/scan';
import { OTLP_FIELDS, jsonFieldName } from '../../engine/otlp-fields';
import type { OtlpFieldId } from '../../engine/otlp-fields';
import { createSecureExporters } from '../../exporters/secure-exporters';
import { defaultPolicy } from '../../policy/load-policy';
import type { Policy } from '../../policy/policy';
import { PrivacyLogRecordProcessor } from '../../processors/logs/privacy-log-record-processor';
import { PrivacyMetricReader } from '../../processors/metrics/privacy-metric-reader';
import { PrivacySpanProcessor } from '../../processors/traces/privacy-span-processor';
import { loadOtlpRoot, OTLP_REQUESTS } from '../../scripts/otlp-inventory';
import { CapturingLogger } from '../helpers/capturing-logger';
import { resetTlsReceiverSuite, startTlsReceiverSuite, stopTlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { TlsReceiverSuite } from '../helpers/tls-receiver-suite';

// A different canary (a fake e-mail address) in every OTLP field an application can write, sent with the default
// policy through real SDK 3.x providers, the privacy processors and the secure exporter (mTLS, TLS 1.3) to a
// receiver that decodes the OTLP bytes; and in every inventoried field of OTLP/JSON read by `otel-privacy scan`.
// The fields come from the inventory (engine/otlp-fields.ts): a field without a writer here fails the suite.

type Signal = keyof typeof OTLP_REQUESTS;
type Json = Record<string, unknown>;
const root = loadOtlpRoot();
const ALL_FIELDS = Object.keys(OTLP_FIELDS) as OtlpFieldId[];
const SERVICE = `field-canaries-${randomBytes(4).toString('hex')}`;

const slug = (id: string): string => id.toLowerCase().replace(/[._]/g, '-');
/** The canary of a field: a fake e-mail address naming it. */
const canaryOf = (id: string): string => `canary-${slug(id)}@example.test`;
/** The text written into a field: a tag that survives masking, then the canary. */
const tagOf = (id: string): string => `t-${slug(id)}`;
const textOf = (id: string): string => `${tagOf(id)} ${canaryOf(id)}`;
const MASKED = (id: string): string => `${tagOf(id)} [REDACTED:email]`;

/** Whether a field's canary can be text: identifiers are bytes the SDK makes from hex ids. */
const textual = (id: OtlpFieldId): boolean => OTLP_FIELDS[id].class !== 'identifier';

/** What must have happened to a field: its canary masked in place, the field (or its entry) dropped, hashed, filtered. */
type Outcome =
  | { readonly kind: 'masked' }
  | { readonly kind: 'dropped' }
  | { readonly kind: 'pseudonymized'; readonly key: string }
  | { readonly kind: 'filtered' };

/**
 * The outcome of a `rules` field depends on the key it was written under; these are the keys the writers below
 * use (the default policy allows `http.route`, `code.*`, `otel.scope.*`, `service.*`, hashes
 * `user.id`, has no rule for the status-message pseudo key and keeps log bodies scanned).
 */
const RULES_OUTCOMES: Partial<Record<OtlpFieldId, Outcome>> = {
  'AnyValue.array_value': { kind: 'masked' },
  'AnyValue.kvlist_value': { kind: 'masked' },
  'ArrayValue.values': { kind: 'masked' },
  'KeyValueList.values': { kind: 'masked' },
  'KeyValue.key': { kind: 'dropped' },
  'KeyValue.value': { kind: 'pseudonymized', key: 'user.id' },
  'InstrumentationScope.attributes': { kind: 'masked' },
  'Resource.attributes': { kind: 'masked' },
  'Span.attributes': { kind: 'masked' },
  'Span.Event.attributes': { kind: 'masked' },
  'Span.Link.attributes': { kind: 'masked' },
  'Status.message': { kind: 'dropped' },
  'NumberDataPoint.attributes': { kind: 'masked' },
  'HistogramDataPoint.attributes': { kind: 'masked' },
  'ExponentialHistogramDataPoint.attributes': { kind: 'masked' },
  'SummaryDataPoint.attributes': { kind: 'masked' },
  'Exemplar.filtered_attributes': { kind: 'masked' },
  'LogRecord.body': { kind: 'masked' },
  'LogRecord.attributes': { kind: 'masked' },
};

/** `AnyValue.bytes_value` is written under a key the default policy does not keep (keeping bytes is another item). */
const BYTES_OUTCOME: Outcome = { kind: 'dropped' };

function expectedOutcome(id: OtlpFieldId): Outcome {
  const c = OTLP_FIELDS[id].class;
  if (id === 'AnyValue.bytes_value') return BYTES_OUTCOME;
  if (c === 'scanned' || c === 'sanitized:span-name') return { kind: 'masked' };
  if (c === 'dropped') return { kind: 'dropped' };
  if (c === 'filtered:trace-state') return { kind: 'filtered' };
  const o = RULES_OUTCOMES[id];
  if (o === undefined) throw new Error(`no expected outcome for the rules field ${id}`);
  return o;
}

/** Every value found at each inventoried field (`Message.field`) of an OTLP/JSON-shaped object. */
function collect(typeName: string, value: unknown, out: Map<string, unknown[]>): void {
  if (typeof value !== 'object' || value === null) return;
  const type = root.lookupType(`otlp.${typeName}`);
  for (const field of type.fieldsArray) {
    const v = (value as Json)[jsonFieldName(field.name)];
    if (v === undefined) continue;
    const id = `${typeName}.${field.name}`;
    const list = out.get(id) ?? [];
    out.set(id, list);
    list.push(v);
    if (field.resolvedType instanceof protobuf.Type) {
      const name = field.resolvedType.fullName.replace(/^\.otlp\./, '');
      for (const item of Array.isArray(v) ? v : [v]) collect(name, item, out);
    }
  }
}

/** Text of collected values: strings as they are, byte arrays (decoded as number lists) as latin1. */
function textOfValues(values: readonly unknown[]): string {
  return JSON.stringify(values, (_key, v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number')
      ? Buffer.from(v as number[]).toString('latin1')
      : v,
  );
}

/** The canaries (raw, base64, hex) found in the received bytes and in the decoded text. */
function leaks(ids: readonly string[], raw: Buffer, decoded: string): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const c = canaryOf(id);
    for (const needle of [c, Buffer.from(c).toString('base64'), Buffer.from(c).toString('hex')])
      if (raw.includes(needle) || raw.includes(Buffer.from(needle)) || decoded.includes(needle)) out.push(id);
  }
  return [...new Set(out)];
}

/** Checks one field's outcome in the collected values; returns a complaint or undefined. */
function checkOutcome(
  id: OtlpFieldId,
  found: Map<string, unknown[]>,
  policy: Policy,
  signal: Signal,
): string | undefined {
  const values = found.get(id) ?? [];
  const text = textOfValues(values);
  const outcome = expectedOutcome(id);
  switch (outcome.kind) {
    case 'masked':
      return text.includes(MASKED(id)) ? undefined : `${id}: expected "${MASKED(id)}" there, found ${text}`;
    case 'dropped':
      return text.includes(tagOf(id)) ? `${id}: expected dropped, found ${text}` : undefined;
    case 'pseudonymized': {
      const pseudonym = policy.sanitizer(signal).sanitizeValue(outcome.key, textOf(id));
      return typeof pseudonym === 'string' && /^k0:[A-Za-z0-9_-]{22}$/.test(pseudonym) && text.includes(pseudonym)
        ? undefined
        : `${id}: expected the pseudonym ${String(pseudonym)}, found ${text}`;
    }
    case 'filtered':
      return text.includes(canaryOf(id)) || !text.includes('ot=th:8')
        ? `${id}: expected only the ot member, found ${text}`
        : undefined;
  }
}

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

describe('a canary in every OTLP field an application can write (SDK 3.x → privacy processors → secure exporter)', () => {
  it('no canary reaches the receiver, and every field was masked, dropped, pseudonymized or filtered', async () => {
    const policy = defaultPolicy();
    const exporters = createSecureExporters({
      endpoint: suite.receiver.url,
      tls: { ca: suite.pki.ca.certPath, cert: suite.pki.client.certPath, key: suite.pki.client.keyPath },
      env: {},
      logger: new CapturingLogger(),
      retry: { initialMillis: 20, maxMillis: 100, maxElapsedMillis: 2000 },
    });
    const written = new Map<OtlpFieldId, Signal>();
    const text = (id: OtlpFieldId, signal: Signal): string => {
      written.set(id, signal);
      return textOf(id);
    };
    try {
      // Traces.
      const tracing = new TracerProvider({
        resource: resourceFromAttributes(
          { 'service.name': SERVICE, 'service.namespace': text('Resource.attributes', 'traces') },
          { schemaUrl: `https://schema.example/ ${text('ResourceSpans.schema_url', 'traces')}` },
        ),
        spanProcessors: [
          new PrivacySpanProcessor({
            policy,
            next: new BatchSpanProcessor({ exporter: exporters.traces, scheduledDelayMillis: 10 }),
          }),
        ],
      });
      const tracer = tracing.getTracer(
        text('InstrumentationScope.name', 'traces'),
        text('InstrumentationScope.version', 'traces'),
        { schemaUrl: `https://schema.example/ ${text('ScopeSpans.schema_url', 'traces')}` },
      );
      const vendor = (id: OtlpFieldId): TraceState =>
        new TraceState().set('ot', 'th:8').set('vendor', text(id, 'traces').replace(' ', '-'));
      const linked = {
        traceId: randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        traceFlags: TraceFlags.SAMPLED,
        traceState: vendor('Span.Link.trace_state'),
      };
      const parent = trace.setSpanContext(context.active(), {
        traceId: randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
        traceState: vendor('Span.trace_state'),
      });
      const span = tracer.startSpan(
        text('Span.name', 'traces'),
        {
          attributes: {
            'code.note': text('Span.attributes', 'traces'),
            'user.id': text('KeyValue.value', 'traces'),
            [canaryOf('KeyValue.key')]: text('KeyValue.key', 'traces'),
            'http.route': text('AnyValue.string_value', 'traces'),
            'code.tags': [text('AnyValue.array_value', 'traces')],
            'code.list': ['first', text('ArrayValue.values', 'traces')],
          },
          links: [{ context: linked, attributes: { 'http.route': text('Span.Link.attributes', 'traces') } }],
        },
        parent,
      );
      span.addEvent(text('Span.Event.name', 'traces'), { 'http.route': text('Span.Event.attributes', 'traces') });
      span.setStatus({ code: SpanStatusCode.ERROR, message: text('Status.message', 'traces') });
      span.end();

      // Logs.
      const logging = new LoggerProvider({
        resource: resourceFromAttributes(
          { 'service.name': SERVICE },
          { schemaUrl: `https://schema.example/ ${text('ResourceLogs.schema_url', 'logs')}` },
        ),
        processors: [
          new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: exporters.logs }) }),
        ],
      });
      logging
        .getLogger('field-canaries', '1.0.0', {
          schemaUrl: `https://schema.example/ ${text('ScopeLogs.schema_url', 'logs')}`,
          attributes: { 'otel.scope.note': text('InstrumentationScope.attributes', 'logs') },
        } as Parameters<LoggerProvider['getLogger']>[2])
        .emit({
          body: text('LogRecord.body', 'logs'),
          severityText: text('LogRecord.severity_text', 'logs'),
          eventName: text('LogRecord.event_name', 'logs'),
          attributes: {
            'http.route': text('LogRecord.attributes', 'logs'),
            'code.context': { note: text('AnyValue.kvlist_value', 'logs') },
            'code.details': { first: 'x', note: text('KeyValueList.values', 'logs') },
            'app.bytes': new TextEncoder().encode(text('AnyValue.bytes_value', 'logs')),
          },
        });

      // Metrics.
      const reader = new PrivacyMetricReader({ policy, exporter: exporters.metrics, exportIntervalMillis: 60_000 });
      const metering = new MeterProvider({
        resource: resourceFromAttributes(
          { 'service.name': SERVICE },
          { schemaUrl: `https://schema.example/ ${text('ResourceMetrics.schema_url', 'metrics')}` },
        ),
        readers: [reader],
        views: [{ instrumentName: 'canary.exponential', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
      });
      const meter = metering.getMeter('field-canaries', '1.0.0', {
        schemaUrl: `https://schema.example/ ${text('ScopeMetrics.schema_url', 'metrics')}`,
      });
      meter
        .createCounter(text('Metric.name', 'metrics'), {
          description: text('Metric.description', 'metrics'),
          unit: text('Metric.unit', 'metrics'),
        })
        .add(1, { 'http.route': text('NumberDataPoint.attributes', 'metrics') });
      meter.createHistogram('canary.histogram').record(3, {
        'http.route': text('HistogramDataPoint.attributes', 'metrics'),
      });
      meter.createHistogram('canary.exponential').record(3, {
        'http.route': text('ExponentialHistogramDataPoint.attributes', 'metrics'),
      });

      await Promise.all([tracing.forceFlush(), logging.forceFlush(), metering.forceFlush()]);
      await Promise.all([tracing.shutdown(), logging.shutdown(), metering.shutdown()]);
      await suite.receiver.waitFor(
        () => (['traces', 'logs', 'metrics'] as const).every((s) => suite.receiver.requestsOf(s).length > 0),
        10_000,
        'all three signals',
      );

      // Every field an application can write got its canary (the list comes from the inventory).
      const writable = ALL_FIELDS.filter((id) => OTLP_FIELDS[id].source === 'app' && textual(id));
      expect(writable.filter((id) => !written.has(id))).toEqual([]);
      expect([...written.keys()].filter((id) => !writable.includes(id))).toEqual([]);

      const requests = suite.receiver.requests;
      const raw = Buffer.concat(requests.map((r) => r.bytes));
      const decoded = JSON.stringify(requests.map((r) => r.decoded));
      expect(leaks([...written.keys()], raw, decoded)).toEqual([]);

      const complaints: string[] = [];
      for (const signal of ['traces', 'metrics', 'logs'] as const) {
        const found = new Map<string, unknown[]>();
        for (const r of suite.receiver.requestsOf(signal)) collect(OTLP_REQUESTS[signal], r.decoded, found);
        for (const [id, s] of written) {
          if (s !== signal) continue;
          const complaint = checkOutcome(id, found, policy, signal);
          if (complaint !== undefined) complaints.push(complaint);
        }
      }
      expect(complaints).toEqual([]);
      // Nothing was dropped whole: every item arrived (a canary can only be found sanitized if it arrived).
      expect(policy.counters.dropped).toEqual({
        traces: { failed: 0, rateLimited: 0 },
        metrics: { failed: 0, rateLimited: 0 },
        logs: { failed: 0, rateLimited: 0 },
        resource: { failed: 0, rateLimited: 0 },
      });
      process.stdout.write(
        `SDK path: ${written.size} fields poked, ${leaks([...written.keys()], raw, decoded).length} leaked\n`,
      );
    } finally {
      await resetTlsReceiverSuite(suite, [exporters]);
    }
  });

  it.todo(
    'bytes and keys with findings under keys the policy keeps (covered in test/engine/value-channels.test.ts, not yet here)',
  );
});

/**
 * The key a generated attribute list uses: one the default policy keeps, so the value is scanned (not a URL key:
 * the URL rules would replace a free-text value holding an email-like word with `{id}` before any scan).
 */
function keyFor(id: string): string {
  if (id === 'Resource.attributes') return 'service.namespace';
  if (id === 'InstrumentationScope.attributes') return 'otel.scope.note';
  return 'code.note';
}

const VALUE_MODEL = new Set(['AnyValue', 'ArrayValue', 'KeyValue', 'KeyValueList']);

/** The value-model fields, each written as its own attribute (into span attributes). */
function valueModelAttributes(): Json[] {
  const s = (id: string) => ({ stringValue: textOf(id) });
  return [
    { key: canaryOf('KeyValue.key'), value: s('KeyValue.key') },
    { key: 'user.id', value: s('KeyValue.value') },
    { key: 'http.route', value: s('AnyValue.string_value') },
    { key: 'code.tags', value: { arrayValue: { values: [s('AnyValue.array_value')] } } },
    { key: 'code.list', value: { arrayValue: { values: [{ stringValue: 'first' }, s('ArrayValue.values')] } } },
    { key: 'code.context', value: { kvlistValue: { values: [{ key: 'note', value: s('AnyValue.kvlist_value') }] } } },
    { key: 'code.details', value: { kvlistValue: { values: [{ key: 'note', value: s('KeyValueList.values') }] } } },
    { key: 'app.bytes', value: { bytesValue: Buffer.from(textOf('AnyValue.bytes_value')).toString('base64') } },
  ];
}

/**
 * An OTLP/JSON export request with a canary in every inventoried field reachable from it, generated from the
 * protobuf definitions and the inventory (no hand-written list of fields).
 */
function generate(typeName: string, written: Set<string>): Json {
  // A field OTLP does not define, at every level below the request (an unknown top-level field refuses the whole
  // request): scan must not copy it through.
  const out: Json = {};
  if (!(Object.values(OTLP_REQUESTS) as string[]).includes(typeName)) {
    out.futureText = canaryOf(`${typeName}.future_text`);
    written.add(`${typeName}.future_text`);
  }
  const type = root.lookupType(`otlp.${typeName}`);
  for (const field of type.fieldsArray) {
    const id = `${typeName}.${field.name}` as OtlpFieldId;
    const name = jsonFieldName(field.name);
    const resolved = field.resolvedType;
    const message = resolved instanceof protobuf.Type ? resolved.fullName.replace(/^\.otlp\./, '') : undefined;
    const one = (v: unknown) => (field.repeated ? [v] : v);
    if (!Object.hasOwn(OTLP_FIELDS, id)) {
      if (message !== undefined && !VALUE_MODEL.has(message)) out[name] = one(generate(message, written));
      else if (message === undefined) {
        // A number, enum or flag field: text there must not be copied through either.
        out[name] = one(canaryOf(`${id}.scalar`));
        written.add(`${id}.scalar`);
      }
      continue;
    }
    written.add(id);
    // Ids: a canary where an id belongs (not an id: removed); the SDK path sends real ids.
    if (OTLP_FIELDS[id].class === 'identifier') out[name] = canaryOf(id);
    else if (OTLP_FIELDS[id].class === 'filtered:trace-state') out[name] = `ot=th:8,vendor=${canaryOf(id)}`;
    else if (message === 'KeyValue') {
      const list: Json[] = [{ key: keyFor(id), value: { stringValue: textOf(id) } }];
      if (id === 'Span.attributes') {
        list.push(...valueModelAttributes());
        for (const v of ['KeyValue', 'AnyValue', 'ArrayValue', 'KeyValueList'])
          for (const f of ALL_FIELDS) if (f.startsWith(`${v}.`)) written.add(f);
      }
      out[name] = list;
    } else if (message === 'AnyValue') out[name] = { stringValue: textOf(id) };
    else out[name] = one(textOf(id));
  }
  return out;
}

describe('a canary in every inventoried OTLP field, through `otel-privacy scan`', () => {
  it('writes no canary, and every field was masked, dropped, pseudonymized or filtered; --fail-on-findings exits 1', async () => {
    const policy = defaultPolicy();
    const requests = (['traces', 'metrics', 'logs'] as const).map((signal) => {
      const written = new Set<string>();
      return { signal, written, request: generate(OTLP_REQUESTS[signal], written) };
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
async function runScan(
  args: string[],
  policy = resolve(__dirname, '../../policy/default-policy.yaml'),
): Promise<number> {
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
