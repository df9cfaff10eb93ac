import { describe, it, expect } from 'vitest';
import {
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
} from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ConsistentProbabilitySampler } from '../../../processors/sampling/consistent-probability-sampler';
import type { TraceSamplingOptions } from '../../../processors/sampling/consistent-probability-sampler';
import { randomSpanId, seededRandom } from './trace-ids';

/** One in-process "service": its own provider, sampler instance, in-memory exporter and seeded ids. */
function service(name: string, sampling: TraceSamplingOptions, seed = 42) {
  const exporter = new InMemorySpanExporter();
  const next = seededRandom(seed);
  const provider = new TracerProvider({
    sampler: new ConsistentProbabilitySampler(sampling),
    idGenerator: {
      generateTraceId: () => randomSpanId(next) + randomSpanId(next),
      generateSpanId: () => randomSpanId(next),
    },
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  return { exporter, provider, tracer: provider.getTracer(name) };
}

const propagator = new W3CTraceContextPropagator();

/** Frontend (root + client span) calls backend over W3C trace context; backend makes a server span + internal child. */
function runRequests(
  count: number,
  frontend: ReturnType<typeof service>,
  backend: ReturnType<typeof service>,
): string[] {
  const traceIds: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const root = frontend.tracer.startSpan('GET /checkout', { kind: SpanKind.SERVER });
    traceIds.push(root.spanContext().traceId);
    const rootCtx = trace.setSpan(ROOT_CONTEXT, root);
    const call = frontend.tracer.startSpan('POST backend', { kind: SpanKind.CLIENT }, rootCtx);
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(rootCtx, call), headers, defaultTextMapSetter);

    // --- service boundary: only the headers cross ---
    const incoming: Context = propagator.extract(ROOT_CONTEXT, { ...headers }, defaultTextMapGetter);
    const server = backend.tracer.startSpan('POST /charge', { kind: SpanKind.SERVER }, incoming);
    const db = backend.tracer.startSpan('db.query', { kind: SpanKind.CLIENT }, trace.setSpan(incoming, server));
    db.end();
    server.end();

    call.end();
    root.end();
  }
  return traceIds;
}

function byTrace(spans: ReadableSpan[]): Map<string, ReadableSpan[]> {
  const out = new Map<string, ReadableSpan[]>();
  for (const s of spans) {
    const id = s.spanContext().traceId;
    out.set(id, [...(out.get(id) ?? []), s]);
  }
  return out;
}

describe('ConsistentProbabilitySampler in a real TracerProvider across a W3C service boundary', () => {
  it('keeps or drops whole traces together (both services parent-based, 25 %)', async () => {
    const frontend = service('frontend', { ratio: 0.25 });
    const backend = service('backend', { ratio: 0.25 });
    const n = 2_000;
    const ids = runRequests(n, frontend, backend);
    const front = byTrace(frontend.exporter.getFinishedSpans());
    const back = byTrace(backend.exporter.getFinishedSpans());

    expect([...back.keys()].sort()).toEqual([...front.keys()].sort());
    for (const id of ids) {
      const f = front.get(id) ?? [];
      const b = back.get(id) ?? [];
      expect(f.length === 0 ? 0 : 2, id).toBe(f.length);
      expect(b.length, id).toBe(f.length);
    }
    for (const spans of [...front.values(), ...back.values()]) {
      for (const s of spans) {
        expect(s.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
        expect(s.spanContext().traceState?.serialize()).toBe('ot=th:c');
      }
    }
    const kept = front.size;
    expect(Math.abs(kept - n * 0.25)).toBeLessThanOrEqual(4 * Math.sqrt(n * 0.25 * 0.75));
    await frontend.provider.shutdown();
    await backend.provider.shutdown();
  });

  it('keeps whole traces even when the downstream service is configured with a different ratio', async () => {
    const frontend = service('frontend', { ratio: 0.25 });
    const backend = service('backend', { ratio: 0.01 });
    runRequests(500, frontend, backend);
    const front = byTrace(frontend.exporter.getFinishedSpans());
    const back = byTrace(backend.exporter.getFinishedSpans());
    expect(front.size).toBeGreaterThan(0);
    expect([...back.keys()].sort()).toEqual([...front.keys()].sort());
    await frontend.provider.shutdown();
    await backend.provider.shutdown();
  });

  it('with independent consistent sampling downstream, every trace the stricter frontend keeps is kept downstream', async () => {
    const frontend = service('frontend', { ratio: 0.1, parentBased: false });
    const backend = service('backend', { ratio: 0.5, parentBased: false });
    runRequests(1_000, frontend, backend);
    const front = byTrace(frontend.exporter.getFinishedSpans());
    const back = byTrace(backend.exporter.getFinishedSpans());
    expect(front.size).toBeGreaterThan(0);
    for (const [id, spans] of front) {
      expect(spans).toHaveLength(2);
      expect(back.get(id), id).toHaveLength(2);
      for (const s of back.get(id) ?? []) expect(s.spanContext().traceState?.serialize()).toBe('ot=th:8');
    }
    expect(back.size).toBeGreaterThan(front.size);
    await frontend.provider.shutdown();
    await backend.provider.shutdown();
  });

  it('propagates vendor tracestate entries and the threshold through the provider', async () => {
    const backend = service('backend', { ratio: 0.5 });
    const headers = {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=abc,ot=th:8;rv:fedcba98765432',
    };
    const incoming = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    const span = backend.tracer.startSpan('handle', { kind: SpanKind.SERVER }, incoming);
    const out: Record<string, string> = {};
    propagator.inject(trace.setSpan(incoming, span), out, defaultTextMapSetter);
    span.end();
    expect(out.tracestate).toBe('vendor=abc,ot=th:8;rv:fedcba98765432');
    expect(out.traceparent.endsWith('-01')).toBe(true);
    expect(backend.exporter.getFinishedSpans()).toHaveLength(1);
    await backend.provider.shutdown();
  });
});
