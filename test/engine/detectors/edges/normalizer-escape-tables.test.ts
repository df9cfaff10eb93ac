import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isControl, isHex, normalizeView } from '../../../../engine/detectors/normalizer';
import { edges } from './helpers';
import { defaultPipeline } from './secret-edges-helpers';

// The decoding rounds of the normalized view (docs/detectors.md "Normalized views"), checked for EVERY character:
// an escape of a character reads exactly as the character written plainly (the same view text), and each character
// of the view maps into the escape it came from. The escapes: percent-encoding of its UTF-8 bytes (upper and lower
// case hex), `\uXXXX`, `\u{X}`, `\xXX` (below U+0100), `&#N;`, `&#xH;` (not NUL: `&#0;` is no character).
// The exported character classes are checked against regular expressions.

type Escape = (cp: number) => string | undefined;

const hex = (v: number, width: number) => v.toString(16).padStart(width, '0');

const ESCAPES: Record<string, Escape> = {
  'percent, upper case': (cp) =>
    [...Buffer.from(String.fromCodePoint(cp), 'utf8')].map((b) => `%${hex(b, 2).toUpperCase()}`).join(''),
  'percent, lower case': (cp) =>
    [...Buffer.from(String.fromCodePoint(cp), 'utf8')].map((b) => `%${hex(b, 2)}`).join(''),
  '\\uXXXX': (cp) => (cp <= 0xffff ? `\\u${hex(cp, 4)}` : undefined),
  '\\uXXXX upper case': (cp) => (cp <= 0xffff ? `\\u${hex(cp, 4).toUpperCase()}` : undefined),
  '\\u{X}': (cp) => `\\u{${hex(cp, 1)}}`,
  '\\u{X} upper case': (cp) => `\\u{${hex(cp, 1).toUpperCase()}}`,
  '\\xXX': (cp) => (cp <= 0xff ? `\\x${hex(cp, 2)}` : undefined),
  '\\xXX upper case': (cp) => (cp <= 0xff ? `\\x${hex(cp, 2).toUpperCase()}` : undefined),
  '&#N;': (cp) => (cp > 0 ? `&#${cp};` : undefined),
  '&#xH;': (cp) => (cp > 0 ? `&#x${hex(cp, 1)};` : undefined),
  '&#XH; upper case': (cp) => (cp > 0 ? `&#X${hex(cp, 1).toUpperCase()};` : undefined),
};

/**
 * The code points checked: U+0000-U+2FFF (Latin, the compatibility characters, the dashes, the dots), the first 512
 * after each multiple of U+1000 (every hex digit in every place), the fullwidth forms; not the surrogates (UTF-8
 * cannot hold them); some above the Basic Multilingual Plane. Not a backslash (U+005C and what NFKC folds to it): escaped
 * or plain, before the blank that separates the characters here it is an escaped blank (`\ `), read as one blank.
 */
const CODE_POINTS: number[] = [];
for (let cp = 0; cp < 0x10000; cp++)
  if (
    (cp < 0xd800 || cp > 0xdfff) &&
    String.fromCharCode(cp).normalize('NFKC') !== '\\' &&
    (cp < 0x3000 || (cp & 0xfff) < 0x200 || cp >= 0xff00)
  )
    CODE_POINTS.push(cp);
for (const cp of [0x10000, 0x1d7ce, 0x1f600, 0xe0041, 0x10ffff]) CODE_POINTS.push(cp);

