import { createTraceState } from '@opentelemetry/api';
import type { Attributes, HrTime, Link, SpanContext, TraceState } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, defaultPolicy, definePolicy, sanitizeResource } from '../../../index';
import type { Policy } from '../../../index';
import { SDK_LINES } from '../sdk-internals/sdk-lines';
import type { SdkLine } from '../sdk-internals/sdk-lines';
import { withoutOnEnding } from './without-on-ending';

// Everything a span hands on is the product's own: objects the application still holds (a link's context, the
// remote parent's context, trace states, attribute arrays, a start time) and the SDK span's own fields (which the
// application can write after `end()`) are changed after the span was sanitized — before a BatchSpanProcessor
// flushes, or before an in-memory exporter's spans are serialized — and the OTLP output (JSON and protobuf) must not
// carry them. Generated: which object × which change × when (before or after `end()`), on both end paths of
// `PrivacySpanProcessor` (in place at `onEnding`, a copy at `onEnd`) and behind Simple and Batch processors.

const KEY = 'fake-hmac-key-for-after-end-tests-0123456789';
beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = KEY;
});
afterAll(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

const CANARY = 'jane.doe@example.com';
const CARD = 4111111111111111;
const EVIL_STATE = `ot=th:0,evil=${CANARY}`;

function leaks(bytes: Uint8Array | string): string[] {
  const text = (typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1')).toLowerCase();
  return ['jane.doe', String(CARD)].filter((c) => text.includes(c));
}

/** What the application holds while its span lives. */
interface AppObjects {
  span: ReadableSpan & { end(): void };
  linkContext: SpanContext;
  linkAttributes: Attributes;
  parentContext: SpanContext;
  attributes: Attributes;
  eventAttributes: Attributes;
  startTime: HrTime;
}

/** Writes into anything, as an application can. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

interface Mutation {
  readonly name: string;
  /** Whether the change also applies before `end()` (timestamps are not sanitized: only after end). */
  readonly beforeEnd: boolean;
  /** The span may be dropped (fail closed) rather than exported. */
  readonly mayDrop?: boolean;
  apply(o: AppObjects): void;
}

const evilState = (): TraceState => createTraceState(EVIL_STATE);

// The objects the application passed in and still holds.
const APP_OBJECT_MUTATIONS: Mutation[] = [
  { name: 'link context: trace state', beforeEnd: true, apply: (o) => (o.linkContext.traceState = evilState()) },
  {
    name: 'link context: trace id',
    beforeEnd: true,
    mayDrop: true,
    apply: (o) => ((o.linkContext as Loose).traceId = CANARY),
  },
  {
    name: 'link context: span id',
    beforeEnd: true,
    mayDrop: true,
    apply: (o) => ((o.linkContext as Loose).spanId = CANARY),
  },
  { name: 'link attributes: value', beforeEnd: true, apply: (o) => (o.linkAttributes['app.l'] = CANARY) },
  {
    name: 'link attributes: array element',
    beforeEnd: true,
    apply: (o) => ((o.linkAttributes['app.larr'] as string[])[0] = CANARY),
  },
  { name: 'span attributes: value', beforeEnd: true, apply: (o) => (o.attributes['app.a'] = CANARY) },
  {
    name: 'span attributes: array element',
    beforeEnd: true,
    apply: (o) => ((o.attributes['app.arr'] as string[])[0] = CANARY),
  },
  { name: 'event attributes: value', beforeEnd: true, apply: (o) => (o.eventAttributes['app.e'] = CANARY) },
  {
    name: 'event attributes: array element',
    beforeEnd: true,
    apply: (o) => ((o.eventAttributes['app.earr'] as string[])[0] = CANARY),
  },
  { name: 'parent context: trace state', beforeEnd: true, apply: (o) => (o.parentContext.traceState = evilState()) },
  {
    name: 'parent context: span id',
    beforeEnd: true,
    mayDrop: true,
    apply: (o) => ((o.parentContext as Loose).spanId = CANARY),
  },
  {
    name: 'parent context: trace id',
    beforeEnd: true,
    mayDrop: true,
    apply: (o) => ((o.parentContext as Loose).traceId = CANARY),
  },
  { name: 'start time array', beforeEnd: false, apply: (o) => (o.startTime[0] = CARD) },
];

// The SDK span's own fields, written directly (the API cannot write them after end).
const SPAN_FIELD_MUTATIONS: Mutation[] = [
  { name: 'span.name', beforeEnd: true, apply: (o) => ((o.span as Loose).name = CANARY) },
  { name: 'span.attributes[key]', beforeEnd: true, apply: (o) => ((o.span as Loose).attributes['app.a'] = CANARY) },
  {
    name: 'span.attributes[new key]',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).attributes['app.new'] = CANARY),
  },
  {
    name: 'span.attributes[key][0]',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).attributes['app.arr'][0] = CANARY),
  },
  {
    name: 'span.attributes replaced',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).attributes = { 'app.a': CANARY }),
  },
  { name: 'span.events[0].name', beforeEnd: true, apply: (o) => ((o.span as Loose).events[0].name = CANARY) },
  {
    name: 'span.events[0].attributes',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).events[0].attributes['app.e'] = CANARY),
  },
  {
    name: 'span.events[0].attributes[key][0]',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).events[0].attributes['app.earr'][0] = CANARY),
  },
  {
    name: 'span.events[0] replaced',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).events[0] = { name: CANARY, time: [1, 0] }),
  },
  {
    name: 'span.events pushed',
    beforeEnd: true,
    apply: (o) => (o.span as Loose).events.push({ name: 'x', time: [1, 0], attributes: { 'app.e': CANARY } }),
  },
  { name: 'span.events[0].time', beforeEnd: false, apply: (o) => ((o.span as Loose).events[0].time[0] = CARD) },
  {
    name: 'span.links[0].attributes',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).links[0].attributes['app.l'] = CANARY),
  },
  {
    name: 'span.links[0].attributes[key][0]',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).links[0].attributes['app.larr'][0] = CANARY),
  },
  {
    name: 'span.links[0].context.traceState',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).links[0].context.traceState = evilState()),
  },
  {
    name: 'span.links[0].context.traceId',
    beforeEnd: true,
    mayDrop: true,
    apply: (o) => ((o.span as Loose).links[0].context.traceId = CANARY),
  },
  {
    name: 'span.links pushed',
    beforeEnd: true,
    apply: (o) =>
      (o.span as Loose).links.push({
        context: { ...o.linkContext, traceState: evilState() },
        attributes: { 'app.l': CANARY },
      }),
  },
  { name: 'span.status.message', beforeEnd: true, apply: (o) => ((o.span as Loose).status.message = CANARY) },
  {
    name: 'span.status replaced',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).status = { code: 2, message: CANARY }),
  },
  {
    name: 'span.resource.attributes',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).resource.attributes['service.name'] = CANARY),
  },
  {
    name: 'span.instrumentationScope.name',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).instrumentationScope.name = CANARY),
  },
  {
    name: 'span.instrumentationScope.version',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).instrumentationScope.version = CANARY),
  },
  {
    name: 'span.spanContext().traceState',
    beforeEnd: true,
    apply: (o) => ((o.span.spanContext() as Loose).traceState = evilState()),
  },
  {
    name: 'span.spanContext().traceId',
    beforeEnd: false,
    apply: (o) => ((o.span.spanContext() as Loose).traceId = CANARY),
  },
  {
    name: 'span.parentSpanContext.spanId',
    beforeEnd: true,
    mayDrop: true,
    apply: (o) => ((o.span as Loose).parentSpanContext.spanId = CANARY),
  },
  {
    name: 'span.parentSpanContext.traceState',
    beforeEnd: true,
    apply: (o) => ((o.span as Loose).parentSpanContext.traceState = evilState()),
  },
  { name: 'span.startTime', beforeEnd: false, apply: (o) => ((o.span as Loose).startTime[0] = CARD) },
  { name: 'span.endTime', beforeEnd: false, apply: (o) => ((o.span as Loose).endTime[0] = CARD) },
];

