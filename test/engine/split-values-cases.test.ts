import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_MAP_JOIN_VALUES,
  changedEntries,
  codeUnitsText,
  joinWith,
  junctionSeparators,
  utf16Text,
} from '../../engine/split-values';
import { fuzzParameters } from '../assurance/fuzz-runs';
import { CHANGES, JUNCTIONS, PRINTABLE_UNITS } from './testdata/split-values-cases';

const units = (s: string) => [...s].map((c) => c.charCodeAt(0));
const utf16 = (s: string, little: boolean) => {
  const bytes = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    bytes[2 * i + (little ? 0 : 1)] = c & 0xff;
    bytes[2 * i + (little ? 1 : 0)] = c >> 8;
  }
  return bytes;
};

describe('codeUnitsText: numbers read as the text they spell', () => {
  it.each(PRINTABLE_UNITS.map(([u, p]) => [u.toString(16), u, p] as const))('unit 0x%s printable: %s', (_h, u, p) => {
    expect(codeUnitsText([...units('jane@'), u])).toBe(`jane@${p ? String.fromCharCode(u) : '\n'}`);
  });

  it('needs five printable units: four are no text, one that is no character does not count', () => {
    expect(codeUnitsText(units('jane'))).toBeUndefined();
    expect(codeUnitsText(units('jane@'))).toBe('jane@');
    expect(codeUnitsText([...units('jane'), 0])).toBeUndefined();
    expect(codeUnitsText([...units('jane'), 0, 64])).toBe('jane\n@');
  });

  it('reads bigints and at most `max` units', () => {
    expect(codeUnitsText([106n, 97n, 110n, 101n, 64n])).toBe('jane@');
    expect(codeUnitsText(units('jane@example.com'), 5)).toBe('jane@');
    expect(codeUnitsText(units('jane@example.com'), 4)).toBeUndefined();
    expect(codeUnitsText(new Array<number>(5000).fill(97))).toBe('a'.repeat(4096));
  });
});

describe('utf16Text: bytes read as UTF-16', () => {
  it('reads little and big endian', () => {
    expect(utf16Text(utf16('jane@', true))).toBe('jane@');
    expect(utf16Text(utf16('jane@', false))).toBe('jane@');
  });

  it('needs ten bytes, an odd last byte is not read', () => {
    expect(utf16Text(utf16('jane@', true).subarray(0, 9))).toBeUndefined();
    expect(utf16Text(Uint8Array.from([...utf16('jane@', true), 0x41]))).toBe('jane@');
  });

  it('needs nine in ten high bytes zero', () => {
    expect(utf16Text(utf16('jane\u20acdoe@x', true))).toBe('jane\u20acdoe@x'); // 9 of 10
    expect(utf16Text(utf16('jane\u20acdoe@x', false))).toBe('jane\u20acdoe@x');
    expect(utf16Text(utf16('jan\u20ac\u20acdoe@x', true))).toBeUndefined(); // 8 of 10
    expect(utf16Text(utf16('jan\u20ac\u20acdoe@x', false))).toBeUndefined();
    expect(utf16Text(new TextEncoder().encode('jane@example.com'))).toBeUndefined(); // UTF-8
  });

  it('reads at most 4096 units', () => {
    expect(utf16Text(utf16('a'.repeat(4100), true))).toBe('a'.repeat(4096));
  });

  it('any Latin text written as UTF-16 reads back as itself (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ -~]{5,40}$/), fc.boolean(), (text, little) => {
        expect(utf16Text(utf16(text, little))).toBe(text);
      }),
      fuzzParameters(200),
    );
  });
});

describe('junctionSeparators and joinWith', () => {
  it.each(JUNCTIONS.map(([t, s, e]) => [JSON.stringify(t), JSON.stringify(s), t, s, e] as const))(
    '%s joined with %s',
    (_t, _s, texts, sep, expected) => {
      expect(junctionSeparators(texts, sep)).toEqual(expected);
    },
  );

  it('joins texts with their separators', () => {
    expect(joinWith(['a', 'b', 'c'], [' ', ''])).toBe('a bc');
    expect(joinWith([], [])).toBe('');
    expect(MAX_MAP_JOIN_VALUES).toBe(64);
  });
});

describe('changedEntries', () => {
  it.each(CHANGES.map(([t, s, o, e]) => [JSON.stringify(t), o, t, s, o, e] as const))(
    '%s rewritten to %s',
    (_t, _o, texts, seps, out, expected) => {
      expect(changedEntries(texts, seps, joinWith(texts, seps), out)).toEqual(expected);
    },
  );

  it('the rewrite is the unchanged entries around the rewritten text (property)', () => {
    const text = fc.stringMatching(/^[a-z@.]{1,6}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.constantFrom('', ' ')), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.nat(),
        fc.stringMatching(/^[A-Z?]{0,4}$/),
        (entries, a, b, insert) => {
          const texts = entries.map(([t]) => t);
          const seps = entries.slice(0, -1).map(([, s]) => s);
          const joined = joinWith(texts, seps);
          const from = a % (joined.length + 1);
          const to = from + (b % (joined.length - from + 1));
          const out = joined.slice(0, from) + insert + joined.slice(to);
          const { lo, hi, text: rewritten } = changedEntries(texts, seps, joined, out);
          expect(lo).toBeLessThanOrEqual(hi);
          const before = joinWith(texts.slice(0, lo), seps.slice(0, lo)) + (lo > 0 ? seps[lo - 1]! : '');
          // The entries before `lo` (with their separators) and after `hi` are untouched around the rewritten text; the
          // separator after `hi` belongs to the rewritten text when it changed.
          const tail = hi < texts.length - 1 ? joinWith(texts.slice(hi + 1), seps.slice(hi + 1)) : '';
          expect(out.startsWith(before + rewritten)).toBe(true);
          const rest = out.slice(before.length + rewritten.length);
          expect(hi < texts.length - 1 ? [seps[hi]! + tail, tail] : ['']).toContain(rest);
        },
      ),
      fuzzParameters(300),
    );
  });
});
