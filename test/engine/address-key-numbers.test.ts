import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4FromNumber } from '../../engine/address-key-numbers';

/** `ipv4FromNumber` as it was before its check without splitting (the oracle): every value split at `.` first. */
function splitFirst(value: string): string | undefined {
  const partValue = (part: string): number => {
    if (part.length === 0 || part.length > 12) return NaN;
    if (/^0x[0-9a-f]+$/i.test(part)) return parseInt(part.slice(2), 16);
    if (/^0[0-7]*$/.test(part)) return part.length === 1 ? 0 : parseInt(part.slice(1), 8);
    return /^[1-9]\d*$/.test(part) ? Number(part) : NaN;
  };
  const text = value.trim();
  if (text.length === 0 || text.length > 48) return undefined;
  const parts = text.split('.');
  let n: number;
  if (parts.length === 1) {
    n = partValue(text);
    if (!(n >= 0x1000000 && n <= 0xffffffff)) return undefined;
  } else if (parts.length === 4) {
    if (!parts.some((p) => p.length > 1 && p.charCodeAt(0) === 48)) return undefined;
    const octets = parts.map(partValue);
    if (!octets.every((o) => o >= 0 && o <= 255)) return undefined;
    n = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  } else return undefined;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

describe('ipv4FromNumber: a dotted value without a 0-led part is decided without splitting', () => {
  it('gives what splitting first gives, on inet_aton forms, dotted quads and strings of their characters', () => {
    const part = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), maxLength: 4 }),
      fc.string({ unit: fc.constantFrom(...'0x0X1a7fF9.'.split('')), maxLength: 5 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.ipV4(),
          fc.ipV4Extended(),
          fc.array(part, { minLength: 1, maxLength: 6 }).map((p) => p.join('.')),
          fc.string({ unit: fc.constantFrom(...' 0.12x\t'.split('')), maxLength: 14 }),
        ),
        (value) => {
          expect(ipv4FromNumber(value)).toBe(splitFirst(value));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('reads dotted forms with a 0-led part anywhere (the property is not vacuous)', () => {
    expect(ipv4FromNumber('0313.0.0161.07')).toBe('203.0.113.7');
    expect(ipv4FromNumber('203.0.0161.07')).toBe('203.0.113.7');
    expect(ipv4FromNumber('203.0.113.07')).toBe('203.0.113.7');
    expect(ipv4FromNumber('0xCB.0.0x71.7')).toBe('203.0.113.7');
    expect(ipv4FromNumber('203.0.113.7')).toBeUndefined();
  });
});
