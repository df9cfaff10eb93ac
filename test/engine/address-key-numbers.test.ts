import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4FromNumber, ipv4FromParts } from '../../engine/address-key-numbers';

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
          expect(ipv4FromNumber(value)).toBe(ipv4FromParts(value));
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
