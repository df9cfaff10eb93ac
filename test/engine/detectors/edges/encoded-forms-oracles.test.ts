import fc from 'fast-check';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  MAX_UTF7_SEGMENT,
  compressedStart,
  cssEscapeAt,
  decodeLowerBase64,
  groupSeparator,
  groupedBase64MayDecode,
  groupedBase64Runs,
  hasQuotedPrintable,
  lowerBase64MayDecode,
  lowerBase64Runs,
  octalEscapesAt,
  percentUAt,
  quotedPrintableAt,
  reversed,
  ungroupedBase64,
  upperBase64MayDecode,
  utf7At,
  utf8TextByte,
} from '../../../../engine/detectors/encoded-forms';
import { LOWER, chars, edgeScanners } from './secret-edges-helpers';

// Differential oracles for the decoders of engine/detectors/encoded-forms.ts whose doc comments state a contract:
// each is compared with a slow reference written from that contract and from docs/detectors.md ("Normalized views":
// quoted-printable, octal, CSS, `%u`, UTF-7, grouped base64, gzip/zlib), with regular expressions, Node's own
// decoders (TextDecoder, Buffer) and bit strings instead of the library's byte arithmetic. Inputs are built around
// each rule's edges (a character more or less, the neighbouring characters of each class, both cases) rather than
// listed; the static tables (separators, the gzip/zlib starts, the "starts text" byte rule) are checked exhaustively.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Reference "bytes are text": well-formed UTF-8, and no ASCII control character but tab and line breaks, no DEL. */
function refText(bytes: readonly number[]): string | undefined {
  let s: string;
  try {
    s = strictUtf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  return [...s].some((ch) => (ch < ' ' && !'\t\n\r'.includes(ch)) || ch === '\x7f') ? undefined : s;
}

const at = (text: string, i: number) => (i >= 0 && i < text.length ? text[i]! : '');
const piece = (value: string, length: number) => ({ value, length });

/** Every position of `text` holding `ch`. */
const positions = (text: string, ch: string) => [...text].flatMap((c, i) => (c === ch ? [i] : []));

/** Strings over `alphabet` of up to `max` characters, with one of `seeds` spliced in (the rule's own forms). */
function around(alphabet: string, seeds: fc.Arbitrary<string>, max = 8) {
  const noise = fc.string({ unit: fc.constantFrom(...alphabet), maxLength: max });
  return fc.tuple(noise, seeds, noise).map(([a, s, b]) => a + s + b);
}

describe('utf8TextByte: the "starts text" rule, every byte in every state', () => {
  // Reference: the continuation bytes a well-formed UTF-8 sequence starting with `b` has (Node's strict decoder
  // tried with each plausible tail), an ASCII byte only when printable, tab or a line break.
  function refTextByte(b: number, need: number): number {
    if (need > 0) return b >= 0x80 && b <= 0xbf ? need - 1 : -1;
    if (b < 0x80) return refText([b]) === undefined ? -1 : 0;
    for (let k = 1; k <= 3; k++)
      for (const second of [0x80, 0x90, 0xa0, 0xbf]) {
        const seq = [b, ...Array.from({ length: k }, (_, m) => (m === 0 ? second : 0x80))];
        if (refText(seq) !== undefined && [...strictUtf8.decode(Uint8Array.from(seq))].length === 1) return k;
      }
    return -1;
  }

  it('matches the reference for all 256 bytes and 0 to 3 bytes expected', () => {
    for (let need = 0; need <= 3; need++)
      for (let b = 0; b < 256; b++) expect(utf8TextByte(b, need), `byte ${b}, need ${need}`).toBe(refTextByte(b, need));
  });
});

describe('groupSeparator and compressedStart: the static tables, every entry', () => {
  it('the separators of grouped base64 are exactly a blank, tab, line feed, `.`, `,`, `:`, `;` and `|`', () => {
    const wrong: number[] = [];
    for (let c = 0; c <= 0xffff; c++)
      if (groupSeparator(c) !== ' \t\n.,:;|'.includes(String.fromCharCode(c))) wrong.push(c);
    expect(wrong).toEqual([]);
  });

  // zlib's header is 78 01 (levels 0 and 1, and the Huffman-only, RLE and fixed strategies), 78 5e, 78 9c or 78 da;
  // after 78 01 the third base64 character holds the first two bits of the data: `eAE` to `eAH`.
  it('gzip (`H4sI`) and zlib (`eJ`, `eN`, `eF`, `eAE`-`eAH`) starts, for every pair of ASCII characters', () => {
    const starts = /^(?:H4sI|e[JNF]|eA[EFGH])/;
    const tails = ['sI', 'E', 'EA', 'sJ', 'tI', 'sH', 'F', 'I', 's', '', 'A', 'D', 'H', '0', '+'];
    const wrong: string[] = [];
    for (let a = 0; a < 128; a++)
      for (let b = 0; b < 128; b++)
        for (const tail of tails) {
          const text = String.fromCharCode(a, b) + tail;
          if (compressedStart(`x${text}`, 1) !== starts.test(text)) wrong.push(text);
        }
    expect(wrong).toEqual([]);
  });

  // A truncated stream gives what it holds; more than 64 KiB of output is not scanned: the run is masked (fail closed).
  it('an address in a truncated stream is masked; an output over 64 KiB masks the run as unscanned', () => {
    const scan = edgeScanners(['email']);
    fc.assert(
      fc.property(chars(LOWER, 3, 8), fc.integer({ min: 4, max: 12 }), fc.boolean(), (name, cut, gzip) => {
        const data = Buffer.from(`contact ${name}.doe@example.com ${'please '.repeat(20)}`);
        const full = (gzip ? zlib.gzipSync : zlib.deflateSync)(data);
        const run = full.subarray(0, full.length - cut).toString('base64');
        scan.found(`data ${run} end`, run);
      }),
      { numRuns: 20 },
    );
    const bomb = zlib.gzipSync(Buffer.alloc(70 * 1024, 'a')).toString('base64');
    for (const s of scan.scanners) expect(s.scan(`data ${bomb} end`).value).toBe('data [REDACTED:unscanned] end');
  });

  it('the gzip and zlib data Node writes at every level and strategy starts with one of those', () => {
    const data = Buffer.from('jane.doe@example.com');
    const { Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED, Z_DEFAULT_STRATEGY } = zlib.constants;
    for (let level = 0; level <= 9; level++)
      for (const strategy of [Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED]) {
        expect(compressedStart(zlib.gzipSync(data, { level, strategy }).toString('base64'), 0)).toBe(true);
        expect(compressedStart(zlib.deflateSync(data, { level, strategy }).toString('base64'), 0), `${level}`).toBe(
          true,
        );
      }
  });

  // zlib level 1 (`eAH…`) and the Huffman-only, RLE and fixed strategies were exported as written (the start check
  // knew 78 01 only as level 0's stored block, `eAE`).
  it('an address in zlib or gzip data of any level and strategy is masked (the whole run)', () => {
    const scan = edgeScanners(['email']);
    const { Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED, Z_DEFAULT_STRATEGY } = zlib.constants;
    fc.assert(
      fc.property(
        chars(LOWER, 3, 8),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom(Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED),
        fc.boolean(),
        (name, level, strategy, gzip) => {
          const data = Buffer.from(`contact ${name}.doe@example.com please`);
          const run = (gzip ? zlib.gzipSync : zlib.deflateSync)(data, { level, strategy }).toString('base64');
          scan.found(`data ${run} end`, run);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('%uXXXX, CSS and octal escapes against regular expressions', () => {
  const HEX = '0123456789abcdefABCDEF';

  it('%uXXXX: `%`, `u` of either case, exactly four hex digits, any code unit', () => {
    const ref = (text: string, i: number) => {
      const m = /%[uU]([0-9a-fA-F]{4})/y;
      m.lastIndex = i;
      const r = m.exec(text);
      return r ? piece(String.fromCharCode(parseInt(r[1]!, 16)), 6) : undefined;
    };
    fc.assert(
      fc.property(around(`${HEX}%uUgG@ x`, fc.constantFrom('%u', '%U', '%u00', '%uD83D', '%%u')), (text) => {
        for (const i of positions(text, '%')) expect(percentUAt(text, i), JSON.stringify(text)).toEqual(ref(text, i));
      }),
      { numRuns: 400 },
    );
  });

  it('CSS: 1 to 6 hex digits, one optional blank (CRLF as one), never a control character, surrogate or beyond U+10FFFF', () => {
    const ref = (text: string, i: number) => {
      const m = /\\([0-9a-fA-F]{1,6})(\r\n|[ \t\n\r])?/y;
      m.lastIndex = i;
      const r = m.exec(text);
      if (!r) return undefined;
      const v = parseInt(r[1]!, 16);
      if (v < 0x20 || (v >= 0x7f && v <= 0x9f) || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
      return piece(String.fromCodePoint(v), r[0].length);
    };
    const seeds = fc.oneof(
      fc.integer({ min: 0, max: 0x11ffff }).map((v) => `\\${v.toString(16)}`),
      fc.constantFrom('\\1f', '\\20', '\\7e', '\\7f', '\\9f', '\\a0', '\\d7ff', '\\d800', '\\dfff', '\\e000'),
      fc.constantFrom('\\10ffff', '\\110000', '\\0000040', '\\40\r\n', '\\40\r', '\\40\n\n', '\\40  '),
    );
    fc.assert(
      fc.property(around(`${HEX}\\ \t\r\ngx`, seeds, 6), (text) => {
        for (const i of positions(text, '\\')) expect(cssEscapeAt(text, i), JSON.stringify(text)).toEqual(ref(text, i));
      }),
      { numRuns: 600 },
    );
  });

  it('octal: runs of `\\ooo` (first digit 0-3, at most 64) as text bytes; a first non-ASCII one before a blank is CSS', () => {
    const ref = (text: string, i: number) => {
      const m = /\\([0-3][0-7]{2})/y;
      const bytes: number[] = [];
      let j = i;
      for (;;) {
        m.lastIndex = j;
        const r = bytes.length < 64 ? m.exec(text) : null;
        if (!r) break;
        const b = parseInt(r[1]!, 8);
        if (bytes.length === 0 && b >= 0x80 && /[ \t\n\r]/.test(at(text, j + 4))) break;
        bytes.push(b);
        j += 4;
      }
      if (bytes.length === 0) return undefined;
      const value = refText(bytes);
      return value === undefined ? undefined : piece(value, j - i);
    };
    const octal = (s: string, blank: boolean) =>
      [...Buffer.from(s)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('') + (blank ? ' ' : '');
    const seeds = fc.oneof(
      fc
        .tuple(fc.constantFrom('@', 'é', 'ja', '€', '\t', '\x7f', '𝒳', '\x01'), fc.boolean())
        .map(([s, b]) => octal(s, b)),
      fc.integer({ min: 0, max: 0o777 }).map((v) => `\\${v.toString(8).padStart(3, '0')}`),
      fc.constantFrom('\\400', '\\38', '\\3', '\\303', '\\303\\251', '\\200 ', '\\377\\377', '\\355\\240\\200'),
      fc.constant(octal('a'.repeat(65), false)),
    );
    fc.assert(
      fc.property(around('01234567\\ \t8a', seeds, 5), (text) => {
        for (const i of positions(text, '\\'))
          expect(octalEscapesAt(text, i), JSON.stringify(text)).toEqual(ref(text, i));
      }),
      { numRuns: 600 },
    );
  });
});

describe('quoted-printable against a reference written from the rule', () => {
  const SEPARATORS = '@ .-+/:_|*~';
  const ESCAPE_SYNTAX = '#%&;=\\{}';
  /** docs/detectors.md: when a lone triplet (decoding to `b`, followed by `next`) is decoded. */
  function refLone(text: string, i: number, b: number, next: string): boolean {
    const ch = String.fromCharCode(b);
    if (b < 0x80 && (SEPARATORS.includes(ch) || ESCAPE_SYNTAX.includes(ch)))
      return /^[A-Za-z0-9]$/.test(next) || (ch === '&' && next === '#');
    // a hex digit where another escape's digits go: after `%`, `\`, `%u`, `\u`, `\x`, `\u{`, `&#`, `&#x` and at most
    // four hex digits
    if (/^[0-9a-fA-F]$/.test(ch) && /(?:[%\\][uU]?|\\[xX]|\\[uU]\{|&#[xX]?)[0-9a-fA-F]{0,4}$/.test(text.slice(0, i)))
      return true;
    if (!/^[A-Za-z0-9]$/.test(ch) || b >= 0x80) return false;
    return !/^[a-z_]$/.test(at(text, i - 1)) || /^[A-Za-z]$/.test(next);
  }
  function ref(text: string, i: number, any: boolean) {
    const c1 = at(text, i + 1);
    if (c1 === '\n' || c1 === '\r') {
      const prev = at(text, i - 1);
      if (prev === '' || prev <= ' ') return undefined;
      if (c1 === '\n') return piece('', 2);
      return at(text, i + 2) === '\n' ? piece('', 3) : undefined;
    }
    const m = /(?:=[0-9a-fA-F]{2}){1,64}/y;
    m.lastIndex = i;
    const r = m.exec(text);
    if (!r) return undefined;
    const bytes = r[0].match(/=(..)/g)!.map((t) => parseInt(t.slice(1), 16));
    if (!any && bytes.length === 1 && !refLone(text, i, bytes[0]!, at(text, i + 3))) return undefined;
    const value = refText(bytes);
    return value === undefined ? undefined : piece(value, r[0].length);
  }
  const triplet = (b: number, upper: boolean) => {
    const h = b.toString(16).padStart(2, '0');
    return `=${upper ? h.toUpperCase() : h}`;
  };
  const seeds = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([b, u]) => triplet(b, u)),
    fc
      .tuple(fc.constantFrom('@', 'é', 'ja', '€', '.x', '\x7f', '𝒳', '\t\r\n', 'a\x01'), fc.boolean())
      .map(([s, u]) => [...Buffer.from(s)].map((b) => triplet(b, u)).join('')),
    fc.constantFrom('=\n', '=\r\n', '=\r', '=\rx', ' =\n', '=4', '=4g', '=C3', '=C3=A9', '=E2=82', '=26#'),
    fc.constant('=61'.repeat(65)),
    // A lone triplet of each separator, escape-syntax and other punctuation byte, before each kind of character.
    fc
      .tuple(
        fc.constantFrom(...'@ .-+/:_|*~#%&;=\\{}!"$\'()<>?[]^`,aZ09'),
        fc.boolean(),
        fc.constantFrom('a', 'Z', '0', '9', '#', ' ', '', '.', '_'),
        fc.constantFrom('', 'a', '_', 'Z', '0', ' '),
      )
      .map(([ch, u, next, prev]) => prev + triplet(ch.charCodeAt(0), u) + next),
    // A hex digit's triplet inside another escape's digits (`%u=3002E`, `&#x2=65;`), or after a word.
    fc
      .tuple(
        fc.constantFrom(
          '%',
          '\\',
          '%u',
          '%U0',
          '\\u00',
          '\\x',
          '\\X2',
          '\\u{',
          '&#',
          '&#x',
          '&#X1',
          'u',
          'x',
          '#',
          'ab12c',
        ),
        fc.constantFrom(...'09aAfF'),
        fc.boolean(),
        fc.constantFrom('', '0', 'E', '2E', ';', ' ', 'g'),
      )
      .map(([intro, ch, u, next]) => intro + triplet(ch.charCodeAt(0), u) + next),
  );
  const alphabet = 'aAzZ09_#.-@=&%\\ {}x\n\r\x01éuU';

  for (const any of [false, true])
    it(`${any ? 'every triplet (the second view)' : 'runs, soft line breaks and the lone-triplet rule'}: same piece at every \`=\``, () => {
      fc.assert(
        fc.property(around(alphabet, seeds, 4), (text) => {
          for (const i of positions(text, '='))
            expect(quotedPrintableAt(text, i, any), JSON.stringify(text)).toEqual(ref(text, i, any));
          // hasQuotedPrintable: some `=` starts a form; after other escapes (`any`), also a lone triplet of escape
          // syntax wherever it is.
          const forms = positions(text, '=').map((i) => [ref(text, i, false), ref(text, i, true)] as const);
          const escaped = (v: string | undefined) => v !== undefined && v !== '' && ESCAPE_SYNTAX.includes(v[0]!);
          expect(hasQuotedPrintable(text, any), JSON.stringify(text)).toBe(
            forms.some(([plain, every]) => plain !== undefined || (any && escaped(every?.value))),
          );
        }),
        { numRuns: 800 },
      );
    });
});

describe('UTF-7 against a bit-string decoder (RFC 2152)', () => {
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function ref(text: string, i: number) {
    if (at(text, i + 1) === '-') return piece('+', 2);
    const seg = /[A-Za-z0-9+/]*/y;
    seg.lastIndex = i + 1;
    const s = seg.exec(text)![0];
    if (s.length === 0 || s.length > MAX_UTF7_SEGMENT) return undefined;
    const bits = [...s].map((ch) => B64.indexOf(ch).toString(2).padStart(6, '0')).join('');
    const n = Math.floor(bits.length / 16);
    const rest = bits.slice(n * 16);
    if (n === 0 || rest.length >= 6 || rest.includes('1')) return undefined;
    const units = Array.from({ length: n }, (_, k) => parseInt(bits.slice(16 * k, 16 * k + 16), 2));
    const value = String.fromCharCode(...units);
    // Well-formed UTF-16: every high surrogate followed by a low one, every low one after a high one.
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) return undefined;
    const printable = (u: number) => !(u < 0x20 || u === 0x7f || (u >= 0x80 && u <= 0x9f) || u >= 0xfffd);
    if (!units.every((u) => (u >= 0xd800 && u <= 0xdfff) || printable(u))) return undefined;
    const explicit = at(text, i + 1 + s.length) === '-';
    if (!explicit && units.some((u) => u >= 0x80)) return undefined;
    return piece(value, 1 + s.length + (explicit ? 1 : 0));
  }
  const encode = (units: readonly number[]) => {
    const bytes = Buffer.alloc(units.length * 2);
    units.forEach((u, k) => bytes.writeUInt16BE(u, k * 2));
    return bytes.toString('base64').replace(/=+$/, '');
  };
  const unit = fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.constantFrom(
      0,
      0x1f,
      0x7f,
      0x80,
      0x9f,
      0xa0,
      0xe9,
      0x4e2d,
      0xd800,
      0xdbff,
      0xdc00,
      0xdfff,
      0xfffc,
      0xfffd,
      0xffff,
    ),
  );
  // A segment of real units, then an edit: a character dropped, added or changed, or the segment padded to the cap.
  const segment = fc
    .tuple(
      fc.array(unit, { minLength: 1, maxLength: 6 }),
      fc.constantFrom('none', 'drop', 'add', 'flip', 'long'),
      fc.nat(),
      fc.constantFrom(...B64),
    )
    .map(([units, edit, k, ch]) => {
      const s = encode(edit === 'long' ? [...units, ...Array<number>(96).fill(0x20)].slice(0, 96 + (k % 2)) : units);
      const p = k % s.length;
      if (edit === 'drop') return s.slice(0, p) + s.slice(p + 1);
      if (edit === 'add') return s.slice(0, p) + ch + s.slice(p);
      if (edit === 'flip') return s.slice(0, p) + ch + s.slice(p + 1);
      return s;
    });
  it('the same piece at every `+`: `+-`, whole printable units, zero left-over bits, paired surrogates, `-` for non-ASCII', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'a', ' ', '+', '1'),
        segment,
        fc.constantFrom('', '-', ' ', '-x', '.', '+-', '\u00e9'),
        (before, seg, after) => {
          for (const text of [`${before}+${seg}${after}`, `+-${seg}${after}`])
            for (const i of positions(text, '+')) expect(utf7At(text, i), JSON.stringify(text)).toEqual(ref(text, i));
        },
      ),
      { numRuns: 800 },
    );
  });
});

describe('grouped base64: the first-bytes check and the separators removed', () => {
  /** Reference: the first eight base64/base64url characters from `start`, separators skipped, within 24. */
  function ref(text: string, start: number): boolean {
    let b64 = '';
    for (const ch of text.slice(start, start + 24)) {
      if (/^[A-Za-z0-9+/_-]$/.test(ch)) {
        b64 += ch;
        if (b64.length === 8) break;
      } else if (!' \t\n.,:;|'.includes(ch)) return false;
    }
    if (b64.length < 8) return false;
    let need = 0;
    for (const b of Buffer.from(b64.replace(/-/g, '+').replace(/_/g, '/'), 'base64'))
      if ((need = utf8TextByte(b, need)) < 0) return false;
    return true;
  }
  const sep = fc.constantFrom(' ', '\t', '\n', '.', ',', ':', ';', '|', '\r', '=', '/', '-', '_', 'é', '  ');
  const group = fc
    .tuple(fc.constantFrom('jane.doe@example.com', 'zq', '\x01ab', 'é€x', '\xff\xfe'), fc.boolean(), fc.nat(20))
    .map(([s, url, cut]) => {
      const b = Buffer.from(s, s.startsWith('\xff') ? 'latin1' : 'utf8').toString(url ? 'base64url' : 'base64');
      return b.slice(0, Math.max(1, b.length - (cut % 6)));
    });
  it('groupedBase64MayDecode: true exactly when the first six bytes start text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(group, sep), { minLength: 1, maxLength: 4 }), fc.nat(6), (parts, skip) => {
        const text = parts.map(([g, s]) => g + s).join('');
        const start = Math.min(skip, text.length - 1);
        expect(groupedBase64MayDecode(text, start), JSON.stringify(text.slice(start))).toBe(ref(text, start));
        // Each group cut to one, two or three characters: never a whole byte run where there was one.
        const short = parts.map(([g, s]) => g.slice(0, 1 + (skip % 3)) + s).join('');
        expect(groupedBase64MayDecode(short, 0), JSON.stringify(short)).toBe(ref(short, 0));
      }),
      { numRuns: 500 },
    );
  });

  /** The doc comment of `groupedBase64Runs`, on the maximal groups of base64/base64url characters. */
  function refRuns(text: string): number[] {
    const out: number[] = [];
    const groups = [...text.matchAll(/[A-Za-z0-9+/_-]+/g)].map((m) => [m.index, m.index + m[0].length] as const);
    const whole = (h: number) => (groups[h]![1] - groups[h]![0]) % 4 === 0;
    const joined = (h: number, sep: string) =>
      at(text, groups[h]![1]) === sep && groups[h + 1]?.[0] === groups[h]![1] + 1;
    let g = 0;
    while (g < groups.length) {
      const sep = at(text, groups[g]![1]);
      if (!whole(g) || !' \t\n.,:;|'.includes(sep) || sep === '' || !joined(g, sep)) {
        g++;
        continue;
      }
      let h = g;
      while (whole(h) && joined(h, sep) && groups[h]![1] - groups[g]![0] < 64 * 1024) h++;
      const end = groups[h]![1] + /^={0,2}/.exec(text.slice(groups[h]![1]))![0].length;
      for (let k = g; h - k + 1 >= 3; k++)
        if (groupedBase64MayDecode(text, groups[k]![0])) {
          out.push(groups[k]![0], end);
          break;
        }
      g = h + 1;
    }
    return out;
  }

  it('groupedBase64Runs: chains of three or more groups, one separator, whole quads but the last, from a text start', () => {
    const piece = fc
      .tuple(
        fc.constantFrom('jane.doe@example.com', 'zq', '\x01ab', 'Then this GET path', 'é€x', '4111 1111'),
        fc.boolean(),
        fc.nat(11),
      )
      .map(([t, url, cut]) => {
        const b = Buffer.from(t).toString(url ? 'base64url' : 'base64');
        return b.slice(0, b.length - (cut % 4 === 0 ? 0 : cut % 6));
      });
    const sep = fc.constantFrom(' ', '\t', '\n', '.', ',', ':', ';', '|', '\r', '/', '  ', '=', ' =');
    const size = fc.constantFrom(4, 4, 8, 6, 12, 3, 2);
    const layout = fc
      .tuple(
        piece,
        sep,
        size,
        fc.constantFrom('', 'note ', 'x', '= ', 'word ', 'é', '\u0080', '\u007f'),
        fc.constantFrom('', '=', '==', '===', ' end', 'x'),
      )
      .map(([b, s, n, before, after]) => {
        const groups = b.match(new RegExp(`.{1,${n}}`, 'g')) ?? [];
        return before + groups.join(s) + after;
      });
    fc.assert(
      fc.property(layout, layout, fc.constantFrom(' ', ' | ', '\n', ''), (a, b, between) => {
        const text = a + between + b;
        expect(groupedBase64Runs(text), JSON.stringify(text)).toEqual(refRuns(text));
      }),
      { numRuns: 500 },
    );
  });

  it('ungroupedBase64 removes exactly the separators; reversed reverses code units', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ09+/-_= \t\n\r.,:;|x\u00e9'), maxLength: 30 }), (s) => {
        expect(ungroupedBase64(s)).toBe(s.replace(/[ \t\n.,:;|]/g, ''));
        expect(reversed(s)).toBe(s.split('').reverse().join(''));
      }),
      { numRuns: 200 },
    );
  });
});

