import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Runs } from '../../../../engine/detectors/normalizer';

// `base64Runs` against a reference written from its documentation and docs/detectors.md ("Base64 wrapped across
// lines"): runs of base64/base64url characters; a line of at least 40 characters, a whole number of quads, followed by
// CRLF or LF (one blank or tab after it may fold the next line) and more base64 continues the run; up to two `=`
// after the run are its padding; the run is returned when it has the letter mix of encoded text (upper case letters,
// and two digits or one upper-case letter in five; upper case alone only from 16 characters or before padding) and
// 12 characters (8 before padding), counted without the line breaks; else its `/` segments on their own.

const BASE64 = /[A-Za-z0-9+/_-]/;

function letterMix(run: number, upper: number, digits: number, padded: boolean): boolean {
  return upper > 0 && (upper < run || run >= 16 || padded) && (digits >= 2 || upper * 5 >= run);
}
const long = (len: number, padded: boolean) => len >= 12 || (padded && len >= 8);

function reference(s: string): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (!BASE64.test(s[i])) {
      i++;
      continue;
    }
    const start = i;
    let chars = '';
    for (;;) {
      const lineStart = i;
      while (i < s.length && BASE64.test(s[i])) i++;
      const line = s.slice(lineStart, i);
      chars += line;
      if (line.length < 40 || line.length % 4 !== 0) break;
      const m = /^(\r?\n)([ \t]?)/.exec(s.slice(i));
      if (m === null) break;
      const next = i + m[0].length;
      if (next >= s.length || !BASE64.test(s[next])) break;
      i = next;
    }
    const pad = /^={0,2}/.exec(s.slice(i))![0].length;
    const padded = pad > 0;
    const upper = chars.replace(/[^A-Z]/g, '').length;
    const digits = chars.replace(/[^0-9]/g, '').length;
    if (letterMix(chars.length, upper, digits, padded) && long(chars.length, padded)) out.push(start, i + pad);
    else if (upper > 0) {
      // The `/` segments of the run as written (line breaks included) from `start` to `i`.
      const raw = s.slice(start, i);
      if (raw.includes('/')) {
        let from = start;
        const parts = raw.split('/');
        parts.forEach((part, k) => {
          const last = k === parts.length - 1;
          const p = last && padded;
          const u = part.replace(/[^A-Z]/g, '').length;
          const d = part.replace(/[^0-9]/g, '').length;
          if (letterMix(part.length, u, d, p) && long(part.length, p)) out.push(from, p ? i + pad : from + part.length);
          from += part.length + 1;
        });
      }
    }
    i += pad;
  }
  return out;
}

const b64char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_');
const lowerOnly = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
/** A line of base64 near the wrap lengths (36 to 80 characters), or a short word, of mixed or lower case letters. */
const line = fc.oneof(
  fc
    .tuple(fc.integer({ min: 36, max: 80 }), fc.boolean())
    .chain(([n, lower]) =>
      fc.array(lower ? lowerOnly : b64char, { minLength: n, maxLength: n }).map((a) => a.join('')),
    ),
  fc.stringMatching(/^[A-Za-z0-9]{1,16}$/),
  fc.stringMatching(/^[a-z]{1,6}(\/[A-Za-z0-9]{1,14}){1,3}$/),
);
const sep = fc.constantFrom(
  '\n',
  '\r\n',
  '\r',
  '\n ',
  '\n\t',
  '\r\n ',
  '\n  ',
  ' ',
  '\n\n',
  '=',
  '==',
  '===',
  '=\n',
  '.',
  '/',
);

describe('base64Runs finds the runs its documentation names, wrapped lines included', () => {
  it('lines of 36 to 80 characters, line breaks, folds and padding in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(line, sep), { minLength: 1, maxLength: 5 }), (parts) => {
        const s = parts.map(([l, p]) => l + p).join('');
        expect(base64Runs(s), JSON.stringify(s)).toEqual(reference(s));
      }),
      { numRuns: 1500 },
    );
  });

  it('every line length from 30 to 90 before each line break, with and without a fold', () => {
    const body = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk';
    const text = body + body;
    for (let n = 30; n <= 90; n++)
      for (const eol of ['\n', '\r\n', '\r', '\n ', '\n\t', '\r\n\t', '\n  '])
        for (const tail of ['abcd', 'AbCd1234efgh', '=', '-x']) {
          const s = `x ${text.slice(0, n)}${eol}${tail} y`;
          expect(base64Runs(s), JSON.stringify(s)).toEqual(reference(s));
        }
  });
});
