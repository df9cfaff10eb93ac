import { describe, expect, it } from 'vitest';
import {
  groupedBase64Runs,
  lowerBase64MayDecode,
  octalEscapesAt,
  utf7At,
} from '../../../../engine/detectors/encoded-forms';
import { detectorNames } from '../../../../policy/schema';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// Edges of the decoders of engine/detectors/encoded-forms.ts that the oracles (`encoded-forms-oracles.test.ts`) draw
// too rarely to rely on: a character below `0` after a backslash right after an octal escape, a surrogate pair in a
// UTF-7 segment with no `-`, the pre-filter's quoted-printable gate against the scanner without it. Each is checked
// exhaustively over its small domain (a few hundred cases) or by the fixed inputs that name the rule.

const piece = (value: string, length: number) => ({ value, length });

describe('octal escapes: a run ends at the first backslash that starts no octal byte', () => {
  // An octal byte is `\` and three octal digits, the first 0-3; `\-12`, `\ 12`, `\/12`, `\!12` are none (the
  // character after the backslash is below `0`), so the run before them is decoded on its own.
  it('every printable ASCII character after the backslash that follows `\\101`', () => {
    for (let c = 0x20; c < 0x7f; c++) {
      const ch = String.fromCharCode(c);
      for (const tail of ['12', '00', '77']) {
        const text = `\\101\\${ch}${tail}`;
        // `\ooo` with a first digit 0-3 is the second byte: the run is decoded whole when that byte is text (printable
        // ASCII, tab, line breaks), refused whole when it is not (a control character, DEL, a lone byte over 0x7f).
        const octal = /^[0-3]$/.test(ch) && /^[0-7]{2}$/.test(tail);
        const b = octal ? parseInt(ch + tail, 8) : -1;
        const text2 = b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f);
        const expected = !octal ? piece('A', 4) : text2 ? piece(`A${String.fromCharCode(b)}`, 8) : undefined;
        expect(octalEscapesAt(text, 0), JSON.stringify(text)).toEqual(expected);
      }
    }
  });
});

describe('UTF-7: a character outside the BMP needs the closing `-`', () => {
  /** Modified base64 (RFC 2152) of UTF-16 units, no padding. */
  const utf7 = (s: string) => {
    const units = Array.from({ length: s.length }, (_, k) => s.charCodeAt(k));
    const bytes = Buffer.alloc(units.length * 2);
    units.forEach((u, k) => bytes.writeUInt16BE(u, k * 2));
    return bytes.toString('base64').replace(/=+$/, '');
  };

  // A surrogate pair is a unit outside ASCII: without `-` the segment is base64 data that happens to follow a `+`.
  it('a surrogate pair and ASCII units: decoded with `-`, refused before a blank, a dot or the end', () => {
    for (const text of ['\u{1F600}@example.com', 'ab\u{1D4B3}', '\u{10000}']) {
      const seg = utf7(text);
      expect(utf7At(`+${seg}-`, 0), text).toEqual(piece(text, seg.length + 2));
      for (const after of ['', ' ', '.', '.com'])
        expect(utf7At(`+${seg}${after}`, 0), JSON.stringify(text + after)).toBeUndefined();
    }
    // ASCII units alone need no `-`.
    const ascii = utf7('@example');
    expect(utf7At(`+${ascii}.com`, 0)).toEqual(piece('@example', ascii.length + 1));
  });
});

describe('the quoted-printable view: the pre-filter changes nothing', () => {
  const options = { detectors: ['email', 'payment-card'] as const, action: 'mask' as const, mask: '[X:{type}]' };
  const on = createValueScanner({
    ...options,
    detectors: ['email', 'payment-card'],
    cleanCacheSize: 0,
    prefilter: true,
  });
  const off = createValueScanner({
    ...options,
    detectors: ['email', 'payment-card'],
    cleanCacheSize: 0,
    prefilter: false,
  });

  // A lone triplet of escape syntax (`=3D`, `=25`, `=26`, `=7B`) before a blank or punctuation is no quoted-printable
  // in a value without other escapes, with the pre-filter or without it: it builds no second view, so lone triplets
  // elsewhere in the value stay as the first view reads them (docs/detectors.md).
  it('a lone `=3D`, `=25`, `=26`, `=3B`, `=7B`, `=7D` before a blank or punctuation, beside lone triplets after a key', () => {
    for (const syntax of ['=3D', '=25', '=26', '=3B', '=7B', '=7D', '=5C', '=23'])
      for (const after of [' ', '&', ';', ''])
        for (const rest of ['jane.doe@exampl=65.co=6D', 'card=34111111111111111', 'n=34 1111 1111 1111 1111'])
          for (const value of [`a${syntax}${after} ${rest}`, `${rest} x${syntax}${after}`])
            expect(off.scan(value).value, JSON.stringify(value)).toBe(on.scan(value).value);
  });
});

describe('grouped base64: where a chain may start', () => {
  const scan = edgeScanners(['email']);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  /** `b` cut into groups of `n` characters joined by `sep`. */
  const grouped = (b: string, n: number, sep = ' ') => (b.match(new RegExp(`.{1,${n}}`, 'g')) ?? []).join(sep);

  // The first-bytes check reads eight base64 characters from the chain's first group, wherever it stands.
  it('an address in groups after any amount of text, up to 40 000 characters, is masked', () => {
    for (const sep of [' ', '.', ':', '|'])
      for (const before of [
        '',
        'note ',
        'the data we got from the user: ',
        `${'x'.repeat(100)} `,
        `${'x'.repeat(40_000)} `,
      ]) {
        const run = grouped(b64('jane.doe@example.com'), 4, sep);
        scan.found(`${before}${run}`, run.slice(0, 9));
      }
  });

  // A chain starts only after a character outside the alphabet: a group glued to a word (`AamFu`, `QdG8g`: five
  // characters) is part of that word, and the chain starts at the next group.
  it('a group glued to a word is no group: the chain starts after it', () => {
    for (const glued of ['A', 'Q', 'x', '9']) {
      const run = grouped(b64('jane.doe@example.com'), 4);
      const text = `${glued}${run}`;
      const next = text.indexOf(' ') + 1;
      expect(groupedBase64Runs(text), text).toEqual([next, text.length]);
    }
  });
});

