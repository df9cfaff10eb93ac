import { describe, expect, it } from 'vitest';
import { emailDetector } from '../../../../engine/detectors/email';
import type { Finding } from '../../../../engine/detectors/types';
import { scannersFor } from './helpers';

// The script groups of an internationalized local part and the non-ASCII characters that are no part of a name
// (docs/detectors.md, `email` row), at each edge only: a fast companion of `email-chars.test.ts`, whose exhaustive
// tables (every code unit) take seconds each. Expectations from the same block table, not from the code.

function find(text: string): Finding[] {
  const out: Finding[] = [];
  emailDetector.find(text, out);
  return out;
}

/** The groups: Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, and Han, kana and Hangul together (docs). */
const GROUPS: [string, number, number][] = [
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
];
const group = (c: number) => GROUPS.find(([, lo, hi]) => c >= lo && c <= hi)?.[0] ?? `block ${c >> 7}`;
/** Not part of a name: NBSP, General Punctuation, U+3000, fullwidth punctuation and digits. */
const notName = (c: number) =>
  c === 0xa0 || (c >= 0x2000 && c <= 0x206f) || c === 0x3000 || (c >= 0xff00 && c <= 0xff20);
/** A letter or digit of any script that can start a local part. */
const letter = (c: number) => /^[\p{L}\p{N}]$/u.test(String.fromCharCode(c));

describe('email: the script groups at their edges', () => {
  it('two letters of one group are a local part; of two groups, none', () => {
    const units = new Set<number>();
    for (const [, lo, hi] of GROUPS) for (const c of [lo - 1, lo, lo + 1, hi - 1, hi, hi + 1]) units.add(c);
    for (let b = 0x80; b < 0x10000; b += 0x80) if (b < 0xd800 || b > 0xdfff) for (const c of [b - 1, b]) units.add(c);
    const letters = [...units].filter((c) => c > 0x7f && (c < 0xd800 || c > 0xdfff) && letter(c) && !notName(c));
    // Each edge letter beside the letters next to it (across the edge) and beside one letter of each group.
    const reps = [...'éẞαиאبक田ᄀ한豈'].map((ch) => ch.charCodeAt(0));
    const bad: string[] = [];
    for (const a of letters)
      for (const b of [...letters.filter((x) => Math.abs(x - a) <= 2), ...reps]) {
        const text = `x ${String.fromCharCode(a, b)}@example.com y`;
        const got = find(text).length;
        const want = group(a) === group(b) ? 1 : 0;
        if (got !== want) bad.push(`U+${a.toString(16)} U+${b.toString(16)}: ${got}`);
      }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});

describe('email: non-ASCII characters that are no part of a name, at their edges', () => {
  it('inside a local part they end it; the characters next to them are part of it', () => {
    const bad: string[] = [];
    for (const c of [
      0x7f, 0x80, 0x9f, 0xa0, 0xa1, 0x1fff, 0x2000, 0x206f, 0x2070, 0x2fff, 0x3000, 0x3001, 0xfeff, 0xff00, 0xff20,
      0xff21,
    ]) {
      const text = `x ab${String.fromCharCode(c)}cd@example.com y`;
      const inLocal = c > 0x7f && !notName(c);
      const want = `${inLocal ? 2 : 5}-${text.length - 2}`;
      const got = find(text)
        .map((f) => `${f.start}-${f.end}`)
        .join(',');
      if (got !== want) bad.push(`U+${c.toString(16)}: ${got} (want ${want})`);
    }
    expect(bad).toEqual([]);
  });
});

describe('email: non-ASCII punctuation and symbols do not start a local part', () => {
  it('the match starts at the letter after them', () => {
    for (const ch of ['·', '¿', '«', '©', '→', '、', '〜', '\u0301', '｛', '￥', '😀']) {
      const text = `x ${ch}abc@example.com y`;
      expect(
        find(text).map((f) => text.slice(f.start, f.end)),
        ch,
      ).toEqual(['abc@example.com']);
    }
    // A letter outside the BMP does start one (a surrogate pair read as one character).
    expect(find('x 𠮷田@example.jp y').map((f) => f.start)).toEqual([2]);
    expect(find('x \u{10000}abc@example.com y').map((f) => f.start)).toEqual([2]); // Linear B, high surrogate D800
  });
});

describe('email: a private-use character in an internationalized local part', () => {
  it('is of no script: the name around it is one local part', () => {
    // `山田\uE000@example.jp` was exported whole, domain too: the private-use block read as a script of its own, so the
    // local part mixed scripts and no ASCII letter was there to start it.
    for (const name of ['山田\ue000', '山田\ue000太郎', '田中\uf8ff', '山田\u{f0000}', 'élodie\ue000'])
      expect(find(`mail ${name}@example.jp ok`), JSON.stringify(name)).toHaveLength(1);
    for (const s of scannersFor('email'))
      expect(s.scan('mail 山田\ue000太郎@example.jp ok').value).toBe('mail [X:email] ok');
    // Private-use characters alone, or beside two scripts, are still no local part.
    for (const text of ['\ue000\ue001@example.jp', 'þ\ue000田@example.jp'])
      expect(find(`x ${text} y`), JSON.stringify(text)).toEqual([]);
  });
});
