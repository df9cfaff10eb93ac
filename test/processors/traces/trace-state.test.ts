import { ROOT_CONTEXT, TraceFlags, createTraceState, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy } from '../../../index';
import type { Policy } from '../../../index';
import { privacySampler } from '../../../processors/sampling/privacy-sampler';
import { withoutOnEnding } from './without-on-ending';

// A span's trace state and its links' trace states are exported filtered by `traces.traceState` (default: only `ot`,
// which the consistent-probability sampler writes); the objects the application and the SDK share are never mutated.

const FAKE_EMAIL = 'jane.doe@example.com';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const RAW_STATE = `congo=t61rcWkgMzE,user=${FAKE_EMAIL},ot=th:0;rv:01234567abcdef,dd=s:1`;

const policy = (doc: object = {}): Policy =>
  definePolicy({ version: 1, values: { detectors: 'all' }, attributes: { allow: ['app.*'] }, ...doc });

function pipeline(p: Policy, withOnEnding = true, sampler = false) {
  const exporter = new InMemorySpanExporter();
  const inner = new PrivacySpanProcessor({ policy: p, next: new SimpleSpanProcessor({ exporter }) });
  // Without onEnding (older SDKs), the processor hands the exporter a sanitized copy instead.
  const processor = withoutOnEnding(inner, withOnEnding);
  const provider = new TracerProvider({
    spanProcessors: [processor],
    ...(sampler ? { sampler: privacySampler(p) } : {}),
  });
  return { exporter, provider, tracer: provider.getTracer('trace-state-test') };
}

/** A remote parent as the W3C propagator extracts it from incoming headers. */
function incoming(tracestate: string) {
  return new W3CTraceContextPropagator().extract(
    ROOT_CONTEXT,
    { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate },
    { get: (c, k) => (c as Record<string, string>)[k], keys: (c) => Object.keys(c as object) },
  );
}

describe.each([
  { path: 'in place (onEnding)', withOnEnding: true },
  { path: 'on a copy (no onEnding)', withOnEnding: false },
])('exported trace_state, $path', ({ withOnEnding }) => {
  it('keeps only `ot` from an incoming tracestate header, with ids and the sampled flag intact', async () => {
    const { exporter, provider, tracer } = pipeline(policy(), withOnEnding);
    const parent = incoming(RAW_STATE);
    const parentState = trace.getSpanContext(parent)!.traceState!;
    const span = tracer.startSpan('op', {}, parent);
    const before: SpanContext = span.spanContext();
    span.end();
    await provider.forceFlush();
    const [out] = exporter.getFinishedSpans();
    const sc = out.spanContext();
    expect(sc.traceState?.serialize()).toBe('ot=th:0;rv:01234567abcdef');
    expect(sc.traceId).toBe(TRACE_ID);
    expect(sc.spanId).toBe(before.spanId);
    expect(sc.traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
    expect(out.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(out.parentSpanContext?.traceState?.serialize() ?? '').not.toContain(FAKE_EMAIL);
    // what the application and the SDK share is untouched
    expect(before.traceState?.serialize()).toBe(RAW_STATE);
    expect(parentState.serialize()).toBe(RAW_STATE);
    // and the bytes the OTLP exporter would send carry no trace of it
    const bytes = Buffer.from(ProtobufTraceSerializer.serializeRequest([out])!).toString('latin1');
    expect(bytes).toContain('ot=th:0;rv:01234567abcdef');
    for (const leak of [FAKE_EMAIL, 'congo', 'dd=s:1']) expect(bytes).not.toContain(leak);
  });

  it("filters links' trace states and keeps their ids and attributes", async () => {
    const { exporter, provider, tracer } = pipeline(
      policy({ traces: { traceState: { allow: ['ot', 'dd'] } } }),
      withOnEnding,
    );
    const linked: SpanContext = {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: createTraceState(RAW_STATE),
    };
    const clean: SpanContext = { ...linked, spanId: 'c'.repeat(16), traceState: createTraceState('ot=th:8') };
    tracer
      .startSpan('op', {
        links: [{ context: linked, attributes: { 'app.kind': 'batch', 'user.email': FAKE_EMAIL } }, { context: clean }],
      })
      .end();
    await provider.forceFlush();
    const [out] = exporter.getFinishedSpans();
    expect(out.links[0].context).toEqual({
      traceId: linked.traceId,
      spanId: linked.spanId,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: expect.anything(),
    });
    expect(out.links[0].context.traceState!.serialize()).toBe('ot=th:0;rv:01234567abcdef,dd=s:1');
    expect(out.links[0].attributes).toEqual({ 'app.kind': 'batch' });
    // nothing to remove, yet a copy of its own: the application still holds `clean` and may change it
    expect(out.links[1].context).not.toBe(clean);
    expect(out.links[1].context.traceState).not.toBe(clean.traceState);
    expect(out.links[1].context.traceState!.serialize()).toBe('ot=th:8');
    expect(linked.traceState!.serialize()).toBe(RAW_STATE);
  });

  it("keeps the sampler's own `ot` member on root spans and drops members the application added", async () => {
    const p = policy({ traces: { sampling: { ratio: 0.5 } } });
    const { exporter, provider, tracer } = pipeline(p, withOnEnding, true);
    const spans: ReadableSpan[] = [];
    for (let i = 0; i < 40; i++) {
      const span = tracer.startSpan(`op${i}`);
      // no public API adds members to a live span; a context carrying one is how they arrive
      const child = tracer.startSpan(
        'child',
        {},
        trace.setSpanContext(ROOT_CONTEXT, {
          ...span.spanContext(),
          traceState: (span.spanContext().traceState ?? createTraceState()).set('app', FAKE_EMAIL.replace('@', '.')),
        }),
      );
      child.end();
      span.end();
    }
    await provider.forceFlush();
    spans.push(...exporter.getFinishedSpans());
    expect(spans.length).toBeGreaterThan(0);
    for (const s of spans) expect(s.spanContext().traceState?.serialize()).toMatch(/^ot=th:[0-9a-f]+$/);
  });
});

describe('trace_state on an SDK that keeps the span context elsewhere', () => {
  it('drops and counts the span rather than exporting the raw trace state', async () => {
    const p = policy();
    const exporter = new InMemorySpanExporter();
    const privacy = new PrivacySpanProcessor({ policy: p, next: new SimpleSpanProcessor({ exporter }) });
    // a span whose spanContext() does not read the field the processor replaces
    const hide: SpanProcessor = {
      onStart: (span) => {
        const sc = span.spanContext();
        Object.defineProperty(span, 'spanContext', { value: () => sc });
      },
      onEnd: () => {},
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const provider = new TracerProvider({ spanProcessors: [hide, privacy] });
    provider.getTracer('t').startSpan('op', {}, incoming(RAW_STATE)).end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(p.counters.dropped.traces.failed).toBe(1);
  });
});

describe('trace_state with the W3C propagator', () => {
  it('an outgoing header built from an exported span context carries only allowed members', () => {
    const p = policy();
    const filtered = p.traceStateFilter.filterTraceState(createTraceState(RAW_STATE));
    const carrier: Record<string, string> = {};
    new W3CTraceContextPropagator().inject(
      trace.setSpanContext(ROOT_CONTEXT, {
        traceId: TRACE_ID,
        spanId: PARENT_ID,
        traceFlags: 1,
        traceState: filtered,
      }),
      carrier,
      { set: (c, k, v) => ((c as Record<string, string>)[k] = v) },
    );
    expect(carrier.tracestate).toBe('ot=th:0;rv:01234567abcdef');
  });
});
