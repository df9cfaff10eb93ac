import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';
import { edges } from './helpers';

// The character classes of engine/detectors/email.ts, checked for EVERY UTF-16 code unit against oracles written from
// docs/detectors.md (`email` row) and the detector's doc comments, not from the code: which characters are inside a
// local part, which start one, which are inside a domain, which glue after it, and which non-ASCII characters read as
// one script in an internationalized local part. Read through `emailDetector.find` (its contract: every match, in
// order) so the 65 536 units of each table stay well under a second; a few of each class through the public scanner.

const email = edges('email');

function find(text: string): Finding[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out;
}

/** Every BMP code unit but the surrogates (a lone surrogate is no character; pairs are read below). */
const UNITS: number[] = [];
for (let c = 0; c <= 0xffff; c++) if (c < 0xd800 || c > 0xdfff) UNITS.push(c);

/** Non-ASCII characters that are no part of a name: spaces and punctuation (NBSP, General Punctuation, U+3000, fullwidth punctuation and digits). */
const NOT_NAME = /[\u00a0\u2000-\u206f\u3000\uff00-\uff20]/;
/** Inside a local part (docs: letters, digits, `.` `_` `%` `+` `-` `'` and non-ASCII). */
const inLocal = (ch: string) => /^[A-Za-z0-9._%+'-]$/.test(ch) || (ch > '\x7f' && !NOT_NAME.test(ch));
/** Starts a local part: an ASCII letter, digit or `_`, or a letter or digit of another script. */
const startsLocal = (ch: string) =>
  /^[A-Za-z0-9_]$/.test(ch) || (ch > '\x7f' && !NOT_NAME.test(ch) && /^[\p{L}\p{N}]$/u.test(ch));
/** Inside a domain: ASCII letters, digits, `-`, `.` and non-ASCII name characters (IDN). */
const inDomain = (ch: string) => /^[A-Za-z0-9.-]$/.test(ch) || (ch > '\x7f' && !NOT_NAME.test(ch));
/** Glues to a word (chars.ts `isWordChar`): ASCII letters, digits, `_`, non-ASCII but NBSP, General Punctuation, U+3000. */
const wordChar = (ch: string) => /^\w$/.test(ch) || (ch > '\x7f' && !/[\u00a0\u2000-\u206f\u3000]/.test(ch));

const span = (f: Finding[]) => f.map((x) => `${x.start}-${x.end}`).join(',');

/** Every code unit of `units` but those of `skip`, in `textOf(ch)`: the units where the findings are not `want(ch, text)`. */
function mismatches(
  units: number[],
  skip: string,
  textOf: (ch: string) => string,
  want: (ch: string, text: string) => string,
) {
  const bad: string[] = [];
  for (const c of units) {
    const ch = String.fromCharCode(c);
    if (skip.includes(ch)) continue;
    const text = textOf(ch);
    const got = span(find(text));
    if (got !== want(ch, text)) bad.push(`U+${c.toString(16)}: ${got} (want ${want(ch, text)})`);
  }
  return bad.slice(0, 20);
}

describe('email: every code unit in each character class', () => {
  it('inside a local part: the match starts before it when it is a local-part character, after it otherwise', () => {
    const want = (ch: string, text: string) => `${inLocal(ch) ? 2 : 5}-${text.length - 2}`;
    expect(mismatches(UNITS, '@', (ch) => `x ab${ch}cd@example.com y`, want)).toEqual([]);
  });

  it('first in a local part: the match starts at it only when it can start one', () => {
    const want = (ch: string, text: string) => `${startsLocal(ch) ? 2 : 3}-${text.length - 2}`;
    expect(mismatches(UNITS, '@"', (ch) => `x ${ch}abc@example.com y`, want)).toEqual([]);
  });

  it('inside a domain: the address is found whole only when it is a domain character (or `_` inside a label)', () => {
    const want = (ch: string, text: string) => (inDomain(ch) || ch === '_' ? `2-${text.length - 2}` : '');
    expect(mismatches(UNITS, '@', (ch) => `x jane@ex${ch}ample.com y`, want)).toEqual([]);
  });

  it('right after the top-level domain: a letter lengthens it, a word character glues, the rest ends the address', () => {
    const com = 'x jane@example.com'.length;
    const want = (ch: string) => {
      if (/^[A-Za-z]$/.test(ch) || (ch > '\x7f' && inDomain(ch))) return `2-${com + 1}`;
      if (/^[0-9._-]$/.test(ch) || !wordChar(ch)) return `2-${com}`; // a glued digit or `-word`, punctuation, `_`
      return ''; // glued to a word
    };
    expect(mismatches(UNITS, '@', (ch) => `x jane@example.com${ch} y`, want)).toEqual([]);
  });
});

/**
 * The coarse script an internationalized local part must keep to (docs: a local part in any script, but not mixing
 * scripts when it starts with a non-ASCII letter), as Unicode blocks: Latin (Latin-1 Supplement, Extended-A and -B,
 * Extended Additional), Greek, Cyrillic (and its Supplement), Hebrew, Arabic (with Syriac and the Arabic Supplement),
 * the Indic blocks from Devanagari to Sinhala, and Han, kana and Hangul together; any other 128-unit block on its own.
 */
const SCRIPT_BLOCKS: [string, number, number][] = [
  ['Latin', 0x80, 0x24f],
  ['Latin', 0x1e00, 0x1eff],
  ['Greek', 0x370, 0x3ff],
  ['Cyrillic', 0x400, 0x52f],
  ['Hebrew', 0x590, 0x5ff],
  ['Arabic', 0x600, 0x77f],
  ['Indic', 0x900, 0xdff],
  ['CJK', 0x1100, 0x11ff],
  ['CJK', 0x3040, 0x9fff],
  ['CJK', 0xac00, 0xd7af],
  ['CJK', 0xf900, 0xfaff],
  ['CJK', 0x20000, 0x3ffff],
];
const scriptName = (cp: number) =>
  SCRIPT_BLOCKS.find(([, lo, hi]) => cp >= lo && cp <= hi)?.[0] ?? `block ${Math.floor(cp / 128)}`;

/** One letter of each group, and of blocks next to the groups' edges (Armenian after Cyrillic, Thai, Georgian). */
const REPRESENTATIVES = [
  'é',
  'ẞ',
  'α',
  'и',
  'ԑ',
  'א',
  'ب',
  'ݐ',
  'क',
  'ක',
  'ᄀ',
  'あ',
  '田',
  '한',
  '豈',
  'ա',
  'ก',
  'ა',
  'ʃ',
  'ހ',
];

describe('email: an internationalized local part keeps to one script', () => {
  it('a letter of each group followed by a non-ASCII name character at every block edge: found only when both are of one group', () => {
    // Both ends of every 128-unit block and one unit either side of each group's ends (every unit of the BMP for the
    // first three representatives).
    const edgesOf = new Set<number>();
    for (let b = 0x80; b <= 0x10000; b += 0x80) for (const d of [-2, -1, 0, 1]) edgesOf.add(b + d);
    for (const [, lo, hi] of SCRIPT_BLOCKS) for (const c of [lo - 1, lo, lo + 1, hi - 1, hi, hi + 1]) edgesOf.add(c);
    const probe = UNITS.filter((c) => edgesOf.has(c));
    const bad: string[] = [];
    for (const [k, rep] of REPRESENTATIVES.entries()) {
      const group = scriptName(rep.codePointAt(0)!);
      for (const c of k < 3 ? UNITS : probe) {
        const ch = String.fromCharCode(c);
        if (c < 0x80 || !inLocal(ch)) continue;
        const text = `x ${rep}${ch}@example.com y`;
        // A private-use character is of no script (a rare name kanji in legacy Japanese systems).
        const want = scriptName(c) === group || (c >= 0xe000 && c <= 0xf8ff) ? `2-${text.length - 2}` : '';
        if (span(find(text)) !== want) bad.push(`${rep} U+${c.toString(16)}: ${span(find(text))} (want ${want})`);
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });

  it('a character outside the BMP is one character of its script, not two code units of none', () => {
    // 𠮷 (U+20BB7) is the variant of 吉 in the Japanese surname 𠮷田: the whole address was exported as written.
    for (const name of ['𠮷田', '田𠮷', '𠮷野家', '𠀀𠀁', '𪚲𪚲']) email.masks('mail ', `${name}@example.jp`, ' ok');
    // Mixed with another script it is still refused (`þ𠮷` is what a misaligned decoding gives), and a lone one too.
    for (const text of ['þ𠮷@example.jp', 'и𠮷@example.jp', '𠮷@example.jp', '李@example.jp'])
      expect(find(`x ${text} y`)).toEqual([]);
    // U+FFFF is one code unit, not the first half of a pair: the letter after it is still read (halfwidth Hangul,
    // U+FFFF and a Cyrillic letter are two scripts).
    expect(find('x \uffa1\uffa2\uffffи@example.com y')).toEqual([]);
    expect(find('x \uffa1\uffa2\uffff\uffa3@example.com y')).toHaveLength(1);
    // Glued after an address: both addresses.
    const out = find('x jane@example.com𠮷田@example.org y');
    expect(out.map((f) => f.end - f.start)).toEqual(['jane@example.com'.length, '𠮷田@example.org'.length]);
  });
});
