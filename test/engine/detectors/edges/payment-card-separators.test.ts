import { describe, expect, it } from 'vitest';
import { paymentCardDetector } from '../../../../engine/detectors/payment-card';
import type { Finding } from '../../../../engine/detectors/types';

// Every UTF-16 code unit between the digit groups of a test card, against the separator classes docs/detectors.md
// lists for `payment-card` (an oracle written from that list and the Unicode space property, not from the detector's
// tables): blanks (`\p{Zs}`, tab, CR, LF), the punctuation `-` `.` `_` `:` `|` `/` `+` `*` `~` and the Unicode
// slash, division slash, asterisk, swung dash and wave dash, the list commas `,` `;` `،` `؛` `、` only on their own, and
// a single `x`. Read on the detector (the scanner's normalized view maps more characters, e.g. dashes, onto these).

const BLANK = /^[\p{Zs}\t\n\r]$/u;
const PUNCT = new Set([...'-._:|/+*~', '\u2044', '\u2215', '\u2217', '\u2053', '\u301c']);
const LIST = new Set([...',;', '\u060c', '\u061b', '\u3001']);

function spans(text: string): string {
  const out: Finding[] = [];
  paymentCardDetector.find(text, out);
  return JSON.stringify(out.map((f) => [f.start, f.end]));
}

/** The code units `c` for which `make(c)` gives findings other than `want(c)`, as hex (the first 20). */
function mismatches(make: (c: string) => string, want: (c: string) => boolean): string[] {
  const wrong: string[] = [];
  for (let u = 0; u <= 0xffff && wrong.length < 20; u++) {
    const c = String.fromCharCode(u);
    if (/\d/.test(c)) continue;
    const text = make(c);
    if (spans(text) !== (want(c) ? JSON.stringify([[0, text.length]]) : '[]')) wrong.push(u.toString(16));
  }
  return wrong;
}

const blank = (c: string) => BLANK.test(c);
const punct = (c: string) => PUNCT.has(c);
const list = (c: string) => LIST.has(c);

describe('payment-card separators, every code unit', () => {
  it('one character between the groups: a blank, a punctuation or list character, or x', () => {
    expect(
      mismatches(
        (c) => `4111${c}1111${c}1111${c}1111`,
        (c) => blank(c) || punct(c) || list(c) || c === 'x' || c === 'X',
      ),
    ).toEqual([]);
  });

  it('two of it: blanks and punctuation, not a list comma and not xx', () => {
    expect(
      mismatches(
        (c) => `4111${c}${c}1111${c}${c}1111${c}${c}1111`,
        (c) => blank(c) || punct(c),
      ),
    ).toEqual([]);
  });

  it('four of it join groups, five do not', () => {
    expect(
      mismatches(
        (c) => `4111${c.repeat(4)}1111${c.repeat(4)}1111${c.repeat(4)}1111`,
        (c) => blank(c) || punct(c),
      ),
    ).toEqual([]);
    expect(
      mismatches(
        (c) => `4111${c.repeat(5)}1111${c.repeat(5)}1111${c.repeat(5)}1111`,
        () => false,
      ),
    ).toEqual([]);
  });

  it('with a space after it: a list comma and a blank separate list items', () => {
    expect(
      mismatches(
        (c) => `4111${c} 1111${c} 1111${c} 1111`,
        (c) => blank(c) || punct(c),
      ),
    ).toEqual([]);
    expect(
      mismatches(
        (c) => `4111 ${c}1111 ${c}1111 ${c}1111`,
        (c) => blank(c) || punct(c),
      ),
    ).toEqual([]);
  });

  it('around a contiguous number: anything but a digit leaves it found', () => {
    const wrong: string[] = [];
    for (let u = 0; u <= 0xffff; u++) {
      const c = String.fromCharCode(u);
      if (/\d/.test(c)) continue;
      if (spans(`${c}4111111111111111${c}`) !== '[[1,17]]') wrong.push(u.toString(16));
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});