describe('lower- and upper-cased base64 against case variants decoded by Buffer', () => {
  /** Every case variant of a lower-cased quad (upper-case letters of the original are lost by lower-casing). */
  const variants = (quad: string): string[] =>
    [...quad].reduce<string[]>(
      (acc, ch) => acc.flatMap((v) => (/[a-z]/.test(ch) ? [v + ch, v + ch.toUpperCase()] : [v + ch])),
      [''],
    );
  const printable = (b: number) => b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f);
  /** Whether some case variant of the quad decodes to three bytes of printable ASCII (tab and line breaks too). */
  const textQuad = (quad: string) => variants(quad).some((v) => [...Buffer.from(v, 'base64')].every(printable));

  /** docs/detectors.md, "Compressed, reversed and lower-cased base64" and the pre-pass. */
  function refMayDecode(text: string, start: number, end: number): boolean {
    const pad = /^={0,2}/.exec(text.slice(end))![0].length;
    const run = text.slice(start, end);
    if (run.length < 16 || run.length > 64 * 1024 || (run.length + pad) % 4 !== 0) return false;
    if (!/^[a-z0-9+/]+$/.test(run) || /^[0-9a-f]+$/.test(run) || !/[0-9]/.test(run)) return false;
    for (let q = 0; q + 8 <= run.length; q += 4)
      if (textQuad(run.slice(q, q + 4)) && textQuad(run.slice(q + 4, q + 8))) return true;
    return false;
  }
  function refRuns(text: string): number[] {
    const out: number[] = [];
    for (const m of text.matchAll(/[A-Za-z0-9+/][A-Za-z0-9+/_-]*/g)) {
      const s = m.index;
      const e = s + m[0].length;
      const upper = /[A-Z]/.test(m[0]);
      if ((upper && /[a-z]/.test(m[0])) || /[A-Za-z0-9]/.test(at(text, s - 1))) continue;
      const ok = upper ? refMayDecode(text.slice(0, e).toLowerCase() + text.slice(e), s, e) : refMayDecode(text, s, e);
      if (ok) out.push(s, e + /^={0,2}/.exec(text.slice(e))![0].length);
    }
    return out;
  }

  const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
  // Text, junk bytes and padding, lower- or upper-cased, then edited: a character dropped or added, a letter of the
  // other case, a `-` or `_`, a glued word before it.
  const run = fc
    .tuple(
      fc.constantFrom('jane.doe@example.com', '4111111111111111', 'ab', 'zzzz9', 'x@y.io', 'AB CD'),
      fc.constantFrom('', '\x00\x00\x00', '\xff\xfe\xfd', '\n\n\n'),
      fc.constantFrom('lower', 'upper'),
      fc.constantFrom('none', 'drop', 'add', 'case', 'dash', 'hex', 'nodigit'),
      fc.nat(),
    )
    .map(([text, junk, kase, edit, k]) => {
      let r = b64(junk + text + junk);
      r = kase === 'upper' ? r.toUpperCase() : r.toLowerCase();
      const p = k % r.length;
      if (edit === 'drop') r = r.slice(0, p) + r.slice(p + 1);
      if (edit === 'add') r = `${r.slice(0, p)}q${r.slice(p)}`;
      if (edit === 'case') r = r.slice(0, p) + (kase === 'upper' ? 'x' : 'X') + r.slice(p + 1);
      if (edit === 'dash') r = `${r.slice(0, p)}${k % 2 ? '-' : '_'}${r.slice(p)}`;
      if (edit === 'hex') r = '0123456789abcdef'.repeat(2).slice(0, 16 + (k % 8));
      if (edit === 'nodigit') r = r.replace(/[0-9]/g, 'a');
      return r;
    });
  const before = fc.constantFrom('', 'note ', 'x', '9', '=', '.', '-', 'id=');
  const after = fc.constantFrom('', ' end', '=', '==', '===', '= x', 'x', '.');

  it('lowerBase64Runs finds exactly the runs the documented rule reads, in either case', () => {
    fc.assert(
      fc.property(before, run, after, run, (a, r, b, r2) => {
        const text = `${a}${r}${b} ${r2}`;
        expect(lowerBase64Runs(text), JSON.stringify(text)).toEqual(refRuns(text));
      }),
      { numRuns: 400 },
    );
  });

  it('lowerBase64MayDecode and upperBase64MayDecode at any run bounds', () => {
    fc.assert(
      fc.property(run, after, fc.nat(3), (r, b, cut) => {
        const text = r + b;
        const end = Math.max(0, r.length - cut);
        expect(lowerBase64MayDecode(text, 0, end), JSON.stringify(text)).toBe(refMayDecode(text, 0, end));
        const up = text.toUpperCase();
        const lowered = /[a-z]/.test(up.slice(0, end))
          ? false
          : refMayDecode(up.slice(0, end).toLowerCase() + up.slice(end), 0, end);
        expect(upperBase64MayDecode(up, 0, end), JSON.stringify(up)).toBe(lowered);
      }),
      { numRuns: 400 },
    );
  });

  // Text of letters, digits and `@ . - _` (what the rule restores first) comes back as written, lower-cased, wherever
  // its quad has no other variant of such characters; junk quads read as line breaks; padding bits zero.
  const word = /^[a-z0-9@._-]*$/;
  /** `full` base64-encoded and cased: each quad whose only word variant (zero padding bits) is the original's. */
  function checkRestored(full: string, junk: boolean, upper: boolean): void {
    const enc = b64(full);
    const cased = upper ? enc.toUpperCase() : enc.toLowerCase();
    const got = decodeLowerBase64(cased)!;
    expect(got).toHaveLength(full.length);
    const quads = enc.length / 4;
    for (let q = 0; q < quads; q++) {
      const pad = q === quads - 1 ? (enc.match(/=+$/)?.[0].length ?? 0) : 0;
      const quad = cased.slice(q * 4, q * 4 + 4).toLowerCase();
      const words = variants(quad.slice(0, 4 - pad))
        .map((v) => v + '='.repeat(pad))
        .filter((v) => {
          const bytes = Buffer.from(v, 'base64');
          return bytes.toString('base64') === v && word.test(bytes.toString('latin1'));
        });
      const slice = got.slice(q * 3, q * 3 + 3 - pad);
      if (junk && q === 0) expect(slice).toBe('\n\n\n');
      else if (words.length === 1) expect(slice, `${cased} quad ${q}`).toBe(full.slice(q * 3, q * 3 + 3 - pad));
    }
  }

  // Text of letters, digits and `@ . - _` (what the rule restores first) comes back as written, lower-cased, wherever
  // its quad has no other variant of such characters; junk quads read as line breaks; padding bits zero.
  it('decodeLowerBase64 restores each quad to its only variant of letters, digits and `@ . - _`', () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789@.-_';
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.boolean(),
        (text, junk, upper) => checkRestored((junk ? '\xff\xfe\xfd' : '') + text, junk, upper),
      ),
      { numRuns: 300 },
    );
  });

  it('a padded last quad, every one- and two-character tail: the variant with zero padding bits', () => {
    const alphabet = [...'abcdefghijklmnopqrstuvwxyz0123456789@.-_'];
    for (const a of alphabet) {
      checkRestored(`ab${a}`.slice(2), false, false);
      checkRestored(`abc${a}`, false, true);
      for (const b of alphabet) checkRestored(`x${a}${b}`.slice(1), false, (a + b).charCodeAt(0) % 2 === 0);
    }
  });
});
