import { createHmac } from 'node:crypto';
import { SpanStatusCode, TraceFlags, context, trace } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POLICY_HASH_ATTRIBUTE, PrivacySpanProcessor, decryptToken, definePolicy } from '../../../index';
import type { Policy } from '../../../index';

const KEY_A = 'fake-hmac-key-A-for-tests-0123456789abcdef';
const KEY_B = 'fake-hmac-key-B-for-tests-0123456789abcdef';
const ENC_KEY = Buffer.alloc(32, 9);

beforeEach(() => {
  process.env.TEST_HMAC_A = KEY_A;
  process.env.TEST_HMAC_B = KEY_B;
  process.env.TEST_ENC = `hex:${ENC_KEY.toString('hex')}`;
});
afterEach(() => {
  delete process.env.TEST_HMAC_A;
  delete process.env.TEST_HMAC_B;
  delete process.env.TEST_ENC;
});

const pseudonym = (v: string, key = KEY_A, id = 'k1') =>
  `${id}:${createHmac('sha256', key).update(v).digest().subarray(0, 16).toString('base64url')}`;

function makePolicy(hmacEnv = 'TEST_HMAC_A', extra: Partial<Parameters<typeof definePolicy>[0]> = {}): Policy {
  return definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: hmacEnv }, encryption: { id: 'e1', env: 'TEST_ENC' } },
    attributes: {
      allow: ['http.request.method', 'http.route', 'http.response.status_code', 'exception.type', 'link.kind'],
      hash: ['user.id'],
      encrypt: ['user.email'],
      drop: ['*password*'],
      generalize: { 'client.address': 'ip-prefix' },
    },
    resource: { allow: ['service.name'], hash: ['host.name'], drop: ['process.command_line'] },
    ...extra,
  });
}

const rawResource = () =>
  resourceFromAttributes({
    'service.name': 'checkout',
    'host.name': 'fake-host-01',
    'process.command_line': 'node app.js --db-password=hunter2',
    'os.type': 'linux',
  });

function pipeline(policy: Policy, downstream: 'simple' | 'batch' = 'simple') {
  const exporter = new InMemorySpanExporter();
  const next =
    downstream === 'simple'
      ? new SimpleSpanProcessor({ exporter })
      : new BatchSpanProcessor({ exporter, scheduledDelayMillis: 10 });
  const provider = new TracerProvider({
    resource: rawResource(),
    spanProcessors: [new PrivacySpanProcessor({ policy, next })],
  });
  return { provider, exporter, tracer: provider.getTracer('test-scope') };
}

function emitCheckoutSpan(tracer: ReturnType<TracerProvider['getTracer']>) {
  const link = {
    context: {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    },
    attributes: { 'link.kind': 'retry', 'user.id': 'fake-user-7', secret_note: 'x' },
  };
  const span = tracer.startSpan('POST /checkout', {
    attributes: {
      'http.request.method': 'POST',
      'user.id': 'fake-user-7',
      'user.email': 'fake.person@example.com',
      'client.address': '198.51.100.23',
      'app.note': 'call me at 555-0100',
    },
    links: [link],
  });
  span.setAttribute('http.response.status_code', 500);
  span.setAttribute('db.password', 'hunter2');
  span.addEvent('exception', {
    'exception.type': 'PaymentError',
    'exception.message': 'card of fake.person@example.com declined',
    'user.id': 'fake-user-7',
  });
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'declined for fake.person@example.com' });
  span.end();
  return span;
}

