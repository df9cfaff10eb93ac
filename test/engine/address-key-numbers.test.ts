import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4FromNumber, ipv4FromParts } from '../../engine/address-key-numbers';

// `ipv4FromNumber` reads a plain dotted decimal quad or a host name in one pass and returns early; the property: on
// any value it returns what the parsing path alone returns (the early exits never hide an address written with hex or
// octal parts, or with blanks around it).
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
  '\n',
  '\u00a0',
  '\u2003',
  '\ufeff',
  '8',
  's',
  'G',
  'z',
  '-',
  '/',
  ':',
  'é',
);
/** A number or dotted parts (`dotted`) with blanks of every kind `trim` removes around them. */
const blank = fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028');
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
const padded = fc
  .tuple(
    fc.string({ unit: blank, maxLength: 2 }),
    fc.oneof(dotted, fc.nat().map(String)),
    fc.string({ unit: blank, maxLength: 2 }),
  )
  .map(([before, value, after]) => before + value + after);

describe('ipv4FromNumber: the one-pass exits for dotted decimal quads and host names', () => {
  it('returns what the parsing path returns, on dotted parts, blanks around them, built pieces and arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(dotted, padded, fc.string({ unit: pieces, maxLength: 12 }), fc.string({ maxLength: 20 })),
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
    expect(ipv4FromNumber(' 0xCB007107\n')).toBe('203.0.113.7');
    expect(ipv4FromNumber('\u00a03405803783')).toBe('203.0.113.7');
    expect(ipv4FromNumber('203.0.113.7')).toBeUndefined();
    expect(ipv4FromNumber('db.example')).toBeUndefined();
  });
});
