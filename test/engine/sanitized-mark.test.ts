import { createHmac } from 'node:crypto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POLICY_HASH_ATTRIBUTE, PrivacySpanProcessor, definePolicy, sanitizeResource } from '../../index';
import type { Policy } from '../../index';
import { SANITIZED_UNDER, markSanitized, sanitizedUnder } from '../../engine/sanitized-mark';
import { sanitizePointAttributes } from '../../processors/metrics/metric-point-attributes';
import { privacyAttributesProcessor } from '../../processors/metrics/privacy-views';

const KEY = 'fake-hmac-key-for-mark-tests-0123456789abcd';
const ENV = 'TEST_MARK_HMAC';
const pseudonym = (v: string) =>
  `k1:${createHmac('sha256', KEY).update(v).digest().subarray(0, 16).toString('base64url')}`;

beforeEach(() => {
  process.env[ENV] = KEY;
});
afterEach(() => {
  delete process.env[ENV];
});

type Doc = Parameters<typeof definePolicy>[0];
const make = (extra: Partial<Doc>): Policy =>
  definePolicy({ version: 1, keys: { hmac: { id: 'k1', env: ENV } }, ...extra });

describe('a span started under generation G and ended under G+1', () => {
  for (const onEnding of [true, false]) {
    it(`has every value decided again under G+1: name, start attributes, later attributes (${onEnding ? 'onEnding' : 'copy at onEnd'})`, async () => {
      const policy = make({ attributes: { allow: ['http.route', 'note', 'late'], hash: ['user.id'] } });
      const exporter = new InMemorySpanExporter();
      const simple = new SimpleSpanProcessor({ exporter });
      // Without onEnding the processor hands next a sanitized copy at onEnd.
      const next: SpanProcessor = onEnding
        ? simple
        : {
            onStart: (s, c) => simple.onStart(s, c),
            onEnd: (s) => simple.onEnd(s),
            forceFlush: () => simple.forceFlush(),
            shutdown: () => simple.shutdown(),
          };
      const processor = new PrivacySpanProcessor({ policy, next });
      if (!onEnding) (processor as { onEnding?: unknown }).onEnding = undefined;
      const provider = new TracerProvider({ spanProcessors: [processor] });
      const span = provider.getTracer('t').startSpan('mail fake.user@example.com', {
        attributes: { 'http.route': '/a', 'user.id': 'fake-user-9', note: 'call fake.user@example.com' },
      });
      const startGeneration = policy.generation;
      // What the start pass decided (its generation, the name, the entries it wrote) is kept in the processor's one
      // state slot on the span: no other property is added to the SDK's span object.
      expect(Object.getOwnPropertySymbols(span).map((s) => s.description)).toEqual(['otel-privacy.span-state']);
      // Under G, the start pass kept the email (no value detectors) and hashed user.id.
      expect((span as unknown as { name: string }).name).toBe('mail fake.user@example.com');
      span.setAttribute('late', 'fake.user@example.com');

      policy.replaceWith(
        make({
          attributes: { allow: ['http.route', 'note', 'late', 'user.id'] },
          values: { detectors: ['email'] },
        }),
      );
      expect(policy.generation).toBeGreaterThan(startGeneration);
      span.end();
      const [out] = exporter.getFinishedSpans();
      expect(out.name).toBe('mail [REDACTED:email]');
      expect(out.attributes).toEqual({
        'http.route': '/a',
        // Decided again from the raw start value under G+1's rules (allowed now), as a span started under G+1 gets it;
        // what G wrote (its pseudonym) is never taken as the value.
        'user.id': 'fake-user-9',
        note: 'call [REDACTED:email]',
        late: '[REDACTED:email]',
      });
      expect(out.resource.attributes[POLICY_HASH_ATTRIBUTE]).toBe(policy.hash);
      await provider.shutdown();
    });
  }

  it('is trusted only under its own generation: unchanged, a start pseudonym is kept; after any reload (even to an identical document) it is decided again', async () => {
    const policy = make({ attributes: { allow: ['http.route'], hash: ['user.id'] } });
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const span = provider.getTracer('t').startSpan('s', { attributes: { 'user.id': 'fake-user-3' } });
    // A reload to an identical document is still a new generation: the start values are decided again.
    policy.replaceWith(make({ attributes: { allow: ['http.route'], hash: ['user.id'] } }));
    span.end();
    const kept = provider.getTracer('t').startSpan('s', { attributes: { 'user.id': 'fake-user-3' } });
    kept.end();
    const [straddling, same] = exporter.getFinishedSpans();
    expect(same.attributes).toEqual({ 'user.id': pseudonym('fake-user-3') });
    // Decided again from the raw value: the same pseudonym, never a pseudonym of the pseudonym.
    expect(straddling.attributes).toEqual({ 'user.id': pseudonym('fake-user-3') });
    await provider.shutdown();
  });
});

