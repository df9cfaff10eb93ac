import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy, privacySampler } from '../../../index';

describe('sampling from the policy', () => {
  it('privacySampler applies traces.sampling: ratio, rules and the ot=th tracestate', async () => {
    const policy = definePolicy({
      version: 1,
      traces: { sampling: { ratio: 0.25, rules: [{ spanName: 'GET /health*', ratio: 0 }] } },
    });
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      sampler: privacySampler(policy),
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const tracer = provider.getTracer('t');
    for (let i = 0; i < 4000; i++) tracer.startSpan(i % 2 ? 'GET /orders' : 'GET /healthz').end();
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    expect(spans.every((s) => s.name === 'GET /orders')).toBe(true);
    // 2000 candidates at 25 %: mean 500, sd ≈ 19.4; 4 sd either way.
    expect(spans.length).toBeGreaterThan(500 - 78);
    expect(spans.length).toBeLessThan(500 + 78);
    expect(new Set(spans.map((s) => s.spanContext().traceState?.get('ot')))).toEqual(new Set(['th:c']));
  });

  it('maxPerSecond drops spans beyond the rate before next sees them, counts them, and keepErrors exempts errors', async () => {
    const policy = definePolicy({ version: 1, traces: { sampling: { maxPerSecond: 100, keepErrors: true } } });
    const exporter = new InMemorySpanExporter();
    const seen: string[] = [];
    const provider = new TracerProvider({
      spanProcessors: [
        new PrivacySpanProcessor({
          policy,
          next: [
            new SimpleSpanProcessor({ exporter }),
            { onStart() {}, onEnd: (s) => seen.push(s.name), forceFlush: async () => {}, shutdown: async () => {} },
          ],
        }),
      ],
    });
    const tracer = provider.getTracer('t');
    // A burst of 10 000 spans; every 10th is an error.
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) {
      const span = tracer.startSpan(i % 10 === 0 ? 'error' : 'ok');
      if (i % 10 === 0) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    await provider.forceFlush();
    const names = exporter.getFinishedSpans().map((s) => s.name);
    expect(names.filter((n) => n === 'error')).toHaveLength(1000);
    const ok = names.filter((n) => n === 'ok').length;
    expect(ok).toBeGreaterThanOrEqual(100);
    // The bucket starts with one second's worth and refills at 100/s while the burst runs.
    expect(ok).toBeLessThanOrEqual(100 + Math.ceil(elapsedSeconds * 100) + 1);
    expect(seen).toHaveLength(names.length);
    expect(policy.counters.dropped.traces.rateLimited).toBe(9000 - ok);
  });
});