// Base64 (whole or in groups) whose text holds a byte that is no text: a C string's terminating NUL after an address,
// a binary field between text fields. Such a run was not read at all (its text check refused the whole run), so the
// address in it was exported as written; it is now read as byte runs are, a byte that is part of no character as a
// line break (docs/detectors.md). Found through the grouped-base64 mutant that drops a chain's first group when the
// second starts with `A`: that mutant masked `amFuZS5k AAAA amFu ZS5k …`, the code exported it.
describe('base64 whose text holds bytes that are no text', () => {
  const scan = edgeScanners(['email']);
  const b64 = (b: Buffer) => b.toString('base64');
  const text = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  const grouped = (b: string, n: number, sep = ' ') => (b.match(new RegExp(`.{1,${n}}`, 'g')) ?? []).join(sep);

  it('an address before a NUL, between NUL bytes or before a binary field is masked, whole or grouped', () => {
    for (const bytes of [
      text('jane.doe@example.com', [0]),
      text('to: jane.doe@example.com', [0, 0, 0]),
      text('user id', [0, 0, 0], 'jane.doe@example.com', [0]),
      text('mail to', [1, 2, 3, 0xff, 0xfe], ' jane.doe@example.com'),
    ]) {
      const run = b64(bytes);
      scan.found(`note ${run} end`, run.slice(0, 12));
      for (const n of [4, 8]) {
        const g = grouped(run, n);
        scan.found(`note ${g} end`, g.slice(-12, -4));
      }
    }
    // Text groups, a group of NUL bytes, then the address in groups: the chain starts at the first group.
    const chain = `amFuZS5k AAAA ${grouped(b64(Buffer.from('jane.doe@example.com')), 4)}`;
    scan.found(`note ${chain}`, 'ZS5k b2VA');
    // The run is masked whole, from its first group (whose first bytes start text) on.
    for (const s of scan.scanners) expect(s.scan(`note ${chain}`).value).toBe('note [REDACTED:email]');
  });

  it('through real SDK providers with the default policy, the address is not exported', () => {
    const pipeline = defaultPipeline();
    const run = b64(text('jane.doe@example.com', [0]));
    const json = pipeline.exported(`user record ${run}`);
    expect(json).not.toContain(run);
    expect(json).not.toContain('amFuZS5kb2VA');
  });

  // Binary data that starts like text (`GIF89a`, `%PDF-1.7`) and has no finding in its printable bytes stays.
  it('base64 of binary data with a text start and no finding in it is exported as written, by every detector', () => {
    const all = edgeScanners(detectorNames);
    let x = 12345;
    const noise = Array.from({ length: 600 }, () => ((x = (x * 1103515245 + 12345) % 2 ** 31) >> 16) & 0xff);
    for (const head of ['GIF89a', '%PDF-1.7\n']) {
      const run = b64(text(head, noise));
      all.kept(`attachment ${run}`);
      all.kept(`attachment ${grouped(run, 76, '\n')}`);
    }
  });
});

describe('lower- and upper-cased base64: where a run may stand and end', () => {
  const scan = edgeScanners(['email']);
  const lowerB64 = (s: string) => Buffer.from(s).toString('base64').toLowerCase();

  it('an address after any amount of text, up to 40 000 characters, is masked, in either case', () => {
    for (const before of ['', 'note ', `${'x'.repeat(100)} `, `${'x'.repeat(40_000)} `])
      for (const upper of [false, true]) {
        const run = lowerB64('to: jane.doe@example.com');
        const cased = upper ? run.toUpperCase() : run;
        scan.found(`${before}${cased} end`, cased.slice(4, 16));
      }
  });

  // A run ends at a character outside the base64 alphabet (`-` and `_` aside): `|`, `}`, `~` or a non-ASCII letter
  // right after it (a log line's field separator) do not keep it from being read.
  it('a run between `|`, before `}`, `~` or a non-ASCII letter is read', () => {
    const run = lowerB64('to: jane.doe@example.com');
    for (const [before, after] of [
      ['note|', '|ok'],
      ['{', '}'],
      ['', '~'],
      ['', 'é'],
    ] as const) {
      for (const cased of [run, run.toUpperCase()]) scan.found(`${before}${cased}${after}`, cased.slice(4, 16));
    }
  });

  // Two adjacent quads with a text variant anywhere in the run, the last two too (after quads of bytes that are no
  // text, read as line breaks).
  it('two text quads at the end of the run after junk quads are enough', () => {
    expect(lowerBase64MayDecode('////////amfuzs5k', 0, 16)).toBe(true);
    expect(lowerBase64MayDecode('////////////amfu', 0, 16)).toBe(false);
  });

  // A tab or a line break is text too (score 0, below letters): a quad holding one keeps its own variant.
  it('an address after a tab or a line break, in lower-cased base64, is masked', () => {
    for (const lead of ['to:\t', 'cc\n', 'id\r\n', '\t\t\t', 'a\tb\n'])
      for (let pad = 0; pad < 3; pad++) {
        const run = lowerB64(`${'x'.repeat(pad)}${lead}jane.doe@example.com`);
        if (/\d/.test(run)) scan.found(`note ${run} end`, run.slice(-16, -4));
      }
  });
});
