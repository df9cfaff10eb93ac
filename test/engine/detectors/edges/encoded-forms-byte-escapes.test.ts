import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defangAt, hexByteEscapesAt } from '../../../../engine/detectors/encoded-forms';
import { normalizeView } from '../../../../engine/detectors/normalizer';
import { needsNormalization } from '../../../../engine/detectors/prefilter';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';

// Two-hex-digit byte escapes (`\xHH` as C, Python's `b''` and Go's `%q` write them; bare `\HH` as LDAP filters and
// distinguished names write them) and defanged characters (`[.]`, `(.)`, `{.}`, `[dot]`, `[@]`), each against a
// reference written from the documentation of engine/detectors/encoded-forms.ts, then through the normalized view and
// the public value scanner. Fake identities only.

/** Bytes as text: ASCII bytes printable, tab or a line break, the rest well-formed UTF-8; else undefined. */
function referenceBytesText(bytes: number[]): string | undefined {
  if (bytes.some((b) => b < 0x80 && !(b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)))) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/**
 * The documented run at `text[i]`: escapes of exactly two hex digits (`\x` first unless `bare`), at most 64; a bare
 * escape stops the run before an ASCII letter or digit byte and before a blank after its digits (CSS's `\40 `).
 */
function referenceRun(text: string, i: number, bare: boolean): { value: string; length: number } | undefined {
  const re = bare ? /^\\([0-9A-Fa-f]{2})/ : /^\\x([0-9A-Fa-f]{2})/;
  const bytes: number[] = [];
  let j = i;
  for (;;) {
    if (bytes.length === 64) break;
    const m = re.exec(text.slice(j, j + 4));
    if (m === null) break;
    const step = m[0].length;
    const b = parseInt(m[1]!, 16);
    if (bare && /[ \t\n\r]/.test(text.charAt(j + step))) break;
    if (bare && /[A-Za-z0-9]/.test(String.fromCharCode(b))) break;
    bytes.push(b);
    j += step;
  }
  if (bytes.length === 0) return undefined;
  const value = referenceBytesText(bytes);
  return value === undefined ? undefined : { value, length: j - i };
}

/** The documented defanged character at `text[i]`. */
function referenceDefang(text: string, i: number): { value: string; length: number } | undefined {
  const m = /^(?:\[([.@]|dot)\]|\(([.@]|dot)\)|\{([.@]|dot)\})/i.exec(text.slice(i, i + 5));
  if (m === null) return undefined;
  const inner = m[1] ?? m[2] ?? m[3]!;
  return { value: inner.length === 3 ? '.' : inner, length: m[0].length };
}

const HEX_BYTES = [
  '40',
  '2d',
  '2E',
  '20',
  '7e',
  '7f',
  '1f',
  '0a',
  '09',
  '0D',
  '00',
  '30',
  '39',
  '41',
  '5a',
  '61',
  '7A',
  '5f',
  '2f',
  'c3',
  'A9',
  'e2',
  '82',
  'ac',
  'f0',
  '9f',
  '98',
  '80',
  'bf',
  'c0',
  'C1',
  'f5',
  'ff',
  'ed',
  'a0',
];

describe('hexByteEscapesAt against the documented rule', () => {
  const piece = fc.oneof(
    fc.constantFrom(...HEX_BYTES).map((h) => `\\x${h}`),
    fc.constantFrom(...HEX_BYTES).map((h) => `\\${h}`),
    fc.constantFrom(
      '\\x4',
      '\\xg0',
      '\\X40',
      '\\4',
      '\\',
      'x',
      ' ',
      '\t',
      '\n',
      '\r',
      'a',
      'F',
      '0',
      '9',
      'g',
      '@',
      '.',
    ),
  );

  it('agrees at every backslash of texts built from escapes, their look-alikes and what follows them', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.boolean(), (pieces, bare) => {
        const text = pieces.join('');
        for (let i = text.indexOf('\\'); i !== -1; i = text.indexOf('\\', i + 1))
          expect(hexByteEscapesAt(text, i, bare), `${JSON.stringify(text)} ${i} ${bare}`).toEqual(
            referenceRun(text, i, bare),
          );
      }),
      { numRuns: 800 },
    );
  });

  it('every byte value, alone and before each kind of following character', () => {
    for (let b = 0; b < 256; b++)
      for (const hex of [b.toString(16).padStart(2, '0'), b.toString(16).padStart(2, '0').toUpperCase()])
        for (const after of ['', ' ', '\t', '\n', '\r', 'a', 'G', '0', '\\']) {
          for (const text of [`\\x${hex}${after}`, `\\${hex}${after}`])
            for (const bare of [true, false])
              expect(hexByteEscapesAt(text, 0, bare), `${JSON.stringify(text)} ${bare}`).toEqual(
                referenceRun(text, 0, bare),
              );
        }
  });

  it('reads at most 64 escapes, and a UTF-8 sequence cut at the 64th is no text', () => {
    for (const bare of [true, false]) {
      const esc = bare ? '\\2d' : '\\x2d';
      for (const count of [63, 64, 65, 70]) {
        const text = esc.repeat(count) + 'z';
        expect(hexByteEscapesAt(text, 0, bare), `${count}`).toEqual({
          value: '-'.repeat(Math.min(count, 64)),
          length: esc.length * Math.min(count, 64),
        });
      }
      // 63 dashes and a two-byte lead: the 64th byte cuts `é`
      const cut = esc.repeat(63) + (bare ? '\\c3\\a9' : '\\xc3\\xa9');
      expect(hexByteEscapesAt(cut, 0, bare)).toBeUndefined();
    }
  });

  it('is read by the normalized view where a bare escape is no CSS escape', () => {
    expect(normalizeView('jane.doe\\40example.com')?.text).toBe('jane.doe@example.com');
    expect(normalizeView('a\\xc2\\xa0b')?.text).toBe('a b');
    expect(normalizeView('4111\\201111')?.text).toBe('4111 1111');
    expect(normalizeView('123\\2d45')?.text).toBe('123-45');
    // `\40 ` is CSS: the blank is part of the escape
    expect(normalizeView('jane.doe\\40 example.com')?.text).toBe('jane.doe@example.com');
    // `\30` is a digit: CSS reads on into the hex letters after it (`\301`), no LDAP byte
    expect(normalizeView('C:\\301-x')?.text).not.toBe('C:01-x');
  });
});

