import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SCAN_LENGTH, createValueScanner } from '../../../engine/detectors/value-scanner';
import type { ValueScannerOptions } from '../../../engine/detectors/value-scanner';

const base: ValueScannerOptions = { detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]' };

describe('createValueScanner', () => {
  it('returns clean values untouched, without findings', () => {
    const s = createValueScanner(base);
    const v = 'GET /api/v1/orders?page=2 200 12ms';
    const r = s.scan(v);
    expect(r).toEqual({ value: v, findings: 0, dropped: false, types: [] });
    expect(r.value).toBe(v);
    expect(s.redact(v)).toBe(v);
    expect(s.scan('')).toEqual({ value: '', findings: 0, dropped: false, types: [] });
  });

  it('masks every finding in one value with the {type} format', () => {
    const s = createValueScanner(base);
    const r = s.scan('jane@example.com paid with 4111 1111 1111 1111 from 203.0.113.7, cc bob@example.org');
    expect(r.value).toBe(
      '[REDACTED:email] paid with [REDACTED:payment-card] from [REDACTED:ipv4], cc [REDACTED:email]',
    );
    expect(r.findings).toBe(4);
    expect(r.types).toEqual(['email', 'payment-card', 'ipv4']);
    expect(r.dropped).toBe(false);
  });

  it('supports masks without {type} and with it several times', () => {
    expect(createValueScanner({ ...base, mask: '***' }).redact('to jane@example.com')).toBe('to ***');
    expect(createValueScanner({ ...base, mask: '<{type}|{type}>' }).redact('jane@example.com')).toBe('<email|email>');
  });

  it('hashes each finding with the given function', () => {
    const s = createValueScanner({ ...base, action: 'hash', hash: (t) => `h(${t.length})` });
    expect(s.redact('a jane@example.com b 123-45-6789')).toBe('a h(16) b h(11)');
  });

  it('requires a hash function for action hash', () => {
    expect(() => createValueScanner({ ...base, action: 'hash' })).toThrow(/hash function/);
  });

  it('drops the whole value with action drop', () => {
    const s = createValueScanner({ ...base, action: 'drop' });
    expect(s.scan('mail jane@example.com')).toMatchObject({ dropped: true, findings: 1, types: ['email'] });
    expect(s.redact('mail jane@example.com')).toBeUndefined();
    expect(s.redact('nothing here')).toBe('nothing here');
  });

  it('runs only the configured detectors', () => {
    const s = createValueScanner({ ...base, detectors: ['email'] });
    expect(s.detectors).toEqual(['email']);
    expect(s.redact('jane@example.com 203.0.113.7')).toBe('[REDACTED:email] 203.0.113.7');
    expect(() => createValueScanner({ ...base, detectors: ['nope' as never] })).toThrow(/unknown detector/);
  });

  it('reports overlapping findings once, with the most specific type', () => {
    const s = createValueScanner(base);
    expect(s.scan('postgres://admin:s3cret@db.example.com:5432/app')).toMatchObject({
      value: 'postgres://[REDACTED:url-credentials]@db.example.com:5432/app',
      types: ['url-credentials'],
    });
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    expect(s.scan(`Authorization: Bearer ${jwt}`)).toMatchObject({
      value: 'Authorization: Bearer [REDACTED:jwt]',
      types: ['jwt'],
    });
  });

  it('masks what a lower-precedence finding covers beyond a higher one, under its own type', () => {
    const s = createValueScanner(base);
    // `1111jane.doe@example.com` reads as an e-mail overlapping the card's last group: it used to be discarded whole.
    expect(s.scan('payment 4111 1111 1111 1111jane.doe@example.com declined')).toMatchObject({
      value: 'payment [REDACTED:payment-card][REDACTED:email] declined',
      findings: 2,
      types: ['payment-card', 'email'],
    });
    // The host after masked userinfo is no finding (`token:s3cret@nats.example.io:4222` reads as a labeled secret).
    expect(s.scan('nats://token:s3cret@nats.example.io:4222 down')).toMatchObject({
      value: 'nats://[REDACTED:url-credentials]@nats.example.io:4222 down',
      findings: 1,
    });
  });

  it('runs custom patterns, ranked above built-ins', () => {
    const s = createValueScanner({ ...base, custom: [{ name: 'order-id', pattern: 'ORD-[0-9]{8}' }] });
    expect(s.detectors[0]).toBe('order-id');
    expect(s.scan('order ORD-12345678 for jane@example.com')).toMatchObject({
      value: 'order [REDACTED:order-id] for [REDACTED:email]',
      types: ['order-id', 'email'],
    });
    // Custom patterns also apply to short values.
    expect(createValueScanner({ ...base, custom: [{ name: 'pin', pattern: '\\bPIN\\d{4}' }] }).redact('PIN1234')).toBe(
      '[REDACTED:pin]',
    );
  });

  it('refuses custom patterns that can backtrack catastrophically', () => {
    expect(() => createValueScanner({ ...base, custom: [{ name: 'bad', pattern: '(a+)+$' }] })).toThrow(
      /custom pattern "bad": nested quantifiers/,
    );
  });

  it('bounds the scanned length and masks the unscanned tail (fail closed)', () => {
    const s = createValueScanner({ ...base, maxScanLength: 64 });
    const head = 'mail jane@example.com ';
    const value = head + 'x'.repeat(30) + ' ' + 'y'.repeat(100);
    const r = s.scan(value);
    expect(r.value).toBe(`mail [REDACTED:email] ${'x'.repeat(30)} [REDACTED:unscanned]`);
    expect(r.types).toEqual(['email', 'unscanned']);
    expect(r.findings).toBe(2);
  });

  it('cuts at a token boundary so a secret is not split', () => {
    const s = createValueScanner({ ...base, maxScanLength: 40 });
    const value = 'a'.repeat(30) + ' jane.doe@example.com trailing';
    expect(s.redact(value)).toBe('a'.repeat(30) + ' [REDACTED:unscanned]');
  });

  it('can drop values longer than the bound', () => {
    const s = createValueScanner({ ...base, maxScanLength: 10, unscannedTail: 'drop' });
    expect(s.scan('0123456789abc')).toMatchObject({ dropped: true, types: ['unscanned'] });
    expect(s.redact('short')).toBe('short');
  });

  it('defaults to 64 KiB', () => {
    expect(DEFAULT_MAX_SCAN_LENGTH).toBe(65536);
    const s = createValueScanner(base);
    expect(s.redact('x'.repeat(65536))).toBe('x'.repeat(65536));
    expect(s.redact('x'.repeat(65537))?.endsWith('[REDACTED:unscanned]')).toBe(true);
  });

  it('remembers clean values only', () => {
    const s = createValueScanner({ ...base, cleanCacheSize: 2 });
    for (let round = 0; round < 3; round++) {
      expect(s.redact('route /api/v1/users')).toBe('route /api/v1/users');
      expect(s.redact('from 203.0.113.7')).toBe('from [REDACTED:ipv4]');
      expect(s.redact('service checkout')).toBe('service checkout');
      expect(s.redact('host api.example.com')).toBe('host api.example.com');
    }
    const uncached = createValueScanner({ ...base, cleanCacheSize: 0 });
    expect(uncached.redact('jane@example.com')).toBe('[REDACTED:email]');
    expect(uncached.redact('plain')).toBe('plain');
  });

  it('rejects a non-positive maxScanLength', () => {
    expect(() => createValueScanner({ ...base, maxScanLength: 0 })).toThrow(/maxScanLength/);
  });
});
