import { context, createTraceState, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import type { SpanContext } from '@opentelemetry/api';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import {
  BatchLogRecordProcessor,
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, definePolicy } from '../../../index';

// A log record hands on only objects of the library's own: the attributes, the body and the span context the
// application passed to `emit` (and still holds) are changed after the record was emitted — before a
// BatchLogRecordProcessor exports it, or before an in-memory exporter's records are serialized — and the OTLP output
// (JSON and protobuf) must not carry the change. Generated: which object × which change, behind Simple and Batch.

const KEY = 'fake-hmac-key-for-after-emit-tests-0123456789';
beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = KEY;
});
afterAll(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

const CANARY = 'jane.doe@example.com';
const CANARY_BYTES = new TextEncoder().encode('jane.doe');

function leaks(bytes: Uint8Array | string): string[] {
  const text = (typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1')).toLowerCase();
  return ['jane.doe', 'amfuzs5kb2u' /* base64 of the canary bytes */].filter((c) => text.includes(c));
}

interface Emitted {
  attributes: Record<string, unknown>;
  body: Record<string, unknown>;
  spanContext: SpanContext;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** The places a value can sit in (top level, in a map, in an array, bytes) × attributes or body. */
const PLACES: { name: string; apply(e: Emitted): void }[] = (['attributes', 'body'] as const).flatMap((where) => [
  { name: `${where}: value`, apply: (e: Emitted) => ((e[where] as Loose)['app.s'] = CANARY) },
  { name: `${where}: new key`, apply: (e: Emitted) => ((e[where] as Loose)['app.new'] = CANARY) },
  { name: `${where}: map entry`, apply: (e: Emitted) => ((e[where] as Loose)['app.m'].inner = CANARY) },
  { name: `${where}: map in map`, apply: (e: Emitted) => ((e[where] as Loose)['app.m'].deeper.x = CANARY) },
  { name: `${where}: array element`, apply: (e: Emitted) => ((e[where] as Loose)['app.arr'][0] = CANARY) },
  { name: `${where}: array in map`, apply: (e: Emitted) => ((e[where] as Loose)['app.m'].arr[0] = CANARY) },
  { name: `${where}: map in array`, apply: (e: Emitted) => ((e[where] as Loose)['app.arr'][1].y = CANARY) },
  { name: `${where}: bytes`, apply: (e: Emitted) => (e[where] as Loose)['app.b'].set(CANARY_BYTES) },
]);

const MUTATIONS = [
  ...PLACES,
  { name: 'span context: trace id', apply: (e: Emitted) => ((e.spanContext as Loose).traceId = CANARY) },
  { name: 'span context: span id', apply: (e: Emitted) => ((e.spanContext as Loose).spanId = CANARY) },
  {
    name: 'span context: trace state',
    apply: (e: Emitted) => (e.spanContext.traceState = createTraceState(`x=${CANARY}`)),
  },
];

function values(): Record<string, unknown> {
  return {
    'app.s': 'ok',
    'app.m': { inner: 'ok', deeper: { x: 'ok' }, arr: ['ok'] },
    'app.arr': ['ok', { y: 'ok' }],
    'app.b': new Uint8Array(8).fill(0x61),
  };
}

describe('PrivacyLogRecordProcessor: only objects of its own reach the exporter', () => {
  it.each(
    (['simple', 'batch'] as const).flatMap((downstream) => MUTATIONS.map((m) => ({ downstream, m, name: m.name }))),
  )('$downstream: $name changed after emit', async ({ downstream, m }) => {
    const policy = definePolicy({
      version: 1,
      name: 'after-emit',
      extends: 'default',
      logs: { attributes: { allow: ['app.*', 'log.body.*'] } },
      values: {},
    });
    const exporter = new InMemoryLogRecordExporter();
    const next =
      downstream === 'simple'
        ? new SimpleLogRecordProcessor({ exporter })
        : new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 60_000 });
    const provider = new LoggerProvider({ processors: [new PrivacyLogRecordProcessor({ policy, next })] });
    const emitted: Emitted = {
      attributes: values(),
      body: values(),
      spanContext: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1, isRemote: true },
    };
    provider.getLogger('after-emit').emit({
      body: emitted.body,
      attributes: emitted.attributes,
      context: trace.setSpanContext(context.active(), emitted.spanContext),
    });
    m.apply(emitted);
    await provider.forceFlush();
    const records = exporter.getFinishedLogRecords();
    expect(records).toHaveLength(1);
    const json = JsonLogsSerializer.serializeRequest(records)!;
    const proto = ProtobufLogsSerializer.serializeRequest(records)!;
    expect({ json: leaks(json), proto: leaks(proto) }).toEqual({ json: [], proto: [] });
    // the values were kept (allowed), not dropped: the test would see a change if one were handed on
    expect(Buffer.from(json).toString()).toContain('"inner"');
    await provider.shutdown();
  });
});

describe('PrivacyLogRecordProcessor: records of one span, its span context changed between them', () => {
  // The records of one span carry the same span context object; the processor exports one copy of it for them while
  // it still holds what the copy was made from. Oracle: the same records, each emitted with a new object holding the
  // same fields (a copy made per record). Changes between records, generated: ids, flags (a byte or not, not a
  // number), `isRemote` (a boolean or not), a trace state set or removed.
  const hex = (n: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: n, maxLength: n });
  const change = fc.oneof(
    fc.constant((_: Loose) => undefined),
    hex(32)
      .filter((id) => /[^0]/.test(id))
      .map((id) => (sc: Loose) => void (sc.traceId = id)),
    hex(16)
      .filter((id) => /[^0]/.test(id))
      .map((id) => (sc: Loose) => void (sc.spanId = id)),
    fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant('1')).map((f) => (sc: Loose) => void (sc.traceFlags = f)),
    fc.constantFrom(true, false, undefined, 'yes').map((r) => (sc: Loose) => void (sc.isRemote = r)),
    fc
      .constantFrom(undefined, 'ot=th:8', 'vendor=fake')
      .map((t) => (sc: Loose) => void (sc.traceState = t === undefined ? undefined : createTraceState(t))),
  );
  const exported = (r: { spanContext?: SpanContext }) => {
    const sc = r.spanContext;
    return sc && { ...sc, traceState: sc.traceState?.serialize() };
  };

  it('exports what a copy per record exports', async () => {
    const policy = definePolicy({ version: 1, name: 'one-span', extends: 'default' });
    const pipeline = () => {
      const exporter = new InMemoryLogRecordExporter();
      const next = new SimpleLogRecordProcessor({ exporter });
      const provider = new LoggerProvider({ processors: [new PrivacyLogRecordProcessor({ policy, next })] });
      return { exporter, provider, logger: provider.getLogger('one-span') };
    };
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 8 }), async (changes) => {
        const shared = pipeline();
        const fresh = pipeline();
        const sc: Loose = { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 };
        const inSpan = trace.setSpanContext(context.active(), sc);
        for (const apply of changes) {
          apply(sc);
          shared.logger.emit({ body: 'fake', context: inSpan });
          fresh.logger.emit({ body: 'fake', context: trace.setSpanContext(context.active(), { ...sc }) });
        }
        await shared.provider.forceFlush();
        await fresh.provider.forceFlush();
        const got = shared.exporter.getFinishedLogRecords().map(exported);
        expect(got).toEqual(fresh.exporter.getFinishedLogRecords().map(exported));
        expect(got).toHaveLength(changes.length);
        await shared.provider.shutdown();
        await fresh.provider.shutdown();
      }),
      { numRuns: 150 },
    );
  });
});