describe('defangAt against the documented rule', () => {
  it('every bracket, inner text and closing character', () => {
    const inner = [
      '.',
      '@',
      'dot',
      'DOT',
      'Dot',
      'dOt',
      'doT',
      ':',
      ',',
      'do',
      'dott',
      'at',
      '',
      'd0t',
      'Dut',
      'dor',
      'ḋot',
    ];
    const brackets = ['[', '(', '{', '<', ']', ')', '}', 'x'];
    for (const open of brackets)
      for (const mid of inner)
        for (const close of brackets) {
          const text = `a${open}${mid}${close}b`;
          expect(defangAt(text, 1), text).toEqual(referenceDefang(text, 1));
        }
    expect(defangAt('[.', 0)).toBeUndefined();
    // no bracket: nothing is read, whatever follows (a NUL where a closing bracket would be too)
    for (const text of ['x.\u0000', '<.\u0000', 'a@\u0000', ']dot\u0000'])
      expect(defangAt(text, 0), text).toBeUndefined();
    expect(defangAt('[dot', 0)).toBeUndefined();
  });

  it('an IPv4 address written with defanged dots (each bracket alone, `[dot]` in any case) is masked, pre-filter on and off', () => {
    // The IPv4 detector does not read a defanged dot itself: only the normalized view does, which the pre-filter
    // asks for (`needsNormalization`) when the value holds a defanged character and no other escape.
    for (const dot of ['[.]', '(.)', '{.}', '[dot]', '(DOT)', '{Dot}']) {
      const text = `host 192${dot}0${dot}2${dot}44 seen`;
      expect(needsNormalization(text), text).toBe(true);
      expect(normalizeView(text)?.text, text).toBe('host 192.0.2.44 seen');
      for (const prefilter of [true, false]) {
        const s = createValueScanner({
          detectors: 'all',
          action: 'mask',
          mask: '[{type}]',
          cleanCacheSize: 0,
          prefilter,
        });
        expect(s.scan(text).value, `${text} ${prefilter}`).toBe('host [ipv4] seen');
      }
    }
    for (const text of ['a [x] b', 'f(x) {y} [z]', 'a [do] b', 'a (.] b'])
      expect(needsNormalization(text), text).toBe(false);
  });

  it('is read by the normalized view and the scanner masks the address', () => {
    expect(normalizeView('jane.doe[@]example[.]com')?.text).toBe('jane.doe@example.com');
    expect(normalizeView('jane(dot)doe@example{DOT}com')?.text).toBe('jane.doe@example.com');
    for (const prefilter of [true, false]) {
      const s = createValueScanner({
        detectors: 'all',
        action: 'mask',
        mask: '[{type}]',
        cleanCacheSize: 0,
        prefilter,
      });
      for (const text of [
        'ioc jane.doe[@]example[.]com seen',
        'ioc jane.doe@example(.)com seen',
        'ioc jane.doe@example{dot}com seen',
      ])
        expect(s.scan(text).value, `${text} ${prefilter}`).toBe('ioc [email] seen');
    }
  });
});

describe('an escaped backslash in the normalized view', () => {
  it('`\\\\` reads as one backslash, once: what follows it is not read as an escape in the same round', () => {
    for (const [text, view] of [
      ['C:\\\\Users\\\\jane', 'C:\\Users\\jane'],
      ['a\\\\nb', 'a\\nb'],
      ['x\\\\qy', 'x\\qy'],
    ])
      expect(normalizeView(text)?.text, text).toBe(view);
  });
});
