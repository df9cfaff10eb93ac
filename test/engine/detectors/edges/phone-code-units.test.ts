import { describe, expect, it } from 'vitest';
import { phoneDetector } from '../../../../engine/detectors/phone';
import type { Finding } from '../../../../engine/detectors/types';
import { edges } from './helpers';

// Every UTF-16 code unit next to a phone number and between its groups, against the rules of docs/detectors.md
// (`phone` row): only ASCII letters, digits and `_` glue a number, and the signs `# $ % & @ \ € £ ¥` before it; a
// non-ASCII letter, mark or symbol on either side is a boundary; a `+` number is glued only by a digit, `.`, a currency
// sign or `@` before it and a digit after it; groups are joined by one blank, `-` or `.` (or one line break or tab).
// The oracle is written from those sentences, not from the detector's tables, and checks all 65 536 code units, so a
// changed bound or constant anywhere in the detector's character classes shows. The detector is called directly (its
// doc comment is the contract) for speed; a sample goes through the public scanner with and without its pre-filter.

/** The spans `phone` finds in `text`. */
function spans(text: string): string {
  const out: Finding[] = [];
  phoneDetector.find(text, out);
  return out.map((f) => `${f.start}-${f.end}`).join(',');
}

const ASCII_GLUE_BEFORE = new Set('#$%&@\\_'.split('').map((c) => c.charCodeAt(0)));
const CURRENCY = new Set([0x20ac, 0xa3, 0xa5]); // € £ ¥
/** Characters a written number holds (`+ - . / ( )` and digits): other rules, not a neighbour's. */
const PHONE_CHARS = new Set('+-./()0123456789'.split('').map((c) => c.charCodeAt(0)));
const asciiAlnum = (c: number) => c < 128 && /[A-Za-z0-9]/.test(String.fromCharCode(c));

/** The code units `c` for which `spans(text(c))` is not `want(c)`, as `U+hex: found`. */
function mismatches(units: number[], text: (c: string) => string, want: (c: number) => string): string[] {
  const bad: string[] = [];
  for (const c of units) {
    const got = spans(text(String.fromCharCode(c)));
    if (got !== want(c)) bad.push(`U+${c.toString(16)}: ${got || 'none'}`);
  }
  return bad;
}

const UNITS = Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => !PHONE_CHARS.has(c));

describe('phone: every code unit on either side of a number', () => {
  it('before a number without +: ASCII letters and digits, _ and # $ % & @ \\ € £ ¥ glue; anything else is a boundary', () => {
    const n = '202-555-0143';
    const glued = (c: number) => asciiAlnum(c) || ASCII_GLUE_BEFORE.has(c) || CURRENCY.has(c);
    expect(
      mismatches(
        UNITS,
        (c) => c + n + ' x',
        (c) => (glued(c) ? '' : `1-${1 + n.length}`),
      ),
    ).toEqual([]);
  });

  it('after a number without +: ASCII letters and digits glue; anything else but _ is a boundary', () => {
    const n = 'x 202-555-0143';
    // `_`: its own rule (a word or a digit after it), in phone.test.ts
    const units = UNITS.filter((c) => c !== 95);
    expect(
      mismatches(
        units,
        (c) => n + c,
        (c) => (asciiAlnum(c) ? '' : `2-${n.length}`),
      ),
    ).toEqual([]);
  });

  it('before a + number: a digit, a currency sign, # % & @ \\ glue; letters, _ and anything else do not', () => {
    const n = '+12025550143';
    const glued = (c: number) => (c >= 48 && c <= 57) || (ASCII_GLUE_BEFORE.has(c) && c !== 95) || CURRENCY.has(c);
    expect(
      mismatches(
        UNITS,
        (c) => c + n,
        (c) => (glued(c) ? '' : `1-${1 + n.length}`),
      ),
    ).toEqual([]);
  });

  it('after a + number: only a digit glues (letters and _ do not: `+12025550143ext`)', () => {
    const n = '+12025550143';
    expect(
      mismatches(
        UNITS,
        (c) => n + c,
        (c) => (c >= 48 && c <= 57 ? '' : `0-${n.length}`),
      ),
    ).toEqual([]);
  });

  it('the same through the scanner, pre-filter on and off, for the Latin-1 range and the currency signs', () => {
    const phone = edges('phone');
    for (let c = 0x7f; c <= 0x100; c++) {
      if (c === 0xa3 || c === 0xa5) continue;
      const ch = String.fromCharCode(c);
      // A character the normalized view drops (an invisible one) leaves the number as found as a visible boundary.
      phone.masks(`x ${ch}`, '202-555-0143', `${ch} x`);
    }
    for (const ch of ['€', '£', '¥']) phone.keeps(`x ${ch}202-555-0143 x`);
  });
});

describe('phone: every code unit between the groups', () => {
  it('a North American number is found with one blank, -, ., + (a form-encoded blank) or one tab or line break between its groups, and no other unit', () => {
    const joins = new Set([' ', '-', '.', '+', '\t', '\n', '\r'].map((c) => c.charCodeAt(0)));
    const units = Array.from({ length: 0x10000 }, (_, c) => c).filter((c) => c < 48 || c > 57);
    // `x 202?555?0143 x`: the number is 12 characters from index 2
    expect(
      mismatches(
        units,
        (c) => `x 202${c}555${c}0143 x`,
        (c) => (joins.has(c) ? '2-14' : ''),
      ),
    ).toEqual([]);
  });
});
