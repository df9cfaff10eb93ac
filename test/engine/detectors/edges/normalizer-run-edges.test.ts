import { describe, expect, it } from 'vitest';
import { MAX_BASE64_RUN, base64Runs, decodeBytesText, hexRuns } from '../../../../engine/detectors/normalizer';
import { edgeScanners } from './secret-edges-helpers';

// The edges of `base64Runs` and `hexRuns` (engine/detectors/normalizer.ts, docs/detectors.md "Normalized views") their
// reference tests do not reach: the `=` padding that lets a run of upper-case letters only shorter than 16 characters
// be read (base32 of text with no digit), the longest run read (`MAX_BASE64_RUN`, a path's `/` segments included),
// the letter mix of a path's `/` segments, read on their own only when the whole path is not a run, and the first
// byte of a hex run, which must start text (printable ASCII, tab, line breaks, a UTF-8 lead byte before its
// continuation bytes) for the run to be read.

const ips = edgeScanners(['ipv4']);

/** `GEXDCLRRFYYQ` is base32 of `1.1.1.1` (12 upper-case letters, no digit). */
const BASE32_IP = 'GEXDCLRRFYYQ';

describe('a run of upper-case letters only, shorter than 16 characters', () => {
  it('is a run before `=` padding (at most two `=` taken into it), not without it', () => {
    expect(base64Runs(`peer ${BASE32_IP} up`)).toEqual([]);
    expect(base64Runs(`peer ${BASE32_IP}==== up`)).toEqual([5, 19]);
    expect(base64Runs(`peer ${BASE32_IP}= up`)).toEqual([5, 18]);
    expect(base64Runs(`peer ${BASE32_IP}ABC up`)).toEqual([]);
    expect(base64Runs(`peer ${BASE32_IP}ABCD up`)).toEqual([5, 21]);
  });

  it('the padded base32 of an address is read and the address masked, pre-filter on and off', () => {
    ips.found(`peer ${BASE32_IP}==== up`, BASE32_IP, 'ipv4');
  });
});

describe('the longest run read', () => {
  /** A run of `length` characters with the letter mix of base64 (upper case, lower case, digits). */
  const mixed = (length: number) => 'aB12'.repeat(Math.ceil(length / 4)).slice(0, length);
  /** A path of lower-case words with one base64 `/` segment first, `length` characters in all. */
  const SEGMENT = 'QUJDREVGR0hJ';
  const path = (length: number) => `${SEGMENT}/${'abcdefg/'.repeat(length)}`.slice(0, length);

  it('is MAX_BASE64_RUN characters: one more and the run is not read', () => {
    expect(base64Runs(`x ${mixed(MAX_BASE64_RUN)} y`)).toEqual([2, 2 + MAX_BASE64_RUN]);
    expect(base64Runs(`x ${mixed(MAX_BASE64_RUN + 1)} y`)).toEqual([]);
  });

  it("a longer run's `/` segments are not read on their own either", () => {
    const segments = `${SEGMENT}/`.repeat(Math.ceil(MAX_BASE64_RUN / 13) + 1);
    expect(base64Runs(`x ${segments} y`)).toEqual([]);
  });

  it("a path of MAX_BASE64_RUN characters has its base64 segment read; a longer path's is not", () => {
    expect(path(MAX_BASE64_RUN).endsWith('/')).toBe(false);
    expect(base64Runs(`x ${path(MAX_BASE64_RUN)} y`)).toEqual([2, 2 + SEGMENT.length]);
    expect(base64Runs(`x ${path(MAX_BASE64_RUN + 1)} y`)).toEqual([]);
  });
});

describe("a path's `/` segments are read with the letter mix of base64 runs", () => {
  it('`+` and `-` are neither upper-case letters nor digits, lower-case letters not digits', () => {
    // The whole path is no run (one upper-case letter in 23, no two digits); no segment is one either.
    for (const text of ['Users/abc+def-ghi1/list', 'Users/Abc+def-ghij/list', 'Users/Abcdefghijkl/list'])
      expect(base64Runs(text), text).toEqual([]);
  });

  it('`Z` is an upper-case letter', () => {
    expect(base64Runs('Users/ZZZabcdefghi/list/items/more')).toEqual([6, 18]);
  });

  it('the `=` padding after the last segment lets only that one be read as a padded run', () => {
    // The first segment: upper-case letters only, 12 of them, no padding after it: not a run on its own.
    const text = `${BASE32_IP}/${'abcdefghij/'.repeat(5)}abcdefgh=`;
    expect(base64Runs(text)).toEqual([]);
  });

  it('a padded last segment of 10 characters is read, pre-filter on and off', () => {
    // `MS4xLjEuMQ==` is base64 of `1.1.1.1`; the path's words dilute the whole run's letter mix (one digit).
    const text = 'GET /api/orders/list/users/MS4xLjEuMQ== 200';
    expect(base64Runs(text)).toEqual([27, 39]);
    ips.found(text, 'MS4xLjEuMQ', 'ipv4');
  });
});

