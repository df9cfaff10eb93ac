import { createHmac } from 'node:crypto';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, defaultPolicy, definePolicy } from '../../index';
import type { Policy } from '../../index';

const KEY = 'fake-hmac-key-for-scanning-tests-0123456789';
beforeEach(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = KEY;
});
afterEach(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

async function exportOne(policy: Policy, name: string, attributes: Record<string, unknown>, eventName?: string) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  const span = provider.getTracer('t').startSpan(name, { attributes: attributes as never });
  if (eventName) span.addEvent(eventName);
  span.end();
  await provider.forceFlush();
  return exporter.getFinishedSpans()[0];
}

describe('value scanning and sanitizers through the span processor (default policy)', () => {
  it('sanitizes URLs, SQL and span names, and masks findings in kept values', async () => {
    const span = await exportOne(
      defaultPolicy(),
      'GET /users/4711/orders',
      {
        'url.full': 'https://jane:hunter2@shop.example/users/4711/orders?X-Amz-Signature=fakesig&page=2',
        'db.statement': "SELECT * FROM users WHERE email = 'jane.doe@example.com' AND id IN (1, 2, 3)",
        'http.route': '/users/:id/orders',
        'server.address': 'jane.doe@example.com',
      },
      'notify jane.doe@example.com',
    );
    expect(span.name).toBe('GET /users/{id}/orders');
    expect(span.attributes['url.full']).toBe(
      'https://shop.example/users/{id}/orders?X-Amz-Signature=REDACTED&page=REDACTED',
    );
    expect(span.attributes['db.statement']).toBe('SELECT * FROM users WHERE email = ? AND id IN (?)');
    expect(span.attributes['http.route']).toBe('/users/:id/orders');
    expect(span.attributes['server.address']).toBe('[REDACTED:email]');
    expect(span.events[0].name).toBe('notify [REDACTED:email]');
    expect(JSON.stringify(span.attributes)).not.toMatch(/jane|hunter2|fakesig|4711/);
  });
});

describe('values.action', () => {
  it('hash replaces each finding by its keyed pseudonym; drop removes the attribute', async () => {
    const base = {
      version: 1 as const,
      keys: { hmac: { id: 'k1', env: 'OTEL_PRIVACY_HMAC_KEY' } },
      attributes: { allow: ['app.*'] },
    };
    const hashed = await exportOne(definePolicy({ ...base, values: { detectors: ['email'], action: 'hash' } }), 'op', {
      'app.note': 'mail jane.doe@example.com now',
      'app.ok': 'fine',
    });
    const pseudonym = `k1:${createHmac('sha256', KEY).update('jane.doe@example.com').digest().subarray(0, 16).toString('base64url')}`;
    expect(hashed.attributes).toEqual({ 'app.note': `mail ${pseudonym} now`, 'app.ok': 'fine' });
    const dropped = await exportOne(definePolicy({ ...base, values: { detectors: ['email'], action: 'drop' } }), 'op', {
      'app.note': 'mail jane.doe@example.com',
      'app.ok': 'fine',
    });
    expect(dropped.attributes).toEqual({ 'app.ok': 'fine' });
  });

  it('custom patterns are found in nested values too', async () => {
    const policy = definePolicy({
      version: 1,
      attributes: { allow: ['app*'] },
      values: { detectors: [], custom: [{ name: 'order-id', pattern: 'ORD-[0-9]{8}' }] },
    });
    const span = await exportOne(policy, 'op', { app: { ref: 'see ORD-12345678', list: ['ORD-87654321', 'ok'] } });
    expect(span.attributes.app).toEqual({ ref: 'see [REDACTED:order-id]', list: ['[REDACTED:order-id]', 'ok'] });
  });
});

describe('values.unscannedTail (text beyond values.maxScanLength)', () => {
  const policy = (unscannedTail?: 'mask' | 'drop') =>
    definePolicy({
      version: 1,
      attributes: { allow: ['app.*'] },
      values: { detectors: ['email'], maxScanLength: 64, ...(unscannedTail ? { unscannedTail } : {}) },
    });
  // An email inside the scanned prefix, another one far beyond it.
  const long = `from jane.doe@example.com ${'lorem ipsum '.repeat(20)} to john.roe@example.com`;

  it('masks the tail by default (fail closed), after scanning the prefix', async () => {
    const span = await exportOne(policy(), 'op', { 'app.note': long, 'app.short': 'fine' });
    const note = String(span.attributes['app.note']);
    expect(note.startsWith('from [REDACTED:email] lorem ipsum')).toBe(true);
    expect(note.endsWith('[REDACTED:unscanned]')).toBe(true);
    expect(note.length).toBeLessThanOrEqual(64 + '[REDACTED:unscanned]'.length);
    expect(note).not.toContain('john.roe');
    expect(span.attributes['app.short']).toBe('fine');
    expect(String((await exportOne(policy('mask'), 'op', { 'app.note': long })).attributes['app.note'])).toBe(note);
  });

  it('drop removes the whole attribute when it is longer than the bound', async () => {
    const span = await exportOne(policy('drop'), 'op', { 'app.note': long, 'app.short': 'mail jane.doe@example.com' });
    expect(span.attributes).toEqual({ 'app.short': 'mail [REDACTED:email]' });
  });
});

describe('policy.counters.findings', () => {
  it('counts every finding by detector type, custom pattern and unscanned tail, and keeps totals across hot reloads', async () => {
    const doc = {
      version: 1 as const,
      attributes: { allow: ['app.*'] },
      values: {
        detectors: ['email' as const, 'payment-card' as const],
        custom: [{ name: 'order-id', pattern: 'ORD-[0-9]{8}' }],
        maxScanLength: 200,
      },
    };
    const policy = definePolicy(doc);
    expect(policy.counters.findings).toEqual({});
    const attrs = {
      'app.a': 'mail jane.doe@example.com and john.roe@example.com',
      'app.b': ['card 4111 1111 1111 1111', 'ORD-12345678'],
      'app.c': 'x'.repeat(300),
      'app.clean': 'nothing here',
    };
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const tracer = provider.getTracer('t');
    tracer.startSpan('op').setAttributes(attrs).end();
    tracer.startSpan('op').setAttributes(attrs).end(); // repeated values are scanned (and counted) again
    expect(policy.counters.findings).toEqual({ email: 4, 'payment-card': 2, 'order-id': 2, unscanned: 2 });
    // A replacement that already counted on its own contributes only what it counts for this policy.
    const next = definePolicy(doc);
    next.scanText('mail jane.doe@example.com');
    policy.replaceWith(next);
    tracer.startSpan('op').setAttributes({ 'app.a': 'mail jane.doe@example.com' }).end();
    expect(policy.counters.findings).toEqual({ email: 5, 'payment-card': 2, 'order-id': 2, unscanned: 2 });
    expect(next.counters.findings).toEqual({ email: 2 });
    expect(definePolicy({ version: 1 }).counters.findings).toEqual({});
    await provider.shutdown();
  });
});
