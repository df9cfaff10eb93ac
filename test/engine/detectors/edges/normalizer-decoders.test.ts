import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64Runs,
  decodeBase32Text,
  decodeBase64Text,
  decodeHexText,
  hexRuns,
} from '../../../../engine/detectors/normalizer';
import { base32, scannersFor, utf16be } from './helpers';
import { defaultPipeline } from './secret-edges-helpers';

// The run decoders of the normalized view (docs/detectors.md "Normalized views": base64, hex and base32 runs decoded
// and scanned "when it is text") against a reference: Node's own Buffer (base64, base64url, hex) and an RFC 4648
// base32 encoder written here. A text that is readable — no control character but tab and line breaks, no DEL, no
// replacement character, nine in ten characters printable — of six bytes or more comes back exactly; anything else
// gives undefined. The texts are built around the byte edges the decoders read: tab, line breaks and the other
// controls, DEL, and characters whose UTF-8 holds 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xEF, 0xF0 and 0xF4.

/** Characters whose UTF-8 bytes sit at the edges (one to four bytes). */
const EDGE_CHARS = [
  '\u0080', // C2 80
  '\u00bf', // C2 BF
  '\u00c0', // C3 80
  '\u0100', // C4 80
  '\u07ff', // DF BF
  '\u0800', // E0 A0 80
  '\u20ac', // E2 82 AC
  '\uffef', // EF BF AF
  '\u{10000}', // F0 90 80 80
  '\u{10ffff}', // F4 8F BF BF
  'é',
  'Ж',
  '客',
];
const PRINTABLE = fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c));
/** A character of the first six bytes: printable ASCII, tab and line breaks, an edge character. */
const startChar = fc.oneof(
  { weight: 6, arbitrary: PRINTABLE },
  { weight: 1, arbitrary: fc.constantFrom('\t', '\n', '\r') },
  { weight: 2, arbitrary: fc.constantFrom(...EDGE_CHARS) },
);
/** Any later character, controls and DEL included (never NUL: zero bytes start the UTF-16 reading). */
const laterChar = fc.oneof(
  { weight: 12, arbitrary: startChar },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 31 }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\u007f', '\ufffd') },
);
/**
 * A text: six to ten start characters (six bytes or more: a control character among the first six bytes may start
 * a UTF-16 reading instead), then up to 20 others.
 */
const text = fc
  .tuple(fc.array(startChar, { minLength: 6, maxLength: 10 }), fc.array(laterChar, { maxLength: 20 }))
  .map(([a, b]) => a.join('') + b.join(''));
/** Texts of one to five bytes. */
const short = fc.array(PRINTABLE, { minLength: 1, maxLength: 5 }).map((a) => a.join(''));

/** The reference: whether decoded text is text a person reads (from the decoders' documentation). */
function readable(s: string): boolean {
  let printable = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127 || c === 0xfffd) return false;
    if (c >= 32 || c === 10 || c === 13) printable++;
  }
  // Code units, as a reader of JavaScript strings counts them.
  return printable + (s.length - [...s].length) >= s.length * 0.9;
}

const expected = (s: string) => (Buffer.byteLength(s) >= 6 && readable(s) ? s : undefined);