/** ` e1 e2 … ` against ` c1 c2 … `: equal views, and each view character inside one escape or one space. */
function check(points: readonly number[], escape: Escape): string[] {
  const kept = points.filter((cp) => escape(cp) !== undefined);
  if (kept.length === 0) return [];
  const escapes = kept.map((cp) => escape(cp)!);
  const text = ` ${escapes.join(' ')} `;
  const plain = ` ${kept.map((cp) => String.fromCodePoint(cp)).join(' ')} `;
  const view = normalizeView(text);
  const want = normalizeView(plain)?.text ?? plain;
  if (view === undefined) return ['no view'];
  if (view.text !== want) {
    const bad: string[] = [];
    for (const cp of kept) {
      const one = ` ${escape(cp)} `;
      const direct = ` ${String.fromCodePoint(cp)} `;
      const got = normalizeView(one)?.text ?? one;
      const expected = normalizeView(direct)?.text ?? direct;
      if (got !== expected) bad.push(`${JSON.stringify(one)}: ${JSON.stringify(got)} not ${JSON.stringify(expected)}`);
    }
    return bad.length > 0 ? bad : ['the block differs, each alone does not'];
  }
  // Token boundaries: the index of the token (space or escape) each code unit of the original belongs to.
  const token = new Int32Array(text.length);
  let t = 0;
  let p = 0;
  token[p++] = t++;
  for (const e of escapes) {
    for (let k = 0; k < e.length; k++) token[p++] = t;
    t++;
    token[p++] = t++;
  }
  const bad: string[] = [];
  for (let k = 0; k < view.text.length && bad.length < 5; k++) {
    const f = view.from[k];
    const e = view.to[k];
    if (!(f < e) || token[f] !== token[e - 1] || (k > 0 && f < view.from[k - 1]))
      bad.push(`view[${k}] ${JSON.stringify(view.text[k])} maps to ${JSON.stringify(text.slice(f, e))}`);
  }
  // A whole escape is the source of its character: the first and last code unit of the escape are covered.
  return bad;
}

describe('every character escaped reads as the character written plainly, mapped to its escape', () => {
  for (const [name, escape] of Object.entries(ESCAPES)) {
    it(name, () => {
      const bad: string[] = [];
      for (let k = 0; k < CODE_POINTS.length; k += 1024) bad.push(...check(CODE_POINTS.slice(k, k + 1024), escape));
      expect(bad.slice(0, 20)).toEqual([]);
    });
  }
});

describe('the exported character classes, every code unit', () => {
  it('isHex is 0-9, A-F, a-f', () => {
    const bad: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (isHex(c) !== /^[0-9A-Fa-f]$/.test(String.fromCharCode(c))) bad.push(c);
    expect(bad).toEqual([]);
  });

  it('isControl is the C0 controls but tab, LF and CR, and DEL', () => {
    const bad: number[] = [];
    // eslint-disable-next-line no-control-regex
    const control = /^[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]$/;
    for (let c = 0; c < 0x10000; c++) if (isControl(c) !== control.test(String.fromCharCode(c))) bad.push(c);
    expect(bad).toEqual([]);
  });
});

// A control character is removed from the view whether it is written as it is or escaped (`%01`, `\x01`, `&#1;`,
// `\u007f`): an escaped one decoded into otherwise ASCII text used to stay in the view and cut the value in two.
describe('an escaped control character inside a value is removed like a plain one', () => {
  const controls = fc
    .integer({ min: 0, max: 32 })
    .map((c) => (c === 32 ? 127 : c))
    .filter((c) => ![9, 10, 11, 12, 13].includes(c));
  const escapeOf = fc.constantFrom<Escape>(ESCAPES['percent, upper case'], ESCAPES['\\xXX'], ESCAPES['\\uXXXX'], (c) =>
    c > 0 ? `&#${c};` : `%00`,
  );

  it('an address and an SSN with one inside are masked whole, pre-filter on and off', () => {
    const email = edges('email');
    const ssn = edges('us-ssn');
    fc.assert(
      fc.property(controls, escapeOf, fc.integer({ min: 1, max: 15 }), (c, escape, at) => {
        const address = 'jane.doe@example.com';
        const cut = Math.min(at, address.length - 1);
        email.masks('to ', address.slice(0, cut) + escape(c)! + address.slice(cut), ' ok');
        ssn.masks('ssn ', `123-45-${escape(c)!}6789`, ' ok');
      }),
      { numRuns: 60 },
    );
  });

  it('through real SDK providers with the default policy, such an address is not exported', () => {
    const json = defaultPipeline().exported('mail jane.doe@%01example.com now');
    expect(json).not.toContain('jane.doe@');
    expect(json).toContain('mail');
  });
});

/** The named references the view decodes (docs/detectors.md), with their characters from the HTML standard. */
const NAMED: Record<string, number> = {
  amp: 0x26,
  lt: 0x3c,
  gt: 0x3e,
  quot: 0x22,
  apos: 0x27,
  nbsp: 0xa0,
  commat: 0x40,
  period: 0x2e,
  plus: 0x2b,
  minus: 0x2212,
  dash: 0x2010,
  hyphen: 0x2010,
  colon: 0x3a,
  semi: 0x3b,
  sol: 0x2f,
  bsol: 0x5c,
  equals: 0x3d,
  num: 0x23,
  percnt: 0x25,
  lpar: 0x28,
  rpar: 0x29,
  comma: 0x2c,
  lowbar: 0x5f,
  excl: 0x21,
  quest: 0x3f,
  dollar: 0x24,
  ast: 0x2a,
  tilde: 0x7e,
};

