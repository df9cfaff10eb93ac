import { describe, expect, it } from 'vitest';
import { decodeBytesText, decodeHexText } from '../../../../engine/detectors/normalizer';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { utf16be } from './helpers';

// UTF-16 reading of decoded bytes, every code unit first (docs/detectors.md "UTF-16" and "UTF-16 in other scripts"):
// bytes whose first three units are Latin-1 text (tab, line breaks, printable ASCII, the letters U+00C0-U+00FF but
// × and ÷), one of them ASCII, are UTF-16; bytes that do not start UTF-8 text are UTF-16 when their first three units
// are text in some script — U+0100-U+DFFF (Latin Extended, IPA, the alphabets up to U+1FFF, punctuation and symbols,
// Glagolitic to the CJK radicals, CJK, kana, Yi, Hangul, surrogates) and fullwidth forms (U+FF00-U+FFEF) — one of them
// ASCII or two of them in one alphabet (same high byte, U+0300-U+1FFF or kana), and nine in ten units are text.
// Every unit here is followed by ASCII, in both byte orders: the NUL byte of the ASCII unit keeps the bytes from
// reading as UTF-8, so the text is read exactly when its first unit is a text unit.

const latinText = (u: number) =>
  u === 9 || u === 10 || u === 13 || (u >= 32 && u < 127) || (u >= 0xc0 && u < 0x100 && u !== 0xd7 && u !== 0xf7);
const scriptText = (u: number) => (u >= 0x100 && u < 0xe000) || (u >= 0xff00 && u < 0xfff0);

const TAIL = 'x jane.doe@example.com';

/** A control character other than tab and line breaks, or DEL. */
const control = (c: number) => (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127;
const hasControl = (s: string) => [...s].some((ch) => control(ch.charCodeAt(0)));

/** Text a person reads (docs/detectors.md): no control but tab and line breaks, nine in ten printable (not tabs). */
const readable = (s: string) =>
  !hasControl(s) && !s.includes('\ufffd') && s.replace(/\t/g, '').length >= s.length * 0.9;

/** Whether six bytes start UTF-8 text: well-formed (a sequence cut at the end counts), no control but tab and breaks. */
function utf8Start(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let cut = 0; cut <= 3; cut++) {
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(0, 6 - cut));
    } catch {
      continue;
    }
    if (cut > 0 && (bytes[6 - cut] < 0xc2 || bytes[6 - cut] > 0xf4)) continue;
    return !hasControl(text);
  }
  return false;
}

