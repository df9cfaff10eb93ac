import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';

// `values.timestamps: coarsen` on the attribute redactor's paths (docs/minimization.md "What counts as a time value"),
// at the edges the mutation run of 2026-12-07 found unpinned: the shortest ISO form, digit strings with a fraction
// scanned as written before they are rounded, epoch numbers and bigints at the floor of the range, `HrTime` pairs.

const policy = definePolicy({
  version: 1,
  attributes: { allow: ['app.*'], default: 'drop' },
  values: { detectors: 'all', timestamps: 'coarsen', timestampPrecision: '1m' },
});
const sanitize = (attributes: Record<string, unknown>): Record<string, unknown> =>
  policy.sanitizer('logs').sanitize(attributes as never) as Record<string, unknown>;

describe('time values under values.timestamps: coarsen (1m)', () => {
  it('the shortest ISO form (basic, 15 characters) is rounded under any key', () => {
    expect(sanitize({ 'app.value': '20260105T101542', 'app.at': '20260105T101542Z' })).toEqual({
      'app.value': '2026-01-05T10:15:00',
      'app.at': '2026-01-05T10:15:00Z',
    });
  });

  it('a 13-digit card number in the millisecond range, with a fraction, is masked, not rounded', () => {
    for (const v of ['4000000000006.25', '4000000000006.5', '4000000000006']) {
      const out = String(sanitize({ 'app.created_at': v })['app.created_at']);
      expect(out).toContain('[REDACTED:payment-card]');
      expect(out).not.toContain('4000000000');
    }
  });

  it('a millisecond digit string with a fraction of several digits is rounded', () => {
    expect(sanitize({ 'app.created_at': '1767608142123.456' })['app.created_at']).toBe('1767608100000');
  });

  it('a 12-digit millisecond string from 2001 (starting with 9) is rounded under a time key', () => {
    expect(sanitize({ 'app.created_at': '978307265123' })['app.created_at']).toBe('978307260000');
  });
});
