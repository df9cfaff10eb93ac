import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FILE_EXTENSIONS, emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';

// A differential oracle for the domain after a plain `@`, written from the detector's documentation (docs/detectors.md
// `email` row; `emailDetector`'s doc comment: "right over at most 253 domain characters"; labels of letters, digits
// and inner hyphens, at least two labels of 1-63 characters, a top-level domain of 2-24 letters that is no file
// extension, trailing dots and hyphens are sentence punctuation, `_` ends a domain, another word character glues;
// when that reads no domain, `_` inside labels and labels starting or ending with `-`),
// compared on domains built around each edge. Where the top-level domain is no valid one, the glued and dotted
// readings (`jane@example.com2026`, `jane@example.com.1`) may apply; the oracle only checks those inputs where no
// label after the first starts with two ASCII letters, so neither can.

const NAME = /[\u00a0\u2000-\u206f\u3000\uff00-\uff20]/;
const inDomain = (ch: string) => /^[A-Za-z0-9.-]$/.test(ch) || (ch > '\x7f' && !NAME.test(ch));
const wordChar = (ch: string) => /^\w$/.test(ch) || (ch > '\x7f' && !/[\u00a0\u2000-\u206f\u3000]/.test(ch));
const tldLetter = (ch: string) => /^[A-Za-z]$/.test(ch) || (ch > '\x7f' && !NAME.test(ch));

/**
 * The domain's end in `text` from `from` when a label holds `_` or starts or ends with `-` (read when the domain is
 * none without them): `_` inside labels, one in the last label ends the domain; the top-level domain valid as it
 * stands. -1 for none.
 */
function lenientReference(text: string, from: number): number {
  const limit = Math.min(text.length, from + 253);
  let i = from;
  while (i < limit && (inDomain(text[i]!) || text[i] === '_')) i++;
  while (i > from && (text[i - 1] === '.' || text[i - 1] === '-')) i--;
  const last = text.lastIndexOf('.', i - 1) + 1;
  const cut = text.slice(Math.max(last, from), i).indexOf('_');
  if (cut !== -1) i = Math.max(last, from) + cut;
  while (i > from && (text[i - 1] === '.' || text[i - 1] === '-')) i--;
  if (i < limit && text[i] !== '_' && wordChar(text[i]!)) return -1;
  const labels = text.slice(from, i).split('.');
  if (!labels.some((l) => l.includes('_') || l.startsWith('-') || l.endsWith('-'))) return -1;
  if (labels.length < 2 || labels.some((l) => l.length > 63 || /^[-_]*$/.test(l))) return -1;
  const tld = labels[labels.length - 1]!;
  const valid = tld.length >= 2 && tld.length <= 24 && [...tld].every(tldLetter);
  return valid && !FILE_EXTENSIONS.has(tld.toLowerCase()) ? i : -1;
}

/** The domain's end in `text` from `from`, -1 for none, or 'fallback' when the top-level domain is no valid one. */
function reference(text: string, from: number): number | 'fallback' {
  const limit = Math.min(text.length, from + 253);
  let i = from;
  while (i < limit && inDomain(text[i]!)) i++;
  while (i > from && (text[i - 1] === '.' || text[i - 1] === '-')) i--;
  if (i < limit && text[i] !== '_' && wordChar(text[i]!)) return lenientReference(text, from);
  const labels = text.slice(from, i).split('.');
  if (labels.some((l) => l.length === 0 || l.length > 63 || l.startsWith('-') || l.endsWith('-')))
    return lenientReference(text, from);
  if (labels.length < 2) return lenientReference(text, from);
  const tld = labels[labels.length - 1]!;
  const valid = tld.length >= 2 && tld.length <= 24 && [...tld].every(tldLetter);
  return valid && !FILE_EXTENSIONS.has(tld.toLowerCase()) ? i : 'fallback';
}

const letters = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'abcxyzQ'), minLength: min, maxLength: max });
const label = fc.oneof(
  letters(1, 6),
  fc.string({ unit: fc.constantFrom(...'ab19-'), minLength: 1, maxLength: 6 }),
  fc.constantFrom(62, 63, 64).map((n) => 'a'.repeat(n)),
  fc.constantFrom('é', 'müller', 'пример', '-a', 'a-', 'a-b', '1', '0x', 'x1', ''),
);
const tld = fc.oneof(
  letters(1, 4),
  fc.constantFrom(1, 2, 3, 23, 24, 25, 26).map((n) => 'c'.repeat(n)),
  fc.constantFrom('com', 'png', 'PNG', 'mp4', 'c0m', 'рф', 'é', 'co1', 'js', 'xn--p1ai', '-', ''),
);
const after = fc.constantFrom(
  '',
  ' y',
  ', y',
  '.',
  '..',
  '-',
  '.-',
  '_x',
  '_2026.csv',
  '!',
  '/path',
  ':8080',
  '\u00a0y',
  '\u2003y',
  'é',
  'x',
  '\uff10',
);

describe('email: the domain after a plain @ against a reference written from the docs', () => {
  it('labels, lengths, top-level domains and what ends the domain', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(label, { minLength: 0, maxLength: 4 }), tld, after, fc.boolean(), (labels, t, a, long) => {
        const parts = long ? [...Array.from({ length: 4 }, () => 'b'.repeat(49)), ...labels, t] : [...labels, t];
        const domain = parts.join('.');
        const text = `x jane@${domain}${a}`;
        const ref = reference(text, 7);
        const out: Finding[] = [];
        emailDetector.find(text, out);
        const got = out.length === 0 ? -1 : out[0]!.end;
        if (ref === 'fallback') {
          if (parts.slice(1).some((l) => /^[A-Za-z]{2}/.test(l))) return;
          expect(got, JSON.stringify(text)).toBe(-1);
        } else {
          checked++;
          expect(got, JSON.stringify(text)).toBe(ref);
          if (ref !== -1) expect(out[0]!.start).toBe(2);
        }
      }),
      { numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(1000);
  });
});

describe('email: a domain longer than 253 characters', () => {
  it('its first 253 characters are read (and masked when they form a domain), not the address dropped', () => {
    const labels = Array.from({ length: 5 }, () => 'a'.repeat(49)).join('.'); // 249 characters
    for (const rest of ['abcdef', 'x', 'q.example.org']) {
      const text = `x jane@${labels}.com${rest} y`;
      const out: Finding[] = [];
      emailDetector.find(text, out);
      expect(
        out.map((f) => text.slice(f.start, f.end)),
        rest,
      ).toEqual([`jane@${labels}.com`]);
    }
  });
});

describe('email: a domain literal needs its brackets', () => {
  it('digits, dots and a closing bracket without the opening one are no domain', () => {
    for (const text of ['x jane@x203.0.113.7] y', 'x jane@a1.2.3.4] y', 'x jane@2001:db8::1] y']) {
      const out: Finding[] = [];
      emailDetector.find(text, out);
      expect(out, text).toEqual([]);
    }
  });
});