const MUTATIONS = [...APP_OBJECT_MUTATIONS, ...SPAN_FIELD_MUTATIONS];

type Downstream = 'simple' | 'batch';

function pipeline(policy: Policy, downstream: Downstream, withOnEnding: boolean, line: SdkLine) {
  const { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = line.trace();
  const exporter = new InMemorySpanExporter();
  const next: SpanProcessor =
    downstream === 'simple'
      ? new SimpleSpanProcessor({ exporter })
      : new BatchSpanProcessor({ exporter, scheduledDelayMillis: 60_000 });
  const inner = new PrivacySpanProcessor({ policy, next });
  // Without onEnding, like an SDK before 2.9: only onStart and onEnd reach the processor.
  const processor = withoutOnEnding(inner, withOnEnding);
  const resource = sanitizeResource(policy, line.resources().resourceFromAttributes({ 'service.name': 'checkout' }));
  const provider = new TracerProvider({ resource, spanProcessors: [processor] });
  return { provider, exporter, tracer: provider.getTracer('after-end', '1.0.0') };
}

function allowPolicy(): Policy {
  return definePolicy({
    version: 1,
    name: 'after-end',
    extends: 'default',
    attributes: { allow: ['app.*'] },
    values: {},
  });
}

/** Serializes what the exporter holds (as an OTLP exporter would at export time) and reports the canaries found. */
async function exported(p: ReturnType<typeof pipeline>) {
  await p.provider.forceFlush();
  const spans = p.exporter.getFinishedSpans();
  const json = JsonTraceSerializer.serializeRequest(spans)!;
  const proto = ProtobufTraceSerializer.serializeRequest(spans)!;
  return { count: spans.length, json: leaks(json), proto: leaks(proto) };
}

const CASES = SDK_LINES.flatMap((line) =>
  [true, false].flatMap((withOnEnding) =>
    (['simple', 'batch'] as const).flatMap((downstream) =>
      MUTATIONS.flatMap((m) =>
        (m.beforeEnd ? (['before end', 'after end'] as const) : (['after end'] as const)).map((when) => ({
          line,
          sdk: line.name,
          path: withOnEnding ? 'onEnding' : 'onEnd copy',
          withOnEnding,
          downstream,
          mutation: m,
          name: m.name,
          when,
        })),
      ),
    ),
  ),
);

describe('PrivacySpanProcessor: only objects of its own reach the exporter', () => {
  it.each(CASES)(
    '$sdk, $path, $downstream: $name changed $when',
    async ({ line, withOnEnding, downstream, mutation, when }) => {
      const { context, trace } = line.api();
      const policy = allowPolicy();
      const p = pipeline(policy, downstream, withOnEnding, line);
      const linkContext: SpanContext = {
        traceId: 'a'.repeat(32),
        spanId: 'b'.repeat(16),
        traceFlags: 1,
        traceState: createTraceState('ot=th:0'),
      };
      const parentContext: SpanContext = {
        traceId: 'c'.repeat(32),
        spanId: 'd'.repeat(16),
        traceFlags: 1,
        isRemote: true,
        traceState: createTraceState('ot=th:0'),
      };
      const linkAttributes: Attributes = { 'app.l': 'ok', 'app.larr': ['ok'] };
      const attributes: Attributes = { 'app.a': 'ok', 'app.arr': ['ok'] };
      const eventAttributes: Attributes = { 'app.e': 'ok', 'app.earr': ['ok'] };
      const startTime: HrTime = [Math.floor(Date.now() / 1000), 0];
      const link: Link = { context: linkContext, attributes: linkAttributes };
      const span = p.tracer.startSpan(
        'checkout',
        { links: [link], attributes, startTime },
        trace.setSpanContext(context.active(), parentContext),
      ) as unknown as AppObjects['span'];
      (span as Loose).addLink({ context: linkContext, attributes: linkAttributes } as Link);
      (span as Loose).addEvent('e', eventAttributes);
      (span as Loose).setStatus({ code: 2, message: 'ok' });
      const objects: AppObjects = {
        span,
        linkContext,
        linkAttributes,
        parentContext,
        attributes,
        eventAttributes,
        startTime,
      };
      // A write the product refused (into an object it froze) is a defence too: the test then checks nothing leaked.
      const apply = () => {
        try {
          mutation.apply(objects);
        } catch (err) {
          if (!(err instanceof TypeError)) throw err;
        }
      };
      if (when === 'before end') apply();
      span.end();
      if (when === 'after end') apply();
      const out = await exported(p);
      expect({ json: out.json, proto: out.proto }).toEqual({ json: [], proto: [] });
      if (mutation.mayDrop && out.count === 0) expect(policy.counters.dropped.traces.failed).toBe(1);
      else expect(out.count).toBe(1);
      await p.provider.shutdown();
    },
  );
});

/** A trace state whose `serialize()` gives a clean value the first time and a canary afterwards. */
function shiftingTraceState(): TraceState {
  let calls = 0;
  const real = createTraceState('ot=th:0');
  return {
    set: (k, v) => real.set(k, v),
    unset: (k) => real.unset(k),
    get: (k) => real.get(k),
    serialize: () => (++calls <= 1 ? 'ot=th:0' : EVIL_STATE),
  };
}

describe('PrivacySpanProcessor: a trace state is read once and replaced by one of its own', () => {
  it.each(
    SDK_LINES.flatMap((line) =>
      [true, false].flatMap((withOnEnding) =>
        (['simple', 'batch'] as const).flatMap((downstream) =>
          (['default', 'allow app.*'] as const).flatMap((policyName) =>
            (['parent', 'link', 'both'] as const).map((where) => ({
              line,
              sdk: line.name,
              withOnEnding,
              downstream,
              policyName,
              where,
            })),
          ),
        ),
      ),
    ),
  )(
    '$sdk, onEnding $withOnEnding, $downstream, $policyName policy: on the $where',
    async ({ line, withOnEnding, downstream, policyName, where }) => {
      const { context, trace } = line.api();
      const policy = policyName === 'default' ? defaultPolicy() : allowPolicy();
      const p = pipeline(policy, downstream, withOnEnding, line);
      const parentState = where === 'link' ? createTraceState('ot=th:0') : shiftingTraceState();
      const linkState = where === 'parent' ? createTraceState('ot=th:0') : shiftingTraceState();
      const parent = trace.setSpanContext(context.active(), {
        traceId: 'c'.repeat(32),
        spanId: 'd'.repeat(16),
        traceFlags: 1,
        isRemote: true,
        traceState: parentState,
      });
      const links: Link[] = [
        { context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, traceState: linkState } },
      ];
      p.tracer.startSpan('x', { links }, parent).end();
      const out = await exported(p);
      expect(out.count).toBe(1);
      expect({ json: out.json, proto: out.proto }).toEqual({ json: [], proto: [] });
      // the sampling member is still there: the trace state was filtered, not thrown away
      const [span] = p.exporter.getFinishedSpans();
      expect([span!.spanContext().traceState?.serialize(), span!.links[0]!.context.traceState?.serialize()]).toEqual([
        'ot=th:0',
        'ot=th:0',
      ]);
      await p.provider.shutdown();
    },
  );
});