describe('a resource produced under old rules', () => {
  it('is sanitized again from its raw origin under the new generation, and is itself only while its generation is in effect', () => {
    const policy = make({ resource: { allow: ['service.name'], hash: ['host.name'] } });
    const raw = resourceFromAttributes({ 'service.name': 'cart', 'host.name': 'fake-host-7', 'fake.secret': 'x' });
    const underG = sanitizeResource(policy, raw);
    expect(underG.attributes).toEqual({
      'service.name': 'cart',
      'host.name': pseudonym('fake-host-7'),
      [POLICY_HASH_ATTRIBUTE]: policy.hash,
    });
    expect(sanitizeResource(policy, underG)).toBe(underG);
    expect(sanitizeResource(policy, raw)).toBe(underG);

    policy.replaceWith(make({ resource: { allow: ['service.name', 'host.name'] } }));
    const underNext = sanitizeResource(policy, underG);
    // From the raw origin: the raw host name under the new allow rule, not G's pseudonym of it.
    expect(underNext.attributes).toEqual({
      'service.name': 'cart',
      'host.name': 'fake-host-7',
      [POLICY_HASH_ATTRIBUTE]: policy.hash,
    });
    expect(sanitizeResource(policy, raw)).toBe(underNext);
    expect(sanitizeResource(policy, underNext)).toBe(underNext);
    // The marks are invisible to everything that reads attributes.
    expect(Object.keys(raw.attributes)).toEqual(['service.name', 'host.name', 'fake.secret']);
    expect(JSON.stringify(underNext.attributes)).not.toContain('sanitized');
  });
});

describe('a metric attribute set marked under generation G', () => {
  it('is passed through under G and processed again in full under G+1', () => {
    const policy = make({ attributes: { allow: ['http.route', 'fake.plan'], hash: ['user.id'] } });
    const views = privacyAttributesProcessor(policy);
    const marked = views.process({ 'http.route': '/a', 'fake.plan': 'pro', 'user.id': 'fake-user-5' }, {} as never);
    expect(marked).toEqual({ 'http.route': '/a', 'fake.plan': 'pro', 'user.id': pseudonym('fake-user-5') });
    expect(Object.keys(marked)).toEqual(['http.route', 'fake.plan', 'user.id']);
    expect(Object.getOwnPropertySymbols(marked)).toEqual([]);
    expect((marked as { [SANITIZED_UNDER]?: number })[SANITIZED_UNDER]).toBe(policy.generation);
    expect(sanitizePointAttributes(policy, 'meter', marked)).toBe(marked);

    policy.replaceWith(make({ attributes: { allow: ['http.route', 'user.id'] } }));
    const again = sanitizePointAttributes(policy, 'meter', marked);
    expect(again).not.toBe(marked);
    expect(again).toEqual({ 'http.route': '/a', 'user.id': pseudonym('fake-user-5') });
    // The views mark under the new generation from the next measurement.
    const next = views.process({ 'http.route': '/b', 'fake.plan': 'pro' }, {} as never);
    expect(sanitizedUnder(next)).toBe(policy.generation);
    expect(sanitizePointAttributes(policy, 'meter', next)).toBe(next);
  });
});

describe('an object that cannot take the mark', () => {
  it('a frozen object is not marked and is treated as raw: a frozen resource is sanitized every time, never passed through', () => {
    expect(markSanitized(Object.freeze({}), 1)).toBe(false);
    process.env.TEST_MARK_FROZEN_HMAC = 'fake-hmac-key-for-frozen-mark-tests-0123456789';
    try {
      const policy = definePolicy({
        version: 1,
        keys: { hmac: { id: 'k1', env: 'TEST_MARK_FROZEN_HMAC' } },
        resource: { allow: ['service.name'] },
      });
      const raw = Object.freeze(resourceFromAttributes({ 'service.name': 'cart', 'host.name': 'fake-host-3' }));
      expect(sanitizedUnder(raw)).toBeUndefined();
      for (let i = 0; i < 2; i++)
        expect(sanitizeResource(policy, raw).attributes).toEqual({
          'service.name': 'cart',
          [POLICY_HASH_ATTRIBUTE]: policy.compiled.hash,
        });
    } finally {
      delete process.env.TEST_MARK_FROZEN_HMAC;
    }
  });
});
