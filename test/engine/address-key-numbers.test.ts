import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4FromNumber, ipv4FromParts } from '../../engine/address-key-numbers';

// `ipv4FromNumber` reads a plain dotted decimal quad in one pass and returns early; the property: on any value it
// returns what the parsing path alone returns (the early exit never hides an address written with hex or octal parts).
const pieces = fc.constantFrom(
  '0',
  '00',
  '07',
  '1',
  '9',
  '25',
  '255',
  '256',
  '0x',
  '0X',
  'cb',
  'F',
  '.',
  '..',
  ' ',
  '\t',
  '8',
);
const dotted = fc
  .array(
    fc.oneof(
      fc.nat(300).map(String),
      fc.nat(0o377).map((n) => '0' + n.toString(8)),
      fc.nat(255).map((n) => '0x' + n.toString(16)),
    ),
    {
      minLength: 1,
      maxLength: 6,
    },
  )
  .map((parts) => parts.join('.'));

describe('ipv4FromNumber: the one-pass exit for dotted decimal quads', () => {
  it('returns what the parsing path returns, on dotted parts, built pieces and arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(dotted, fc.string({ unit: pieces, maxLength: 12 }), fc.string({ maxLength: 20 })),
        (value) => {
          expect(ipv4FromNumber(value)).toBe(ipv4FromParts(value));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('reads the forms an address key is scanned as (the property is not vacuous)', () => {
    expect(ipv4FromNumber('0313.0.0161.07')).toBe('203.0.113.7');
    expect(ipv4FromNumber('203.0.0161.07')).toBe('203.0.113.7');
    expect(ipv4FromNumber('3405803783')).toBe('203.0.113.7');
    expect(ipv4FromNumber('203.0.113.7')).toBeUndefined();
  });
});
