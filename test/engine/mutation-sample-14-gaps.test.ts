import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../engine/detectors/value-scanner';
import { ipPrefix } from '../../engine/generalizers';
import { definePolicy } from '../../index';

// Behaviour the mutation sample of seed 14 (N 80, commit df9870b) found unpinned.

describe('a date-time whose fraction holds a finding, beside another finding (value-scanner.ts withTimes)', () => {
  const scanner = createValueScanner({
    detectors: 'all',
    action: 'mask',
    mask: '[{type}]',
    cleanCacheSize: 0,
    timestampPrecision: 60_000,
  });
  it('masks the date-time with the finding inside it, and only that: the text to another finding stays', () => {
    // 66589030788965 is Luhn-valid: the card detector finds it inside the fraction
    expect(scanner.scan('mail jane.doe@example.com at 2026-01-05 10:15:01,66589030788965 UTC').value).toBe(
      'mail [email] at [payment-card] UTC',
    );
    expect(scanner.scan('2026-01-05 10:15:01,66589030788965 UTC, ask jane.doe@example.com').value).toBe(
      '[payment-card] UTC, ask [email]',
    );
  });
});

describe('ipPrefix: only 64:ff9b::/96 is NAT64 (generalizers.ts)', () => {
  it('an address with only one of the two NAT64 groups keeps its /48, not an IPv4 /24 from its last groups', () => {
    expect(ipPrefix('64:abcd::102:304')).toBe('64:abcd::');
    expect(ipPrefix('abcd:ff9b::102:304')).toBe('abcd:ff9b::');
    expect(ipPrefix('64:ff9b::102:304')).toBe('64:ff9b::1.2.3.0');
  });
});

describe('a percent-encoded bracket after a password label is %5B or %5D only (labeled-secret.ts percentAt)', () => {
  const scanner = createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', cleanCacheSize: 0 });
  it('another %5x after the label is no bracket: the name goes on (passwordZ, password^), no label', () => {
    for (const text of ['password%5A=hunter2', 'password%5E=hunter2', 'user%5Bpassword%5A=hunter2'])
      expect(scanner.scan(text).value, text).toBe(text);
    expect(scanner.scan('password%5d=hunter2').value).toBe('password%5d=[labeled-secret]');
    expect(scanner.scan('user%5Bpassword%5D=hunter2').value).toBe('user%5Bpassword%5D=[labeled-secret]');
  });
});

describe('a joined array just over the join window (attribute-redactor.ts scanJoined)', () => {
  const policy = definePolicy({
    version: 1,
    attributes: { allow: ['app.*'], default: 'drop' },
    values: { detectors: 'all', action: 'mask' },
  });
  it('is read in windows: the window with the finding is kept, rewritten, and the clean element after it dropped', () => {
    // each element counts its length and one separator: 4097 > JOIN_WINDOW (4096); a card split across the first two
    const e0 = 'card 4111 1111';
    const e1 = '1111 1111';
    const e2 = 'lorem ipsum dolor sit amet '.repeat(200).slice(0, 4097 - (e0.length + 1) - (e1.length + 1) - 1);
    expect(e0.length + 1 + e1.length + 1 + e2.length + 1).toBe(4097);
    const out = policy.sanitizer('logs').sanitize({ 'app.list': [e0, e1, e2] } as never) as Record<string, unknown>;
    const v = out['app.list'] as unknown[];
    expect(v).toHaveLength(1);
    expect(String(v[0])).toContain('[REDACTED:payment-card]');
    expect(String(v[0])).not.toContain('lorem');
  });
});
