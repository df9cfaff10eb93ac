import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import fc from 'fast-check';
import { afterAll, beforeAll } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, defaultPolicy, definePolicy } from '../../../index';
import type { Policy } from '../../../index';
import { withoutOnEnding } from '../../processors/traces/without-on-ending';

/** Real SDK 3.x providers behind the privacy processors with one policy, exporting to in-memory exporters. */
export interface PrivacyPipelines {
  /** The spans exported (reset by `exportedJson`). */
  readonly spans: InMemorySpanExporter;
  /** The log records exported (reset by `exportedJson`). */
  readonly logs: InMemoryLogRecordExporter;
  readonly tracerProvider: TracerProvider;
  readonly loggerProvider: LoggerProvider;
  /** The OTLP/JSON trace request, a line break and the logs request of what was exported so far; then resets both. */
  exportedJson(): string;
  /**
   * Sends `text` as the `app.note` attribute of a span, of a span event and of a log record, and as that record's
   * body; returns every attribute key, string and number exported so far (then resets both exporters).
   */
  roundTrip(text: string): string[];
}

/** Attributes under `app.*` and log bodies kept, every value detector on (the policy outside testers send through). */
export function appValuesPolicy(): Policy {
  return definePolicy({
    version: 1,
    attributes: { allow: ['app.*'] },
    logs: { attributes: { allow: ['log.body', 'app.*'] } },
    values: { detectors: 'all' },
  });
}

/**
 * Builds the providers for `policy` now (synchronous processors: an item is exported when it ends or is emitted) and
 * registers an `afterAll` hook of the calling test file that shuts them down.
 */
export function privacyPipelines(
  policy: Policy,
  options: {
    serviceName?: string;
    /** The SDK's attribute length limit (spans, events, links and log records): values longer are cut by the SDK. */
    attributeValueLengthLimit?: number;
    /** False: the span processor is not handed `onEnding` (an SDK before 2.9): it sanitizes a copy in `onEnd`. */
    onEnding?: boolean;
  } = {},
): PrivacyPipelines {
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  const resource = options.serviceName ? resourceFromAttributes({ 'service.name': options.serviceName }) : undefined;
  const limit = options.attributeValueLengthLimit;
  const tracerProvider = new TracerProvider({
    ...(resource ? { resource } : {}),
    ...(limit !== undefined ? { spanLimits: { attributeValueLengthLimit: limit } } : {}),
    spanProcessors: [
      withoutOnEnding(
        new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) }),
        options.onEnding ?? true,
      ),
    ],
  });
  const loggerProvider = new LoggerProvider({
    ...(resource ? { resource } : {}),
    ...(limit !== undefined ? { logRecordLimits: { attributeValueLengthLimit: limit } } : {}),
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  });
  afterAll(async () => {
    await tracerProvider.shutdown();
    await loggerProvider.shutdown();
  });
  const exportedJson = (): string => {
    const json =
      Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString() +
      '\n' +
      Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!).toString();
    spans.reset();
    logs.reset();
    return json;
  };
  return {
    spans,
    logs,
    tracerProvider,
    loggerProvider,
    exportedJson,
    roundTrip(text: string): string[] {
      const span = tracerProvider.getTracer('attack').startSpan('work', { attributes: { 'app.note': text } });
      span.addEvent('note', { 'app.note': text });
      span.end();
      loggerProvider.getLogger('attack').emit({ body: text, attributes: { 'app.note': text } });
      const out: string[] = [];
      for (const line of exportedJson().split('\n'))
        JSON.parse(line, (key, value: unknown) => {
          if ((key === 'stringValue' || key === 'key') && typeof value === 'string') out.push(value);
          if ((key === 'intValue' || key === 'doubleValue') && value !== undefined) out.push(String(value));
          return value;
        });
      return out;
    },
  };
}

/**
 * `privacyPipelines` with the default policy (and `options`), for the calling test file: a fake
 * `OTEL_PRIVACY_HMAC_KEY` while it runs (restored in `afterAll`).
 */
