import { describe, expect, it } from 'vitest';
import { decodeBytesText } from '../../../../engine/detectors/normalizer';
import { utf16be } from './helpers';

// UTF-16 reading of decoded bytes at the edges of the documented text units (docs/detectors.md "UTF-16 in other
// scripts"): a script unit is U+0100-U+DFFF or a fullwidth form (U+FF00-U+FFEF); the byte order mark U+FEFF counts as
// a text unit. The units with a zero low byte (U+0100, U+0200, …, U+FF00), which `normalizer-utf16-units.test.ts`
// leaves out (they read as ASCII in the other byte order), and the units at the ends of each range.

const scriptText = (u: number) => (u >= 0x100 && u < 0xe000) || (u >= 0xff00 && u < 0xfff0);
const TAIL = 'x jane.doe@example.com';
const latinText = (u: number) =>
  u === 9 || u === 10 || u === 13 || (u >= 32 && u < 127) || (u >= 0xc0 && u < 0x100 && u !== 0xd7 && u !== 0xf7);

describe('UTF-16 units with a zero low byte first', () => {
  it('read exactly when the unit is a script unit, before ASCII, a Latin-1 letter or Cyrillic, either byte order', () => {
    for (let u = 0x100; u < 0x10000; u += 0x100) {
      if (u >= 0xd800 && u < 0xe000) continue; // surrogates stand in pairs
      for (const second of ['x', '\u00e9', '\u0416']) {
        const s = String.fromCharCode(u) + second + TAIL;
        const want = scriptText(u) ? s : undefined;
        for (const [order, bytes] of [
          ['le', Buffer.from(s, 'utf16le')],
          ['be', utf16be(s)],
        ] as const)
          expect(decodeBytesText(bytes), `${order} U+${u.toString(16)} ${second}`).toBe(want);
      }
    }
  });
});

describe('the ends of the script ranges, before two units of one alphabet and no ASCII', () => {
  it('U+FF00 and U+FFEF are read, U+FFF0 and U+E000 are not; a byte order mark is read', () => {
    for (const [u, read] of [
      [0xff00, true],
      [0xffef, true],
      [0xfff0, false],
      [0xe000, false],
      [0xfeff, true],
      [0x0100, true],
      [0xd7ff, true],
    ] as const) {
      const s = String.fromCharCode(u) + '\u0416\u0417' + TAIL;
      for (const [order, bytes] of [
        ['le', Buffer.from(s, 'utf16le')],
        ['be', utf16be(s)],
      ] as const)
        expect(decodeBytesText(bytes), `${order} U+${u.toString(16)}`).toBe(read ? s : undefined);
    }
  });
});

describe('Latin-1 units that are no text', () => {
  it('DEL, the C1 controls, the Latin-1 symbols U+00A0-U+00BF, × and ÷ first, then ASCII: not read', () => {
    const units = [0x7f, 0xd7, 0xf7];
    for (let u = 0x80; u < 0xc0; u++) units.push(u);
    for (const u of units) {
      const s = String.fromCharCode(u) + TAIL;
      for (const [order, bytes] of [
        ['le', Buffer.from(s, 'utf16le')],
        ['be', utf16be(s)],
      ] as const)
        expect(decodeBytesText(bytes), `${order} U+${u.toString(16)}`).toBeUndefined();
    }
  });
});

describe('units with a byte at an edge of the rules, first, then ASCII', () => {
  it('read exactly when the unit is a text unit (both byte orders; a subset of the every-unit test, fast)', () => {
    // Bytes at the edges of the Latin-1, ASCII, byte order mark and range rules, in the high or the low byte.
    const edges = [
      0x00, 0x01, 0x08, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xbf, 0xc0, 0xd7, 0xdf, 0xe0, 0xef, 0xf0, 0xf7,
      0xfe, 0xff,
    ];
    const units = new Set<number>();
    for (const e of edges) for (let b = 0; b < 0x100; b++) units.add((e << 8) | b).add((b << 8) | e);
    for (const u of units) {
      if (u === 0 || u === 0xfeff || u === 0xfffe || (u >= 0xd800 && u < 0xe000)) continue;
      // a unit with a zero low byte reads as ASCII in the other byte order (the test above)
      if (u >= 0x100 && (u & 0xff) === 0) continue;
      const s = String.fromCharCode(u) + TAIL;
      const want = latinText(u) || scriptText(u) ? s : undefined;
      for (const [order, bytes] of [
        ['le', Buffer.from(s, 'utf16le')],
        ['be', utf16be(s)],
      ] as const) {
        const got = decodeBytesText(bytes);
        if (got !== want) expect(got, `${order} U+${u.toString(16)}`).toBe(want);
      }
    }
  });
});

describe('three script units, one of them ASCII or a byte order mark, no two of one alphabet', () => {
  it('read whichever of the three is the ASCII unit (or the mark first)', () => {
    // `Ж` (Cyrillic) and `Ⴀ` (Georgian): two alphabets, so only the ASCII unit or the mark makes them text
    for (const head of ['xЖႠ', ' ЖႠ', 'Ж Ⴀ', 'ЖႠx', '\ufeffЖႠ']) {
      const s = head + TAIL;
      for (const [order, bytes] of [
        ['le', Buffer.from(s, 'utf16le')],
        ['be', utf16be(s)],
      ] as const)
        expect(decodeBytesText(bytes), `${order} ${JSON.stringify(head)}`).toBe(s);
    }
  });

  it('a tab or a line break is no printable ASCII unit: with it in place of the ASCII unit they are not read', () => {
    for (const head of ['\tЖႠ', 'Ж\tႠ', 'ЖႠ\t', '\nЖႠ', 'Ж\rႠ']) {
      const s = head + TAIL;
      for (const [order, bytes] of [
        ['le', Buffer.from(s, 'utf16le')],
        ['be', utf16be(s)],
      ] as const)
        expect(decodeBytesText(bytes), `${order} ${JSON.stringify(head)}`).toBeUndefined();
    }
  });
});

describe('UTF-16 in another script with no Latin-1 unit', () => {
  it('the byte order with more text units is read (U+04E0-U+04EF swapped is U+E004…, no text unit)', () => {
    const s = '\u04e0\u04e1\u04e2\u04e3\u04e4\u04e5\u04e6\u04e7';
    expect(decodeBytesText(utf16be(s))).toBe(s);
    expect(decodeBytesText(Buffer.from(s, 'utf16le'))).toBe(s);
  });

  it('an odd last byte is left out', () => {
    const s = 'ЖЗИЙКЛМНОП';
    expect(decodeBytesText(Buffer.concat([Buffer.from(s, 'utf16le'), Buffer.from([0x41])]))).toBe(s);
  });
});