describe('named and numeric character references', () => {
  /** The view of ` <reference> `, read as the character written plainly would be. */
  const reads = (reference: string, cp: number) => {
    const plain = ` ${String.fromCodePoint(cp)} `;
    expect(normalizeView(` ${reference} `)?.text, reference).toBe(normalizeView(plain)?.text ?? plain);
  };

  it('each named reference of the list, in any case, reads as its character', () => {
    for (const [name, cp] of Object.entries(NAMED)) {
      reads(`&${name};`, cp);
      reads(`&${name.toUpperCase()};`, cp);
      reads(`&${name[0].toUpperCase()}${name.slice(1)};`, cp);
    }
  });

  it('a name not in the list, one without its `;`, one too long or empty is left as written', () => {
    for (const text of ['&copy;', '&ampx;', '&amp', '&commatx;', '&abcdefgh;', '&;', '& amp;', '&am p;', '&#;', '&#x;'])
      expect(normalizeView(` ${text} `), text).toBeUndefined();
  });

  it('numeric references: the last code point, NUL and past the last refused, the `;` optional, eight digits at most', () => {
    reads('&#1114111;', 0x10ffff);
    reads('&#x10FFFF;', 0x10ffff);
    reads('&#64', 0x40);
    reads('&#x40', 0x40);
    reads('&#00000064;', 0x40);
    for (const text of ['&#1114112;', '&#x110000;', '&#0;', '&#x0;', '&#00;'])
      expect(normalizeView(` ${text} `), text).toBeUndefined();
    // Nine digits: the first eight are the reference, the ninth follows it.
    expect(normalizeView(' &#000000649; ')?.text).toBe(' @9; ');
  });

  it('a reference at the very end of the value', () => {
    expect(normalizeView('a&lt;')?.text).toBe('a<');
    expect(normalizeView('a&#64')?.text).toBe('a@');
    expect(normalizeView('a&#9')).toBeUndefined();
  });
});

describe('JS/JSON escapes at their edges', () => {
  it('a backslash before / \\ " \' @ . - and what shells, Lucene and Markdown escape reads as that character; before another printable ASCII character it stays', () => {
    for (let c = 32; c < 127; c++) {
      const ch = String.fromCharCode(c);
      const view = normalizeView(` \\${ch} `);
      // `\\` reads as `\`, and that with the blank after it as an escaped blank (a second round)
      if (ch === '\\') expect(view?.text).toBe('  ');
      else if ('/"\'@.- :_+()[]{}!^~*?#='.includes(ch)) expect(view?.text, ch).toBe(` ${ch} `);
      // Hex digits start CSS escapes, digits octal ones (encoded-forms.ts); `u`, `x` need their digits.
      else if (!/[0-9A-Fa-f]/.test(ch)) expect(view, ch).toBeUndefined();
    }
  });

  it('\\u{…}: one to seven hex digits up to U+10FFFF; \\uXXXX and \\xXX need all their digits', () => {
    expect(normalizeView(' \\u{0000040} ')?.text).toBe(' @ ');
    expect(normalizeView(' \\u{10ffff} ')?.text).toBe(` ${String.fromCodePoint(0x10ffff)} `);
    for (const text of [
      '\\u{00000040}',
      '\\u{110000}',
      '\\u{}',
      '\\u{40',
      '\\u{4g}',
      '\\u004',
      '\\u004g',
      '\\x4',
      '\\x4g',
    ])
      expect(normalizeView(` ${text} `), text).toBeUndefined();
    for (const text of ['\\u{40', '\\u004', '\\x4', '\\u', '\\x', '\\'])
      expect(normalizeView(`a${text}`), text).toBeUndefined();
    expect(normalizeView('a\\u0040')?.text).toBe('a@');
    expect(normalizeView('a\\x40')?.text).toBe('a@');
    expect(normalizeView('a\\u{40}')?.text).toBe('a@');
  });
});