describe('UTF-16 with every code unit first, then ASCII', () => {
  it('little and big endian: read exactly when the first unit is a text unit', () => {
    for (let u = 1; u < 0x10000; u++) {
      if (u === 0xfeff || u === 0xfffe) continue; // byte order marks: read as such
      // A unit with a zero low byte reads as ASCII in the other byte order; the count of text units then decides.
      if (u >= 0x100 && (u & 0xff) === 0) continue;
      // A surrogate stands in a pair (an emoji or another supplementary character) as it does in text.
      const first =
        u >= 0xd800 && u < 0xdc00
          ? String.fromCharCode(u, 0xdc00)
          : u >= 0xdc00 && u < 0xe000
            ? String.fromCharCode(0xd83d, u)
            : String.fromCharCode(u);
      const s = first + TAIL;
      const read = latinText(u) || scriptText(u);
      for (const [order, bytes] of [
        ['le', Buffer.from(s, 'utf16le')],
        ['be', utf16be(s)],
      ] as const) {
        const want = read ? s : undefined;
        // A low surrogate first is read when its high surrogate before it is a text unit (it always is).
        const got = decodeBytesText(bytes);
        if (u >= 0xdc00 && u < 0xe000) {
          if (got !== s) expect(got, `${order} U+${u.toString(16)}`).toBe(s);
        } else if (got !== want) expect(got, `${order} U+${u.toString(16)}`).toBe(want);
      }
    }
  });

  it('three units of one high byte and no ASCII: read in one alphabet (U+0300-U+1FFF, kana) only', () => {
    for (let h = 1; h < 0x100; h++) {
      for (const lo of [0x10, 0x41, 0x90, 0xe0]) {
        const u = (h << 8) | lo;
        if (u >= 0xd800 && u < 0xe000) continue;
        const s = String.fromCharCode(u, u + 1, u + 2) + TAIL;
        const units = [u, u + 1, u + 2];
        const alphabet = (h >= 3 && h < 0x20) || h === 0x30;
        for (const bytes of [Buffer.from(s, 'utf16le'), utf16be(s)]) {
          // Bytes that start UTF-8 text are read as UTF-8 (docs/detectors.md "still gets through").
          const want = units.every(scriptText) && alphabet && !utf8Start(bytes) ? s : undefined;
          const got = decodeBytesText(bytes);
          if (got !== want) expect(got, `U+${u.toString(16)}×3`).toBe(want);
        }
      }
    }
  });

  it('two of three units in one alphabet, in every place, the third another script: read', () => {
    const other = 'Ⴀ'; // U+10A0 (Georgian), an alphabet of its own
    for (const a of ['Ω', 'Ж', 'ע', 'ب', 'क', 'ก', 'ア']) {
      const b = String.fromCharCode(a.charCodeAt(0) + 1);
      for (const s of [a + b + other, a + other + b, other + a + b].map((x) => x + TAIL)) {
        expect(decodeBytesText(Buffer.from(s, 'utf16le')), JSON.stringify(s)).toBe(s);
        expect(decodeBytesText(utf16be(s)), JSON.stringify(s)).toBe(s);
      }
    }
    // Three units of three alphabets and no ASCII: not read (random bytes pass that too often).
    expect(decodeBytesText(Buffer.from(`ΩЖע${TAIL}`, 'utf16le'))).toBeUndefined();
  });

  it('three Latin-1 units: read when one of them is ASCII (tab and line breaks count), not when none is', () => {
    const latin = [];
    for (let u = 0; u < 0x100; u++) if (latinText(u)) latin.push(u);
    for (const x of latin) {
      for (let mask = 0; mask < 8; mask++) {
        // Unit k is x when bit k is set, else `é`; the rest of the text is ASCII.
        const units = [0, 1, 2].map((k) => ((mask >> k) & 1 ? x : 0xe9));
        const s = String.fromCharCode(...units) + TAIL;
        const want = units.some((u) => u < 0x80) && readable(s) ? s : undefined;
        for (const bytes of [Buffer.from(s, 'utf16le'), utf16be(s)]) {
          const got = decodeBytesText(bytes);
          if (got !== want) expect(got, `${units.map((u) => u.toString(16))}`).toBe(want);
        }
        // After a byte order mark the two units that follow count: one of them ASCII reads as Latin-1 UTF-16.
        const two = String.fromCharCode(units[0], units[1]) + TAIL;
        if (units[0] < 0x80 || units[1] < 0x80) {
          expect(decodeBytesText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(two, 'utf16le')]))).toBe(two);
          expect(decodeBytesText(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(two)]))).toBe(two);
        }
      }
    }
  });

  it('the more text units decide the byte order: Cyrillic little and big endian, hex too', () => {
    for (const s of ['Клиент jane.doe@example.com', '客户 jane.doe@example.com', 'ひらがな jane.doe@example.com']) {
      expect(decodeBytesText(Buffer.from(s, 'utf16le'))).toBe(s);
      expect(decodeBytesText(utf16be(s))).toBe(s);
      expect(decodeHexText(Buffer.from(s, 'utf16le').toString('hex'))).toBe(s);
      expect(decodeHexText(utf16be(s).toString('hex'))).toBe(s);
    }
  });

  it('through the scanner, pre-filter on and off: the address after each script is masked', () => {
    const options = { detectors: ['email'] as const, action: 'mask' as const, mask: '[X:{type}]', cleanCacheSize: 0 };
    for (const prefilter of [true, false]) {
      const scanner = createValueScanner({ ...options, detectors: ['email'], prefilter });
      for (let u = 0x100; u < 0xff00; u += 0x97) {
        if (!scriptText(u) || (u >= 0xd800 && u < 0xe000)) continue;
        const s = String.fromCharCode(u) + TAIL;
        for (const bytes of [Buffer.from(s, 'utf16le'), utf16be(s)])
          for (const run of [bytes.toString('base64'), bytes.toString('hex')])
            expect(scanner.scan(`data ${run} end`).value, `U+${u.toString(16)} ${prefilter}`).toBe(
              'data [X:email] end',
            );
      }
    }
  });
});
