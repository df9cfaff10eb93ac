import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { RUNS } from './helpers';

// A layer of quoted-printable under a layer of other escapes: the `=` of a lone triplet is written with another escape
// (`Beare\07572 <token>`, `Beare%3D72 <token>`, `\u{3d}\u{37}\u{32}`). Quoted-printable alone leaves a lone triplet
// after a lower-case word alone (`count=72 `, `id=4146…`: a `key=value` pair); an escaped `=` is no such pair unless it
// is a URL's own encoded query (`id%3D4146…`, `id%253D4146…`), whose digits stay as written.

const scanners = [true, false].map((prefilter) =>
  createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', cleanCacheSize: 0, prefilter }),
);
const TOKEN = 'tokvDuZBausd456PBtnwl200rig7GT6';

/** How an escape writes one ASCII character. */
const escapeOf: Record<string, (ch: string) => string> = {
  octal: (ch) => `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`,
  '\\u{}': (ch) => `\\u{${ch.charCodeAt(0).toString(16)}}`,
  '\\u': (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  '\\x': (ch) => `\\x${ch.charCodeAt(0).toString(16)}`,
  '&#NN;': (ch) => `&#${ch.charCodeAt(0)};`,
  percent: (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
};

/** `ch` as a quoted-printable triplet, its `=` (and with `digits` its hex digits too) written with `escape`. */
function escapedTriplet(ch: string, escape: string, digits: boolean): string {
  const hex = ch.charCodeAt(0).toString(16).toUpperCase();
  const write = escapeOf[escape];
  return write('=') + (digits ? [...hex].map(write).join('') : hex);
}

describe('a quoted-printable triplet whose `=` another escape wrote', () => {
  it('the outside-attack draws that exported a bearer token (three and two layers of escapes)', () => {
    const drawn = [
      // some:percent|percent|percent|quoted-printable ∘ all:percent (lower-case hex)|\u{}|percent ∘ punctuation:octal
      String.raw`{"v":"\134u\17325\175\134u\17334\175\134u\17332\175\04525\134u\17336\175\134u\17335\175\134u\17325\175\04536\134u\17331\175\134u\17325\175\134u\17337\175\134u\17332\175\04525\134u\17336\175\04535\0453D\134u\17337\175\04532\134u\17325\175\134u\17332\175\04530\04574\0456f\0456b\04576\04544\134u\17325\175\134u\17337\175\04535\134u\1735a\175\04525\04534\04532\04561\134u\17375\175\04525\04537\134u\17333\175\04525\134u\17336\175\134u\17334\175\134u\17325\175\04533\04534\134u\17335\175\04536\04525\04535\134u\17330\175\134u\17325\175\04534\134u\17332\175\04525\04537\04534\134u\17325\175\134u\17336\175\04545\04525\134u\17337\175\04537\04525\04536\04543\0453d\04533\134u\17332\175\04530\04530\04525\134u\17337\175\04532\04569\134u\17325\175\134u\17336\175\04537\04525\134u\17333\175\04537\04525\04534\04537\04554\134u\17336\175"}`,
      // some:percent|\x|percent|quoted-printable (lower-case hex) ∘ punctuation:octal
      String.raw`{"v":"\04542\134x65\04561\134x72\04565\07572\134x20tok94\134x6eO\134x35v6\04552\134x50\134x6fVz\0454F\134x49\04576\04545\134x6f\134x67\075456H\0454Fi\04568\04538\134x67Xr"}`,
    ];
    for (const s of scanners)
      for (const value of drawn) {
        const out = s.scan(value).value;
        expect(out, value).not.toBe(value);
        expect(out.includes('tok94') || out.includes('tokvDuZ'), out).toBe(false);
      }
  });

  it('the label `Bearer` with its last letter written so: the token is masked, for every escape of the `=`', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(escapeOf)),
        fc.boolean(),
        fc.constantFrom('', 'Authorization: ', 'note ', '{"v":"'),
        (escape, digits, before) => {
          // A URL's `%3D` with digits left as written is a `key=value` pair before a blank only when a blank follows.
          const value = `${before}Beare${escapedTriplet('r', escape, digits)} ${TOKEN}`;
          for (const s of scanners) expect(s.scan(value).value, value).not.toContain(TOKEN);
        },
      ),
      RUNS,
    );
  });

  it("a URL's encoded query keeps its number (`id%3D…`, `id%253D…`): no triplet is read in it", () => {
    for (const value of [
      'level=info msg="profile updated" field=id%253D414660430904592708 duration=12ms',
      '/search?next=%2Fusers%3Fid%3D414660430904592708%26page%3D2',
      'redirect=%2Forders%3Fref%3D4146604309045927081',
    ])
      for (const s of scanners) expect(s.scan(value).value, value).toBe(value);
  });
});

describe("a quoted-printable triplet where another escape's hex digits go", () => {
  it('the outside-attack draw that exported an IPv4 address (`%u=30 02E`: a digit of `%u002E` written `=30`)', () => {
    const value = '20%33%5C0560%25u=30%30%32%45%31%313%25u00%32E175';
    for (const s of scanners) expect(s.scan(value).value, value).toBe('[ipv4]');
  });

  it('each escape of `.` with one of its hex digits written as a triplet: the address is found', () => {
    /** `.` written by an escape, its `index`th hex digit as a quoted-printable triplet. */
    const dotForms: readonly ((index: number) => string)[] = [
      (k) => writeDigit('%u002E', 2, k),
      (k) => writeDigit('\\u002e', 2, k),
      (k) => writeDigit('\\x2e', 2, k),
      (k) => writeDigit('\\u{2e}', 3, k),
      (k) => writeDigit('&#x2e;', 3, k),
      (k) => writeDigit('&#46;', 2, k),
      (k) => writeDigit('%2E', 1, k),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...dotForms), fc.nat(3), fc.constantFrom('', 'from ', 'ip: '), (form, k, before) => {
        const value = `${before}203${form(k)}0.113.175`;
        for (const s of scanners) expect(s.scan(value).value, value).toBe(`${before}[ipv4]`);
      }),
      RUNS,
    );
  });

  it("a CSS escape's first digit written as a triplet (`\\=340 ` is `\\40 `, `@`): the value is found", () => {
    for (const [value, masked] of [
      ['jane.doe\\=340 example.com', '[email]'],
      ['4111\\=320 1111 1111 1111', '[payment-card]'],
      ['192\\=32E 0\\2E 2\\2E 44', '[ipv4]'],
    ])
      for (const s of scanners) expect(s.scan(value!).value, value).toBe(masked);
  });

  it('a query string keeps its numbers (`user_id=5123`, `limit=40&`, `sort=DESC`)', () => {
    for (const value of ['user_id=5123', 'limit=40&offset=80', 'sort=DESC', 'page=2&per_page=30', 'ux=30 ok'])
      for (const s of scanners) expect(s.scan(value).value, value).toBe(value);
  });
});

/** `escape` with one of its hex digits (the `k`th of those from `first`, clamped) written as a `=XX` triplet. */
function writeDigit(escape: string, first: number, k: number): string {
  let end = first;
  while (end < escape.length && /[0-9a-f]/i.test(escape[end]!)) end++;
  const at = Math.min(first + k, end - 1);
  const hex = escape.charCodeAt(at).toString(16).toUpperCase();
  return `${escape.slice(0, at)}=${hex}${escape.slice(at + 1)}`;
}