export function defaultPolicyPipelines(options: Parameters<typeof privacyPipelines>[1] = {}): PrivacyPipelines {
  const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5a).toString('base64')}`; // fake test key
  const pipelines = privacyPipelines(defaultPolicy(), options);
  afterAll(() => {
    if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
    else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
  });
  return pipelines;
}

/** The text fields `exportedThrough` sends a value through. */
export type TextField = 'log body' | 'error.type' | 'span name' | 'event name' | 'severity text' | 'log event name';

/**
 * Sends `text` through one text field of `p` (a log body, a span's `error.type`, which the default policy keeps and
 * scans, a span name, a span event name, a log record's severity text or event name) and returns every string of the
 * OTLP/JSON requests exported.
 */
export function exportedThrough(p: PrivacyPipelines, field: TextField, text: string): string[] {
  const tracer = p.tracerProvider.getTracer('attack');
  const logger = p.loggerProvider.getLogger('attack');
  if (field === 'log body') logger.emit({ body: text });
  else if (field === 'error.type') tracer.startSpan('op', { attributes: { 'error.type': text } }).end();
  else if (field === 'span name') tracer.startSpan(text).end();
  else if (field === 'event name') {
    const span = tracer.startSpan('op');
    span.addEvent(text);
    span.end();
  } else if (field === 'severity text') logger.emit({ body: 'x', severityText: text });
  else logger.emit({ body: 'x', eventName: text });
  const out: string[] = [];
  for (const line of p.exportedJson().split('\n'))
    JSON.parse(line, (_key, value: unknown) => {
      if (typeof value === 'string') out.push(value);
      return value;
    });
  return out;
}

/** What `sendAsNames` exported: the span's name, its event's name and the log record's body (a string body). */
export interface ExportedNames {
  span: string;
  event: string;
  body: string;
}

/** Sends `text` as a span name, an event name and a log body through `p`; returns them as exported. */
export function sendAsNames(p: PrivacyPipelines, text: string): ExportedNames {
  const span = p.tracerProvider.getTracer('attack').startSpan(text);
  span.addEvent(text);
  span.end();
  p.loggerProvider.getLogger('attack').emit({ body: text });
  const [traces, logs] = p.exportedJson().split('\n');
  const t = JSON.parse(traces) as {
    resourceSpans: { scopeSpans: { spans: { name: string; events: { name: string }[] }[] }[] }[];
  };
  const l = JSON.parse(logs) as {
    resourceLogs: { scopeLogs: { logRecords: { body?: { stringValue?: string } }[] }[] }[];
  };
  const spans = t.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((x) => x.spans));
  const records = l.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((x) => x.logRecords));
  if (spans.length !== 1 || spans[0].events.length !== 1 || records.length !== 1)
    throw new Error('sendAsNames: expected one span with one event and one log record');
  return { span: spans[0].name, event: spans[0].events[0].name, body: records[0].body?.stringValue ?? '' };
}

/** Real SDK 3.x providers behind the privacy processors with the default policy, exporting to memory. */
export interface OutsideAttack {
  /** The tracer provider (set in `beforeAll`). */
  readonly tracerProvider: TracerProvider;
  /** The logger provider (set in `beforeAll`). */
  readonly loggerProvider: LoggerProvider;
  /** Runs `write` against the providers and returns what an OTLP/JSON exporter would send (spans and logs). */
  exported(write: () => void): Promise<string>;
}

/**
 * An outside attacker's view for the calling test file: registers `beforeAll`/`afterAll` hooks that build the
 * providers (with a fake HMAC key in `OTEL_PRIVACY_HMAC_KEY`) and shut them down (restoring the variable).
 */
export function outsideAttack(): OutsideAttack {
  let spans: InMemorySpanExporter;
  let logs: InMemoryLogRecordExporter;
  let tracerProvider: TracerProvider;
  let loggerProvider: LoggerProvider;
  const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
  beforeAll(() => {
    process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5a).toString('base64')}`; // fake test key
    const policy = defaultPolicy();
    spans = new InMemorySpanExporter();
    logs = new InMemoryLogRecordExporter();
    const resource = resourceFromAttributes({ 'service.name': 'outside-attack' });
    tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
    });
    loggerProvider = new LoggerProvider({
      resource,
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
    });
  });
  afterAll(async () => {
    await tracerProvider.shutdown();
    await loggerProvider.shutdown();
    if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
    else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
  });
  return {
    get tracerProvider() {
      return tracerProvider;
    },
    get loggerProvider() {
      return loggerProvider;
    },
    async exported(write: () => void): Promise<string> {
      spans.reset();
      logs.reset();
      write();
      await tracerProvider.forceFlush();
      await loggerProvider.forceFlush();
      const t = JsonTraceSerializer.serializeRequest(spans.getFinishedSpans()) as Uint8Array;
      const l = JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords()) as Uint8Array;
      return Buffer.from(t).toString() + Buffer.from(l).toString();
    },
  };
}

/**
 * Cut points: `s` split into 2 to `maxCuts + 1` non-empty pieces, cut only where `allowCut(index)` (default: anywhere).
 */
export function pieces(
  s: string,
  maxCuts = 7,
  allowCut: (index: number) => boolean = () => true,
): fc.Arbitrary<string[]> {
  const cut = fc.integer({ min: 1, max: s.length - 1 }).filter(allowCut);
  return fc.uniqueArray(cut, { minLength: 1, maxLength: maxCuts }).map((cuts) => {
    const sorted = [...cuts].sort((a, b) => a - b);
    const out: string[] = [];
    let from = 0;
    for (const c of sorted) {
      out.push(s.slice(from, c));
      from = c;
    }
    out.push(s.slice(from));
    return out;
  });
}

/**
 * OTLP/JSON `json` without its trace and span ids and its timestamps: random hex and nanosecond decimals hold any
 * short number now and then (`4711`, `40713`), so a check for one in the whole request would fail by chance.
 */
export function withoutIdsAndTimes(json: string): string {
  return json.replace(/"(?:traceId|spanId|parentSpanId|[A-Za-z]*UnixNano)":"?[0-9A-Za-z+/=]*"?/g, '');
}

/** Endings the people-route rule reads as an English noun or adjective, a route word (`retention`, `payments`). */
const ROUTE_NOUN = /(?:tion|sion|ment|ness|able|ible|ship)(?:s|es)?$/;

/**
 * A person's key or a link's token of letters as a path segment (`zqjanedoe`, `zqjane.doe`, `zqJaneDoe`): `zq` keeps
 * its first word from being a word of people's routes, and a first word with a noun's ending (`zqaments`: read as a
 * route word, as `payments` is) is not drawn, so every draw has one answer: it is a person's key.
 */
export const personKey: fc.Arbitrary<string> = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 4, maxLength: 12 }),
    fc.constantFrom('', '.', '_', '-', 'X'),
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGH'), minLength: 0, maxLength: 8 }),
  )
  .map(([a, sep, b]) => `zq${a}${b === '' ? '' : sep + b}`)
  .filter((v) => !ROUTE_NOUN.test(v.split(/[-_.]|(?<=[a-z])(?=[A-Z])/)[0]!.toLowerCase()));
