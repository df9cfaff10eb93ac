import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spacedAt, spacedView } from '../../../../engine/detectors/spaced-view';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';

// Two conditions of the spaced view (engine/detectors/spaced-view.ts): `spacedAt`, on which a value without digits is
// given the view (an `@` with a separating character on either side, or a bracketed `at` between two equal
// separators), and the `%2B` a form writes for a number's `+` (its `B` is a kept character, or the run starts right
// after it). Checked against the documented rule and through the public value scanner with the pre-filter on and
// off. Fake identities only.

/** A separating character by the documented categories: punctuation, symbols, separators, controls, format, Nl, No. */
const separates = (c: string) => /[\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}\p{Nl}\p{No}]/u.test(c);

/** The documented rule of `spacedAt`, on code units (a surrogate half separates nothing). */
function referenceSpacedAt(text: string): boolean {
  const unit = (k: number) => (k >= 0 && k < text.length ? text[k]! : '');
  const sep = (k: number) => {
    const c = unit(k);
    return c !== '' && !/[\ud800-\udfff]/.test(c) && separates(c);
  };
  for (let at = 0; at < text.length; at++) if (text[at] === '@' && (sep(at - 1) || sep(at + 1))) return true;
  for (let i = 1; i + 4 < text.length; i++)
    if (/^(?:\(at\)|\[at\]|\{at\}|<at>)$/i.test(text.slice(i, i + 4)) && sep(i + 4) && text[i + 4] === text[i - 1])
      return true;
  return false;
}

const apart = (s: string, sep: string) => Array.from(s).join(sep);

describe('spacedAt against the documented rule', () => {
  it('agrees on texts built from letters, `@`, brackets, `at` and separators of several kinds', () => {
    const piece = fc.constantFrom(
      'j',
      'a',
      't',
      'A',
      'T',
      '@',
      '_',
      ' ',
      '.',
      '"',
      '*',
      '\t',
      '\u00b7',
      '\u2022',
      '\u00e9',
      '\ud83d',
      '\ude00',
      '\ud83d\ude00',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      '<',
      '>',
      '(at)',
      '[AT]',
      '{at}',
      '<At>',
      '0',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        expect(spacedAt(text), JSON.stringify(text)).toBe(referenceSpacedAt(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('an `@` at either end, between letters, or beside a separator; a bracketed `at` at the edges', () => {
    for (const text of [
      '@',
      '@a',
      'a@',
      '_@',
      '@_',
      'a@b',
      'a_@b',
      'a@_b',
      'a"@b',
      // a control character separates too (U+0001: the code unit 1)
      'a@\u0001b',
      'a\u0001@b',
      '\u0001@',
      '@\u0001',
      '"@"',
      'a@\u00e9',
      'a\ud800@b',
      'a@\udc00b',
      'j (at) e',
      '(at) e',
      'j (at)',
      'j_(at)_e',
      'j_(at) e',
      'j (aT) e',
      'j (a) e',
      'j (at] e',
      'j <at> e',
      'j [at} e',
    ])
      expect(spacedAt(text), JSON.stringify(text)).toBe(referenceSpacedAt(text));
  });

  it('the scanner masks an address written apart with a separator on one side of its `@` only, pre-filter on and off', () => {
    const scanners = [true, false].map((prefilter) =>
      createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', cleanCacheSize: 0, prefilter }),
    );
    for (const sep of ['_', '-', ' '])
      for (const [before, after] of [
        [sep, ''],
        ['', sep],
      ]) {
        const text = `to ${apart('jane', sep)}${before}@${after}${apart('example', sep)}${sep}.${sep}${apart('com', sep)}`;
        const [on, off] = scanners.map((s) => s.scan(text).value);
        expect(on, JSON.stringify(text)).toBe(off);
        expect(on, JSON.stringify(text)).not.toMatch(/e.?x.?a.?m.?p.?l.?e/);
      }
  });
});

describe('spacedView: a percent-encoded `+` before a number written apart', () => {
  const S = '\u{1F600}';
  const PHONE = '12025550143';

  it('`%2B` (either case) with a separator after it: its `B` starts the run', () => {
    for (const plus of ['%2B', '%2b']) {
      const text = `v=${plus}${S}${apart(PHONE, S)}&x`;
      const view = spacedView(text);
      expect(view?.text).toBe(`v=${plus}${PHONE}&x`);
      // the `B` and each digit map to themselves (an emoji is two code units)
      expect(Array.from(view!.from).slice(4, 7)).toEqual([4, 7, 10]);
    }
    expect(spacedView(`%2B${S}${apart(PHONE, S)}`)?.text).toBe(`%2B${PHONE}`);
  });

  it('`%2B` glued to the first digit: the run starts at the digit', () => {
    const view = spacedView(`v=%2B${apart(PHONE, S)}&x`);
    expect(view?.text).toBe(`v=%2B${PHONE}&x`);
    expect(Array.from(view!.from).slice(4, 7)).toEqual([4, 5, 8]);
  });

  it('another escape, a `%2B` inside a word, or too few characters after it: the separator after it stays', () => {
    for (const esc of ['%3B', '%2C', '%2D', '%1B', '%2A', 'x2B'])
      expect(spacedView(`v=${esc}${S}${apart(PHONE, S)}`)?.text, esc).toBe(`v=${esc}${S}${PHONE}`);
    expect(spacedView(`q=a%2B${S}${apart(PHONE, S)}&x`)?.text).toBe(`q=a%2B${S}${PHONE}&x`);
    for (const text of [`v=%2B${S}1`, `v=%2B${S}${apart('ab', S)}`, 'v=%2B', '%2B', '%2'])
      expect(spacedView(text), text).toBeUndefined();
  });
});