describe('base64, hex and base32 of a text decode to exactly that text when it is readable, else to nothing', () => {
  it('base64 (padded, unpadded, base64url)', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('base64', 'unpadded', 'base64url'), (s, form) => {
        const b64 = Buffer.from(s, 'utf8').toString(form === 'base64url' ? 'base64url' : 'base64');
        const run = form === 'unpadded' ? b64.replace(/=+$/, '') : b64;
        expect(decodeBase64Text(run), JSON.stringify(run)).toBe(b64.length >= 8 ? expected(s) : undefined);
      }),
      { numRuns: 1500 },
    );
  });

  it('hex (lower and upper case)', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (s, upper) => {
        const hex = Buffer.from(s, 'utf8').toString('hex');
        expect(decodeHexText(upper ? hex.toUpperCase() : hex), JSON.stringify(s)).toBe(expected(s));
      }),
      { numRuns: 1000 },
    );
  });

  it('base32 (padded and unpadded)', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (s, padded) => {
        const b32 = base32(Buffer.from(s, 'utf8'));
        const run = padded ? b32 : b32.replace(/=+$/, '');
        expect(decodeBase32Text(run), JSON.stringify(run)).toBe(run.length >= 10 ? expected(s) : undefined);
      }),
      { numRuns: 1000 },
    );
  });

  it('fewer than six bytes decode to nothing', () => {
    fc.assert(
      fc.property(short, (s) => {
        const bytes = Buffer.from(s, 'utf8');
        expect(decodeBase64Text(bytes.toString('base64'))).toBeUndefined();
        expect(decodeHexText(bytes.toString('hex'))).toBeUndefined();
        expect(decodeBase32Text(base32(bytes))).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('a run that is not of the alphabet (lower case, another character) is not base32', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.constantFrom('a', '1', '8', '9', '0', '+', '/', '=A'), (s, at, bad) => {
        const b32 = base32(Buffer.from(`${s}jane@example.com`, 'utf8')).replace(/=+$/, '');
        const k = at % b32.length;
        expect(decodeBase32Text(b32.slice(0, k) + bad + b32.slice(k + 1))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

/** Reference `looksBase64` from its documentation: upper case letters, and two digits or one upper case in five. */
function letterMix(run: string, padded: boolean): boolean {
  const upper = run.replace(/[^A-Z]/g, '').length;
  const digits = run.replace(/[^0-9]/g, '').length;
  // A run of upper case letters only is read from 16 characters on, or before padding.
  const onlyUpper = upper === run.length;
  return upper > 0 && (!onlyUpper || run.length >= 16 || padded) && (digits >= 2 || upper * 5 >= run.length);
}

/** Reference `base64Runs` for text without line breaks: each run whole, else its `/` segments. */
function referenceRuns(s: string): number[] {
  const out: number[] = [];
  for (const m of s.matchAll(/[A-Za-z0-9+/_-]+/g)) {
    const start = m.index;
    const stop = start + m[0].length;
    const pad = /^={0,2}/.exec(s.slice(stop))![0].length;
    const padded = pad > 0;
    const long = (len: number, p: boolean) => len >= 12 || (p && len >= 8);
    if (letterMix(m[0], padded) && long(m[0].length, padded)) {
      out.push(start, stop + pad);
      continue;
    }
    if (!/[A-Z]/.test(m[0]) || !m[0].includes('/')) continue;
    let from = start;
    for (const segment of m[0].split('/')) {
      const last = from + segment.length === stop;
      const p = last && padded;
      if (segment.length > 0 && letterMix(segment, p) && long(segment.length, p))
        out.push(from, p ? stop + pad : from + segment.length);
      from += segment.length + 1;
    }
  }
  return out;
}

/** Pieces of text around which runs are found: base64 of texts, identifiers, words, paths, separators. */
const piece = fc.oneof(
  text.map((s) => Buffer.from(s, 'utf8').toString('base64')),
  text.map((s) => Buffer.from(s, 'utf8').toString('base64url')),
  fc.stringMatching(/^[A-Za-z0-9]{1,20}$/),
  fc.stringMatching(/^[A-Z2-7]{6,20}={0,3}$/),
  fc.stringMatching(/^[a-z]{1,8}(\/[A-Za-z0-9]{1,16}){1,4}={0,2}$/),
  fc.constantFrom(' ', '.', ':', '=', '"', '/', '-', '_', '+', '==', ' = ', '~', '|', '[', '{', '`', '@', 'é'),
);

describe('base64Runs and hexRuns find exactly the runs their documentation names', () => {
  it('base64Runs against a reference written from its documentation (one line)', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (pieces) => {
        const s = pieces.join('');
        expect(base64Runs(s), JSON.stringify(s)).toEqual(referenceRuns(s));
      }),
      { numRuns: 1500 },
    );
  });

  it('hexRuns returns the hex of a readable text whole, from its second digit when a digit is glued on', () => {
    fc.assert(
      fc.property(
        text.filter((s) => expected(s) !== undefined),
        fc.constantFrom('', '0', 'f', 'A'),
        fc.constantFrom('', ' ', 'g', ':'),
        fc.boolean(),
        (s, glued, after, upper) => {
          const raw = Buffer.from(s, 'utf8').toString('hex');
          const hex = upper ? raw.toUpperCase() : raw;
          const value = `id ${glued}${hex}${after}`;
          const start = 3 + glued.length;
          const runs = hexRuns(value);
          const pairs = runs.map((_, k) => `${runs[k]}-${runs[k + 1]}`).filter((_, k) => k % 2 === 0);
          expect(pairs, JSON.stringify(value)).toContain(`${start}-${start + hex.length}`);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('hexRuns skips runs shorter than 12 digits and digests of random bytes that do not start text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 32 }), (bytes) => {
        const hex = Buffer.from(bytes).toString('hex');
        const runs = hexRuns(`x ${hex} y`);
        if (hex.length < 12) expect(runs).toEqual([]);
        else for (let k = 0; k < runs.length; k += 2) expect([2, 3]).toContain(runs[k]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('a readable text encoded in a run is found in the original, pre-filter on and off', () => {
  const email = scannersFor('email');

  it('base64, hex and base32 of a text holding an address', () => {
    fc.assert(
      fc.property(
        text.filter((s) => expected(`${s} jane.doe@example.com`) !== undefined),
        fc.constantFrom('base64', 'hex', 'base32'),
        (s, form) => {
          const bytes = Buffer.from(`${s} jane.doe@example.com`, 'utf8');
          const run = form === 'base32' ? base32(bytes) : bytes.toString(form);
          for (const scanner of email) {
            const out = scanner.scan(`data ${run} end`);
            // Base32 padding past two `=` is left after the mask (no data in it).
            expect(out.value, JSON.stringify(run)).toMatch(/^data \[X:email\]=* end$/);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

// Hex of ASCII text shifted by a nibble (a digit glued on before it) often reads as UTF-16 of CJK text: the run was
// then read from its first digit only, and the address in it was exported (about one in a hundred such values).
describe('hex of a text with a digit glued on before it', () => {
  const email = scannersFor('email');
  const words = fc.array(fc.constantFrom('user', 'mail', 'to', 'from', 'jane', 'id', 'note', 'A1', 'Bob', 'reply'), {
    minLength: 1,
    maxLength: 3,
  });

  it('the address in it is masked, pre-filter on and off', () => {
    fc.assert(
      fc.property(words, fc.constantFrom(...'0123456789abcdef'), (w, glued) => {
        const hex = Buffer.from(`${w.join(' ')} jane.doe@example.com`).toString('hex');
        for (const scanner of email)
          expect(scanner.scan(`id ${glued}${hex} end`).value, `${glued}${hex}`).toBe(`id ${glued}[X:email] end`);
      }),
      { numRuns: 400 },
    );
  });

  it('one that read as UTF-16 from its first digit', () => {
    const hex = Buffer.from('mail to from jane.doe@example.com').toString('hex');
    for (const scanner of email) expect(scanner.scan(`id 1${hex} end`).value).toBe('id 1[X:email] end');
  });

  it('through real SDK providers with the default policy, that address is not exported', () => {
    const hex = Buffer.from('mail to from jane.doe@example.com').toString('hex');
    const json = defaultPipeline().exported(`id 1${hex} end`);
    expect(json).not.toContain(hex.slice(-30));
    expect(json).toContain('end');
  });
});

/** Latin-1 text letters (`é`, `ß`, not `×` `÷`) and printable ASCII. */
const latinChar = fc.oneof(
  { weight: 4, arbitrary: PRINTABLE },
  { weight: 1, arbitrary: fc.integer({ min: 0xc0, max: 0xff }).filter((c) => c !== 0xd7 && c !== 0xf7) },
);
const latinText = fc
  .array(latinChar, { minLength: 3, maxLength: 24 })
  .map((a) => a.map((c) => (typeof c === 'number' ? String.fromCharCode(c) : c)).join(''))
  // One of the first units is ASCII (two after a byte order mark): `00ff00ff…` is binary, not `ÿÿÿ`.
  .filter((s) => /[\x20-\x7e]/.test(s.slice(0, 2)) && readable(s));
/**
 * Words of one other script (Greek, Cyrillic, Armenian, Devanagari, kana: three units of one alphabet start text;
 * CJK, Hangul and an emoji of at most two units, followed by a space).
 */
const scriptWord = fc.constantFrom('Ωμέγα', 'Клиент', 'Բարեւ', 'ग्राहक', 'カタカナ', 'ひらがな', '客户', '고객', '😀');

describe('UTF-16 text in base64 and hex decodes to that text', () => {
  it('Latin-1 text, little endian, big endian and after a byte order mark', () => {
    fc.assert(
      fc.property(latinText, fc.constantFrom('le', 'be', 'bom-le', 'bom-be'), fc.boolean(), (s, order, hex) => {
        const body = order.endsWith('be') ? utf16be(s) : Buffer.from(s, 'utf16le');
        const bytes =
          order === 'bom-le'
            ? Buffer.concat([Buffer.from([0xff, 0xfe]), body])
            : order === 'bom-be'
              ? Buffer.concat([Buffer.from([0xfe, 0xff]), body])
              : body;
        const out = hex ? decodeHexText(bytes.toString('hex')) : decodeBase64Text(bytes.toString('base64'));
        expect(out, `${order} ${JSON.stringify(s)}`).toBe(s);
      }),
      { numRuns: 600 },
    );
  });

  it('text in another script (little endian) with an address is masked whole, pre-filter on and off', () => {
    const email = scannersFor('email');
    fc.assert(
      fc.property(fc.array(scriptWord, { minLength: 1, maxLength: 3 }), fc.boolean(), (words, hex) => {
        const bytes = Buffer.from(`${words.join(' ')} jane.doe@example.com`, 'utf16le');
        const run = hex ? bytes.toString('hex') : bytes.toString('base64');
        for (const scanner of email)
          expect(scanner.scan(`data ${run} end`).value, JSON.stringify(words)).toBe('data [X:email] end');
      }),
      { numRuns: 150 },
    );
  });
});

// Hex of UTF-16 text whose first unit is two printable bytes (`ひ` is 72 30, `口` 63 53) was only tried as UTF-8: the
// UTF-16 reading was tried when one of the first two bytes was no text, so the address after the word was exported.
describe('hex of UTF-16 text whose first unit reads as two ASCII characters', () => {
  const hex = Buffer.from('ひらがな jane.doe@example.com', 'utf16le').toString('hex');

  it('is decoded and the address masked, pre-filter on and off', () => {
    for (const scanner of scannersFor('email'))
      expect(scanner.scan(`data ${hex} end`).value).toBe('data [X:email] end');
  });

  it('through real SDK providers with the default policy, the address is not exported', () => {
    const json = defaultPipeline().exported(`data ${hex} end`);
    expect(json).not.toContain(hex.slice(-30));
    expect(json).toContain('end');
  });
});