describe('PrivacySpanProcessor with a real TracerProvider', () => {
  for (const downstream of ['simple', 'batch'] as const) {
    it(`sanitizes attributes, events, links, status and resource (${downstream} span processor)`, async () => {
      const { provider, exporter, tracer } = pipeline(makePolicy(), downstream);
      emitCheckoutSpan(tracer);
      await provider.forceFlush();
      const [span] = exporter.getFinishedSpans();
      expect(span.name).toBe('POST /checkout');
      const { 'user.email': email, ...rest } = span.attributes;
      expect(rest).toEqual({
        'http.request.method': 'POST',
        'user.id': pseudonym('fake-user-7'),
        'client.address': '198.51.100.0',
        'http.response.status_code': 500,
      });
      expect(decryptToken(email as string, ENC_KEY, 'user.email')).toBe('fake.person@example.com');
      expect(span.events).toHaveLength(1);
      expect(span.events[0].attributes).toEqual({
        'exception.type': 'PaymentError',
        'user.id': pseudonym('fake-user-7'),
      });
      expect(span.links[0].attributes).toEqual({ 'link.kind': 'retry', 'user.id': pseudonym('fake-user-7') });
      expect(span.links[0].context.spanId).toBe('b7ad6b7169203331');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
      expect(span.resource.attributes).toEqual({
        'service.name': 'checkout',
        'host.name': pseudonym('fake-host-01'),
        [POLICY_HASH_ATTRIBUTE]: makePolicy().hash,
      });
      const serialized = JSON.stringify({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        links: span.links,
        status: span.status,
        resource: span.resource.attributes,
      });
      for (const raw of [
        'fake-user-7',
        'fake.person@example.com',
        'hunter2',
        '198.51.100.23',
        '555-0100',
        'fake-host-01',
      ])
        expect(serialized).not.toContain(raw);
      await provider.shutdown();
    });
  }

  it('gives the same pseudonym with the same key in another provider, and a different one with another key', async () => {
    const ids: unknown[] = [];
    for (const env of ['TEST_HMAC_A', 'TEST_HMAC_A', 'TEST_HMAC_B']) {
      const { provider, exporter, tracer } = pipeline(makePolicy(env));
      tracer.startSpan('op', { attributes: { 'user.id': 'fake-user-42' } }).end();
      await provider.forceFlush();
      ids.push(exporter.getFinishedSpans()[0].attributes['user.id']);
    }
    expect(ids[0]).toBe(pseudonym('fake-user-42'));
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).toBe(pseudonym('fake-user-42', KEY_B));
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('does not hash a value twice when it was set at start and is unchanged at the end', async () => {
    const { provider, exporter, tracer } = pipeline(makePolicy());
    const span = tracer.startSpan('op', { attributes: { 'user.id': 'fake-user-1' } });
    span.setAttribute('http.route', '/a');
    span.end();
    const span2 = tracer.startSpan('op', { attributes: { 'user.id': 'fake-user-1' } });
    span2.setAttribute('user.id', 'fake-user-2'); // overwritten after start: hashed at the end
    span2.end();
    await provider.forceFlush();
    const [a, b] = exporter.getFinishedSpans();
    expect(a.attributes).toEqual({ 'user.id': pseudonym('fake-user-1'), 'http.route': '/a' });
    expect(b.attributes).toEqual({ 'user.id': pseudonym('fake-user-2') });
  });

  it('recognizes start values wherever keys added later move them (integer-like keys enumerate first)', async () => {
    const { provider, exporter, tracer } = pipeline(
      makePolicy('TEST_HMAC_A', {
        attributes: { allow: ['http.route', '7'], hash: ['user.id'], encrypt: ['user.email'] },
      }),
    );
    const span = tracer.startSpan('op', {
      attributes: { 'user.id': 'fake-user-1', 'http.route': '/a', 'user.email': 'fake1@example.com' },
    });
    const encryptedAtStart = (span as unknown as ReadableSpan).attributes['user.email'];
    span.setAttribute('7', 'seven'); // enumerates before every start key from now on
    span.setAttribute('user.id', 'fake-user-2'); // replaced after start: hashed at the end, never trusted
    span.end();
    await provider.forceFlush();
    const [a] = exporter.getFinishedSpans();
    expect(Object.keys(a.attributes)).toEqual(['7', 'user.id', 'http.route', 'user.email']);
    // user.email unchanged since start: kept as encrypted then (not encrypted twice)
    expect(a.attributes).toEqual({
      '7': 'seven',
      'user.id': pseudonym('fake-user-2'),
      'http.route': '/a',
      'user.email': encryptedAtStart,
    });
    expect(encryptedAtStart).toMatch(/^enc:v1:e1:/);
  });

  it('lets another processor on the same provider see sanitized spans (onEnding) and never mutates the shared resource', async () => {
    const seenAtEnd: ReadableSpan[] = [];
    const seenAtStart: Attributes[] = [];
    const observer: SpanProcessor = {
      onStart: (span: Span) => seenAtStart.push({ ...span.attributes }),
      onEnd: (span) => seenAtEnd.push(span),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const exporter = new InMemorySpanExporter();
    const resource = rawResource();
    const provider = new TracerProvider({
      resource,
      spanProcessors: [
        new PrivacySpanProcessor({ policy: makePolicy(), next: new SimpleSpanProcessor({ exporter }) }),
        observer,
      ],
    });
    emitCheckoutSpan(provider.getTracer('t'));
    await provider.forceFlush();
    expect(seenAtStart[0]['user.email']).toMatch(/^enc:v1:e1:/);
    expect(seenAtStart[0]).not.toHaveProperty('app.note');
    expect(seenAtStart[0]['user.id']).toBe(pseudonym('fake-user-7'));
    expect(seenAtEnd).toHaveLength(1);
    expect(seenAtEnd[0].attributes).toEqual(exporter.getFinishedSpans()[0].attributes);
    expect(JSON.stringify(seenAtEnd[0].attributes)).not.toContain('fake-user-7');
    expect(seenAtEnd[0].resource.attributes['host.name']).toBe(pseudonym('fake-host-01'));
    expect(resource.attributes['host.name']).toBe('fake-host-01'); // the shared object is untouched
  });

  it('hands next a sanitized copy when the SDK does not call onEnding, keeping spanContext', async () => {
    const exporter = new InMemorySpanExporter();
    const inner = new PrivacySpanProcessor({ policy: makePolicy(), next: new SimpleSpanProcessor({ exporter }) });
    // A wrapper that forwards only onStart/onEnd, like an SDK without onEnding.
    const noOnEnding: SpanProcessor = {
      onStart: (s, c) => inner.onStart(s, c),
      onEnd: (s) => inner.onEnd(s),
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    };
    const provider = new TracerProvider({ resource: rawResource(), spanProcessors: [noOnEnding] });
    const raw = emitCheckoutSpan(provider.getTracer('t'));
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span).not.toBe(raw);
    expect(span.spanContext()).toEqual(raw.spanContext());
    expect(span.spanContext().traceFlags & TraceFlags.SAMPLED).toBe(TraceFlags.SAMPLED);
    expect(span.attributes['user.id']).toBe(pseudonym('fake-user-7'));
    expect(span.attributes).not.toHaveProperty('db.password');
    expect(span.events[0].attributes).not.toHaveProperty('exception.message');
    expect(span.status.message).toBeUndefined();
    expect(span.resource.attributes['host.name']).toBe(pseudonym('fake-host-01'));
  });

  it('keeps the status message only when the policy allows otel.status_description', async () => {
    const policy = makePolicy('TEST_HMAC_A', { attributes: { allow: ['otel.status_description'] } });
    const { provider, exporter, tracer } = pipeline(policy);
    tracer.startSpan('op').setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' }).end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
  });

  it('fails closed: a span that cannot be sanitized is dropped, counted and wiped for other processors', async () => {
    const policy = makePolicy('TEST_HMAC_A', { attributes: { allow: ['app.*'] } });
    const exporter = new InMemorySpanExporter();
    const seen: ReadableSpan[] = [];
    // A misbehaving processor ahead of ours plants a value that throws when read (after the SDK's own
    // validation), so sanitizing fails part-way through the span.
    const saboteur: SpanProcessor = {
      onStart() {},
      onEnding(span: Span) {
        if (span.name === 'bad')
          Object.defineProperty(span.attributes, 'app.payload', {
            enumerable: true,
            configurable: true,
            get() {
              throw new Error('getter exploded');
            },
          });
      },
      onEnd() {},
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const provider = new TracerProvider({
      spanProcessors: [
        saboteur,
        new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) }),
        { onStart() {}, onEnd: (s) => seen.push(s), forceFlush: async () => {}, shutdown: async () => {} },
      ],
    });
    const tracer = provider.getTracer('t');
    const span = tracer.startSpan('bad');
    span.setAttribute('app.secret_holder', 'fake-secret-value');
    span.end();
    tracer.startSpan('good', { attributes: { 'app.ok': 1 } }).end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['good']);
    expect(policy.counters.dropped.traces.failed).toBe(1);
    expect(seen.find((s) => s.name === 'bad')?.attributes).toEqual({});
  });

  it('fails closed without onEnding too: a span whose sanitized copy cannot be made is dropped and counted, never forwarded raw', async () => {
    const policy = makePolicy('TEST_HMAC_A', { attributes: { allow: ['app.*'] } });
    const exporter = new InMemorySpanExporter();
    const inner = new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) });
    // Forwards only onStart/onEnd, like an SDK without onEnding; before the end it plants a value that
    // throws when read, so making the sanitized copy fails part-way.
    const noOnEnding: SpanProcessor = {
      onStart: (s, c) => inner.onStart(s, c),
      onEnd: (s) => {
        if (s.name === 'bad')
          Object.defineProperty(s.attributes, 'app.payload', {
            enumerable: true,
            configurable: true,
            get() {
              throw new Error('getter exploded');
            },
          });
        inner.onEnd(s);
      },
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    };
    const provider = new TracerProvider({ resource: rawResource(), spanProcessors: [noOnEnding] });
    const tracer = provider.getTracer('t');
    const bad = tracer.startSpan('bad');
    bad.setAttribute('app.secret_holder', 'fake-secret-value');
    bad.setAttribute('user.id', 'fake-user-7');
    bad.end();
    tracer.startSpan('good', { attributes: { 'app.ok': 1 } }).end();
    await provider.forceFlush();
    const exported = exporter.getFinishedSpans();
    expect(exported.map((s) => s.name)).toEqual(['good']);
    expect(exported[0].attributes).toEqual({ 'app.ok': 1 });
    expect(policy.counters.dropped.traces.failed).toBe(1);
  });

  it('forwards to several next processors and propagates forceFlush/shutdown', async () => {
    const a = new InMemorySpanExporter();
    const b = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [
        new PrivacySpanProcessor({
          policy: makePolicy(),
          next: [new SimpleSpanProcessor({ exporter: a }), new SimpleSpanProcessor({ exporter: b })],
        }),
      ],
    });
    const parent = provider.getTracer('t').startSpan('parent');
    provider
      .getTracer('t')
      .startSpan('child', { attributes: { 'user.id': 'fake-9' } }, trace.setSpan(context.active(), parent))
      .end();
    parent.end();
    await provider.forceFlush();
    expect(a.getFinishedSpans().map((s) => s.name)).toEqual(['child', 'parent']);
    expect(b.getFinishedSpans()[0].attributes).toEqual({ 'user.id': pseudonym('fake-9') });
    expect(b.getFinishedSpans()[0].parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    await provider.shutdown();
    expect(a.getFinishedSpans()).toHaveLength(0); // the exporter was shut down through the chain (it resets)
  });

  it('refuses to be built without a policy or a next processor', () => {
    expect(() => new PrivacySpanProcessor({} as never)).toThrow(/options\.policy is required/);
    expect(() => new PrivacySpanProcessor({ policy: makePolicy() } as never)).toThrow(/options\.next is required/);
  });
});

describe('PrivacySpanProcessor hands next every callback, sanitized', () => {
  it('next sees onStart with the start attributes already sanitized, then onEnding and onEnd with the clean span', async () => {
    const policy = makePolicy();
    const calls: [string, Attributes][] = [];
    const recorder: SpanProcessor = {
      onStart: (s) => calls.push(['onStart', { ...(s as unknown as ReadableSpan).attributes }]),
      onEnding: (s) => calls.push(['onEnding', { ...s.attributes }]),
      onEnd: (s) => calls.push(['onEnd', { ...s.attributes }]),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const provider = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next: recorder })] });
    const span = provider.getTracer('t').startSpan('op', { attributes: { 'user.id': 'fake-user-5', 'app.raw': 'x' } });
    span.setAttribute('http.route', '/cart');
    span.end();
    await provider.forceFlush();
    const clean = { 'user.id': pseudonym('fake-user-5'), 'http.route': '/cart' };
    expect(calls).toEqual([
      ['onStart', { 'user.id': pseudonym('fake-user-5') }],
      ['onEnding', clean],
      ['onEnd', clean],
    ]);
  });
});