describe('hexRuns: the first byte of a run', () => {
  const hex = (bytes: readonly number[]) => Buffer.from(bytes).toString('hex');
  /** ASCII text after the byte: no UTF-16 reading of it is text (no ASCII unit, no two units of one alphabet). */
  const TAIL = [...Buffer.from('abcdefghij')];

  it('a single byte before ASCII text: read when it is printable ASCII, a tab or a line break', () => {
    const wrong: string[] = [];
    // 0 is left out: NUL then `a` is the UTF-16BE unit of `a`, read as UTF-16.
    for (let b = 1; b < 256; b++) {
      const text = `x ${hex([b, ...TAIL])} y`;
      const want = b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) ? [2, text.length - 2] : [];
      if (JSON.stringify(hexRuns(text)) !== JSON.stringify(want)) wrong.push(b.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('a byte above 0x7f with continuation bytes after it: read when it is a UTF-8 lead byte (0xc2-0xf4)', () => {
    const wrong: string[] = [];
    for (let b = 0x80; b < 256; b++) {
      const continuation = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
      const bytes = [b, ...Array<number>(continuation).fill(0x80), ...TAIL];
      const text = `x ${hex(bytes)} y`;
      const want = b >= 0xc2 && b <= 0xf4 ? [2, text.length - 2] : [];
      if (JSON.stringify(hexRuns(text)) !== JSON.stringify(want)) wrong.push(b.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('a UTF-8 lead byte before a byte that is no continuation byte is not read', () => {
    for (const b of [0xc3, 0xe2, 0xf0]) expect(hexRuns(`x ${hex([b, ...TAIL])} y`), b.toString(16)).toEqual([]);
  });

  it('a run shorter than MIN_HEX_RUN digits is not read, even when the letter after it would make a text byte', () => {
    // `61 62 63 64 65 6` and the `g` after it: read as a twelfth digit, `6g` would be 0x70 (`p`).
    expect(hexRuns('x 61626364656g y')).toEqual([]);
  });

  it('an even run is read from its first digit only, an odd one from both when both start text', () => {
    expect(hexRuns('x 33333333333333 y')).toEqual([2, 16]);
    expect(hexRuns('x 333333333333333 y')).toEqual([2, 16, 3, 17]);
  });

  it('is read up to MAX_BASE64_RUN digits; a longer run is not', () => {
    const digits = (n: number) => '61'.repeat(n / 2);
    expect(hexRuns(`x ${digits(MAX_BASE64_RUN)} y`)).toEqual([2, 2 + MAX_BASE64_RUN]);
    expect(hexRuns(`x ${digits(MAX_BASE64_RUN + 2)} y`)).toEqual([]);
  });
});

describe('decoded bytes read as UTF-16: nine in ten units of one byte order', () => {
  const le = (text: string) => Buffer.from(text, 'utf16le');
  const be = (text: string) => Buffer.from(text, 'utf16le').swap16();

  it('six bytes of text in another script are read', () => {
    expect(decodeBytesText(le('\u041a\u043b\u0438'))).toBe('\u041a\u043b\u0438');
  });

  it('Latin-1 text with one unit in ten outside Latin-1 is read, with two it is not', () => {
    for (const order of [le, be]) {
      expect(decodeBytesText(order('abcdefghi\u4e2d'))).toBe('abcdefghi\u4e2d');
      expect(decodeBytesText(order('abcd\u4e00efghi'))).toBe('abcd\u4e00efghi');
      expect(decodeBytesText(order('abcdefgh\u4e2d\u4e2d'))).toBeUndefined();
    }
  });

  it('an odd byte at the end is left out; a zero byte there counts no unit', () => {
    expect(decodeBytesText(Uint8Array.from([...le('abcdefghij'), 0x41]))).toBe('abcdefghij');
    expect(decodeBytesText(Uint8Array.from([...be('abcdefgh\u4e2d\u4e2d'), 0]))).toBeUndefined();
  });
});
