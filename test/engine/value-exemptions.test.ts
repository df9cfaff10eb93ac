import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { PolicyError, PrivacySpanProcessor, definePolicy } from '../../index';
import type { PolicyDocument } from '../../index';
import { withValueExemptions } from '../../engine/value-exemptions';

const doc = (values: PolicyDocument['values']): PolicyDocument => ({
  version: 1,
  attributes: { allow: ['app.*', 'db.*'] },
  values,
});

describe('values.allow: texts never masked', () => {
  const policy = definePolicy(
    doc({
      detectors: 'all',
      allow: ['support@example.com', { pattern: '[a-z]+@corp\\.example' }, '203.0.113.1'],
    }),
  );
  const s = policy.sanitizer('traces');

  it('keeps an allowed literal and masks the finding beside it', () => {
    expect(s.sanitize({ 'app.note': 'write support@example.com, not jane@example.org' })).toEqual({
      'app.note': 'write support@example.com, not [REDACTED:email]',
    });
  });

  it('keeps texts an allowed pattern matches, every occurrence', () => {
    expect(s.sanitize({ 'app.to': 'ops@corp.example; dev@corp.example; x@y.example.org' })).toEqual({
      'app.to': 'ops@corp.example; dev@corp.example; [REDACTED:email]',
    });
  });

  it('keeps a whole-value literal, and masks the same kind of value when not listed', () => {
    expect(s.sanitize({ 'app.ip': '203.0.113.1', 'app.other': '203.0.113.2' })).toEqual({
      'app.ip': '203.0.113.1',
      'app.other': '[REDACTED:ipv4]',
    });
  });

  it('counts no finding for an allowed text', () => {
    const p = definePolicy(doc({ detectors: 'all', allow: ['support@example.com'] }));
    p.sanitizer('traces').sanitize({ 'app.note': 'support@example.com' });
    expect(p.counters.findings.email ?? 0).toBe(0);
  });

  it('a stand-in a mask covers stays masked (fail closed)', () => {
    const scan = withValueExemptions((v) => v.replace(/x.*/s, '[MASK]'), { allow: ['secret-ok'] });
    expect(scan('a x secret-ok b', 'k')).toBe('a [MASK]');
    expect(scan('a secret-ok b', 'k')).toBe('a secret-ok b');
  });

  it('refuses a pattern that backtracks or matches nothing, naming the path', () => {
    expect(() => definePolicy(doc({ allow: [{ pattern: '(a+)+$' }] }))).toThrowError(PolicyError);
    expect(() => definePolicy(doc({ allow: [{ pattern: 'a*' }] }))).toThrowError(
      /values\.allow\[0\]\.pattern: matches the empty string/,
    );
    expect(() => definePolicy(doc({ allow: [''] }))).toThrowError(/values\.allow\[0\]: expected a non-empty text/);
  });
});

describe('values.ignoreKeys: keys not scanned', () => {
  it('skips the detectors for matching keys only, on real spans', async () => {
    const policy = definePolicy(doc({ detectors: 'all', ignoreKeys: ['app.ticket.*'] }));
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    provider
      .getTracer('t')
      .startSpan('s', { attributes: { 'app.ticket.ref': 'INC 202-555-0143', 'app.note': 'call 202-555-0143' } })
      .end();
    const [span] = exporter.getFinishedSpans();
    expect(span.attributes).toEqual({ 'app.ticket.ref': 'INC 202-555-0143', 'app.note': 'call [REDACTED:phone]' });
    await provider.shutdown();
  });

  it('does not keep a key the attribute rules drop', () => {
    const p = definePolicy({ ...doc({ detectors: 'all', ignoreKeys: ['*'] }), attributes: { allow: ['app.*'] } });
    expect(p.sanitizer('traces').sanitize({ 'app.a': 'jane@example.com', 'user.email': 'jane@example.com' })).toEqual({
      'app.a': 'jane@example.com',
    });
  });

  it('keeps statements sanitized: ignoreKeys skips the detectors, not the statement sanitizer', () => {
    const p = definePolicy({
      ...doc({ detectors: 'all', ignoreKeys: ['db.statement'] }),
      sanitizers: { statements: { attributes: ['db.statement'] } },
    });
    expect(
      p.sanitizer('traces').sanitize({ 'db.system': 'redis', 'db.statement': 'SET user:1 jane@example.com' }),
    ).toEqual({ 'db.system': 'redis', 'db.statement': 'SET user:? ?' });
  });
});

describe('values.masks: a mask per detector, partial masks', () => {
  const policy = definePolicy(
    doc({
      detectors: 'all',
      custom: [{ name: 'order-id', pattern: 'ORD-[0-9]{8}' }],
      masks: {
        'payment-card': { keepLast: 4 },
        email: '<email>',
        'order-id': '<{type}>',
        phone: { keepLast: 8, char: '#' },
      },
    }),
  );
  const s = policy.sanitizer('traces');

  it('keeps the last 4 digits of a card and its separators', () => {
    expect(s.sanitize({ 'app.card': 'card 4111 1111 1111 1111 ok', 'app.card2': '4111111111111111' })).toEqual({
      'app.card': 'card **** **** **** 1111 ok',
      'app.card2': '************1111',
    });
  });

  it('writes the mask text of the finding’s detector, the default mask for others', () => {
    expect(s.sanitize({ 'app.note': 'jane@example.com ORD-12345678 from 203.0.113.9' })).toEqual({
      'app.note': '<email> <order-id> from [REDACTED:ipv4]',
    });
  });

  it('masks a finding whole when a partial mask would show most of it', () => {
    expect(s.sanitize({ 'app.tel': 'call 202-555-0143' })).toEqual({ 'app.tel': 'call [REDACTED:phone]' });
  });

  it('still counts every finding', () => {
    const p = definePolicy(doc({ detectors: 'all', masks: { 'payment-card': { keepLast: 4 } } }));
    p.sanitizer('traces').sanitize({ 'app.a': '4111 1111 1111 1111', 'app.b': '5500 0000 0000 0004' });
    expect(p.counters.findings['payment-card']).toBe(2);
  });

  it('refuses an unknown detector name or a mask with another action, naming the path', () => {
    expect(() => definePolicy(doc({ masks: { cards: '<x>' } }))).toThrowError(
      /values\.masks\.cards: unknown detector "cards"/,
    );
    expect(() => definePolicy(doc({ action: 'drop', masks: { email: '<x>' } }))).toThrowError(
      /values\.masks\.email: masks apply with values\.action "mask", not "drop"/,
    );
    expect(() => definePolicy(doc({ masks: { email: { keepLast: 9 } } }))).toThrowError(PolicyError);
  });
});
