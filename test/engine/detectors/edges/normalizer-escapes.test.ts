import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeView } from '../../../../engine/detectors/normalizer';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// The normalized view's decoding rounds for JS/JSON escapes, HTML character references and percent-encoding
// (engine/detectors/normalizer.ts, docs/detectors.md "Normalized views"): a well-formed escape becomes its character,
// mapped to exactly the escape's range of the original; one digit short or one non-hex digit where a hex digit is
// needed leaves the escape as written (no view at all when it is the only one).

const emails = edgeScanners(['email']);

const HEX = '0123456789abcdefABCDEF';
const NOT_HEX = 'ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ';
/** Printable ASCII that starts no other escape in the next round (`%`, `\`, `&`, `+`, `=`). */
const plainCode = fc.integer({ min: 32, max: 126 }).filter((c) => !'%\\&+='.includes(String.fromCharCode(c)));
/** Text around an escape: letters, digits, blanks, `.`, `@` (nothing another rule decodes). */
const around = fc.stringMatching(/^[a-z0-9 .@]{0,10}$/);

/** `value` in hex, `width` digits, each letter digit in a random case. */
const hexOf = (value: number, width: number, upper: readonly boolean[]) =>
  [...value.toString(16).padStart(width, '0')].map((d, k) => (upper[k % upper.length] ? d.toUpperCase() : d)).join('');

/** A well-formed escape of the character `code` in one of the forms the view decodes. */
const escapeOf = fc
  .tuple(plainCode, fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 9 }))
  .map(([code, upper, form]) => {
    const forms = [
      `\\u${hexOf(code, 4, upper)}`,
      `\\u{${hexOf(code, 1 + (upper.length % 6), upper)}}`,
      `\\x${hexOf(code, 2, upper)}`,
      `&#${code};`,
      `&#${String(code).padStart(7, '0')};`,
      `&#x${hexOf(code, 2, upper)};`,
      `&#X${hexOf(code, 6, upper)};`,
      `%${hexOf(code, 2, upper)}`,
      `&#${code}`, // the `;` of a numeric reference is optional (a letter follows: no digit extends it)
      `%${hexOf(code, 2, upper)}`,
    ];
    return { escape: forms[form], char: String.fromCharCode(code), open: form === 8 };
  });

