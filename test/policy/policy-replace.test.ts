import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy } from '../../index';

const doc = (allow: string[]) => ({ version: 1 as const, attributes: { allow } });

describe('Policy.replaceWith', () => {
  it('moves every later span to the new rules at once, keeps counters, and tells listeners', async () => {
    const policy = definePolicy(doc(['http.route']));
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const tracer = provider.getTracer('t');
    const counters = policy.counters;
    const seen: string[] = [];
    const off = policy.onReplace((p) => seen.push(p.hash));

    tracer.startSpan('before', { attributes: { 'http.route': '/a', 'user.id': 'fake-user-1' } }).end();
    const next = definePolicy(doc(['user.id']));
    policy.replaceWith(next);
    tracer.startSpan('after', { attributes: { 'http.route': '/a', 'user.id': 'fake-user-1' } }).end();
    off();
    policy.replaceWith(definePolicy(doc([])));

    const [before, after] = exporter.getFinishedSpans();
    expect(before.attributes).toEqual({ 'http.route': '/a' });
    expect(after.attributes).toEqual({ 'user.id': 'fake-user-1' });
    expect(after.resource.attributes['privacy.policy.hash']).toBe(next.hash);
    expect(policy.counters).toBe(counters);
    expect(seen).toEqual([next.hash]);
    expect(() => policy.replaceWith({} as never)).toThrow(/expected a Policy/);
    await provider.shutdown();
  });
});

describe('a span that straddles Policy.replaceWith', () => {
  it('is decided entirely by the rules in effect when it ends: nothing only the old rules let out survives', async () => {
    const policy = definePolicy(doc(['http.route', 'user.id']));
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const span = provider
      .getTracer('t')
      .startSpan('straddling', { attributes: { 'http.route': '/a', 'user.id': 'fake-user-2' } });
    policy.replaceWith(definePolicy(doc(['http.route'])));
    span.end();
    expect(exporter.getFinishedSpans()[0].attributes).toEqual({ 'http.route': '/a' });
    await provider.shutdown();
  });
});