describe('a well-formed escape becomes its character, mapped to the escape', () => {
  it('the view reads the character where the escape was, every other character mapped to itself', () => {
    fc.assert(
      fc.property(around, escapeOf, around, (a, { escape, char, open }, b0) => {
        const b = open ? `z${b0}` : b0;
        const view = normalizeView(a + escape + b);
        expect(view?.text, JSON.stringify(a + escape + b)).toBe(a + char + b);
        const at = a.length;
        expect([view!.from[at], view!.to[at]]).toEqual([at, at + escape.length]);
        for (let k = 0; k < a.length; k++) expect([view!.from[k], view!.to[k]]).toEqual([k, k + 1]);
        for (let k = 0; k < b.length; k++) {
          const o = at + escape.length + k;
          expect([view!.from[at + 1 + k], view!.to[at + 1 + k]]).toEqual([o, o + 1]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an address whose `@` and dot are escaped is masked exactly in the original', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{3,8}$/), fc.integer({ min: 0, max: 7 }), (name, form) => {
        const at = ['\\u0040', '\\u{40}', '\\x40', '&#64;', '&#x40;', '%40', '&commat;', '\\@'][form];
        const dot = ['\\u002e', '\\u{2E}', '\\x2e', '&#46;', '&#x2E;', '%2e', '&period;', '\\.'][form];
        for (const s of emails.scanners)
          expect(s.scan(`to ${name}${at}example${dot}com ok`).value).toBe('to [REDACTED:email] ok');
      }),
      { numRuns: 40 },
    );
  });
});

describe('a run of %XX triplets', () => {
  it('of ASCII bytes maps each character to its own triplet; of UTF-8 bytes maps the run whole', () => {
    fc.assert(
      fc.property(around, fc.array(plainCode, { minLength: 2, maxLength: 8 }), around, (a, codes, b) => {
        const run = codes.map((c) => `%${c.toString(16).padStart(2, '0')}`).join('');
        const view = normalizeView(`${a}${run}${b}`)!;
        expect(view.text).toBe(a + String.fromCharCode(...codes) + b);
        for (let k = 0; k < codes.length; k++)
          expect([view.from[a.length + k], view.to[a.length + k]]).toEqual([a.length + 3 * k, a.length + 3 * k + 3]);
        // `é` (two UTF-8 bytes) after the ASCII run: one run of triplets, decoded as UTF-8 and mapped whole.
        const mixed = normalizeView(`${a}${run}%C3%A9${b}`)!;
        expect(mixed.text).toBe(a + String.fromCharCode(...codes) + 'é' + b);
        expect([mixed.from[a.length], mixed.to[a.length]]).toEqual([a.length, a.length + run.length + 6]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the forms of encoded-forms.ts (UTF-7, octal, `%u`, CSS) between plain words', () => {
  it('each becomes `@` mapped to its own range, every word kept in place', () => {
    const form = fc.constantFrom('+AEA-', '\\100', '%u0040', '\\40 ');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), form), { minLength: 1, maxLength: 4 }),
        fc.stringMatching(/^[a-z]{0,6}$/),
        (parts, last) => {
          const text = parts.map(([w, f]) => w + f).join('') + last;
          const view = normalizeView(text)!;
          expect(view?.text, JSON.stringify(text)).toBe(parts.map(([w]) => `${w}@`).join('') + last);
          let at = 0;
          let k = 0;
          for (const [w, f] of parts) {
            at += w.length;
            k += w.length;
            expect([view.from[k], view.to[k]], JSON.stringify(text)).toEqual([at, at + f.length]);
            at += f.length;
            k += 1;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** `ch` (printable ASCII) in one escape kind: `%XX`, `\uXXXX`, `\u{X}`, `\xXX`, `&#N;`, `&#xH;`. */
const escapeChar = (ch: string, kind: number) => {
  const c = ch.charCodeAt(0);
  const h = c.toString(16).padStart(2, '0');
  return [`%${h}`, `\\u00${h}`, `\\u{${h}}`, `\\x${h}`, `&#${c};`, `&#x${h};`][kind];
};

describe('nested escapes (an escape of an escape, up to three layers)', () => {
  // Each layer escapes the previous layer's first character (`%2540`) or all of them (`%25%34%30`).
  const layers = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 3 });

  it('decode to the character, mapped to the whole nested escape', () => {
    fc.assert(
      fc.property(around, plainCode, layers, around, (a, code, kinds, b) => {
        const char = String.fromCharCode(code);
        let escape = char;
        for (const [kind, all] of kinds)
          escape = all
            ? [...escape].map((ch) => escapeChar(ch, kind)).join('')
            : escapeChar(escape[0], kind) + escape.slice(1);
        const view = normalizeView(a + escape + b);
        expect(view?.text, JSON.stringify(a + escape + b)).toBe(a + char + b);
        expect([view!.from[a.length], view!.to[a.length]]).toEqual([a.length, a.length + escape.length]);
      }),
      { numRuns: 300 },
    );
  });
});

/** One escape broken at one of its digits: a non-hex letter where a hex digit is needed, or a digit missing. */
const brokenEscape = fc
  .tuple(
    fc.integer({ min: 0, max: 7 }),
    fc.array(fc.constantFrom(...HEX), { minLength: 6, maxLength: 6 }),
    fc.constantFrom(...NOT_HEX),
    fc.nat(),
  )
  .map(([form, digits, bad, k]) => {
    const withBad = (n: number) => {
      const d = digits.slice(0, n);
      d[k % n] = bad;
      return d.join('');
    };
    return [
      `\\u${withBad(4)}`, // a non-hex digit among the four
      `\\x${withBad(2)}`, // a non-hex digit among the two
      `\\u${digits.slice(0, 3).join('')} `, // three digits, then a blank
      `\\u{${withBad(1 + (k % 6))}}`, // a non-hex digit in braces
      `\\u{}`, // no digit
      `\\u{110000}`, // past the last code point
      `&#0;`, // NUL is no character reference
      `&#x110000;`, // past the last code point
    ][form];
  });

describe('a broken escape is left as written', () => {
  it('a value whose only escape is broken has no view', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z .@]{0,10}$/),
        brokenEscape,
        fc.stringMatching(/^[ .@][a-z .@]{0,9}$/),
        (a, escape, b) => {
          expect(normalizeView(a + escape + b), JSON.stringify(a + escape + b)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('named references need their `;` and a known name; the name is read in any case', () => {
    for (const text of ['jane&commat example.com', 'jane&comat;example.com', 'jane&commatx;example.com'])
      expect(normalizeView(text), text).toBeUndefined();
    expect(normalizeView('jane&COMMAT;example&Period;com')?.text).toBe('jane@example.com');
  });

  it('through real SDK providers with the default policy, an address with an escaped `@` is not exported', () => {
    const json = defaultPipeline().exported('reply to jane\\u0040example.com');
    expect(json).toContain('reply to');
    expect(json).not.toContain('jane');
  });
});
