import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ibanLengths } from '../../../../engine/detectors/iban';
import { defaultPolicyExport, edges, withIbanCheck } from './helpers';

// `iban` and `ipv6` (engine/detectors/iban.ts, ipv6.ts, docs/detectors.md): Japanese, Chinese and Korean are written
// without blanks, so a value stands glued to CJK letters and punctuation (`振込先「DE89…」`, `IBANはDE89…です`,
// `、2001:db8::7、`, `IP：2001:db8::7。次`). Those characters are word boundaries for these detectors; an ASCII letter
// still glues. An IPv6 address before a full stop and the next sentence with no blank (`2001:db8::7.Next`) is found,
// also when the word starts with hex letters (`2001:db8::7.Error`, `.closed`: a `.` after a colon and before a letter
// opens no IPv4 tail).

const iban = edges('iban');
const ip6 = edges('ipv6');

/** What stands before and after a value in CJK text: brackets, commas, colons, full stops, kana, hanzi, Hangul. */
const BEFORE = [
  '「',
  '【',
  '、',
  '：',
  'は',
  '为',
  '（',
  '，',
  '“',
  '振込先「',
  'IBANは',
  '口座番号：',
  '주소 ',
  '주소',
  '『',
];
const AFTER = ['」です', '】', '、', '。次へ', 'です。', '。用户', '）', '，请', '”', '입니다', '。', '次', '』', ''];
const before = fc.constantFrom(...BEFORE);
const after = fc.constantFrom(...AFTER);

/** A valid IBAN of a registry country, electronic (no blanks), upper or lower case. */
const validIban = fc
  .tuple(
    fc.constantFrom(...Object.keys(ibanLengths)),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 30, maxLength: 30 }),
    fc.boolean(),
  )
  .map(([c, d, lower]) => {
    const v = withIbanCheck(c, d.slice(0, ibanLengths[c]! - 4));
    return lower ? v.toLowerCase() : v;
  });

/** A group of 1-4 hex digits that holds a digit 1-9. */
const group = fc
  .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 4 })
  .filter((g) => /[1-9]/.test(g));
/** Documentation-prefix addresses: full, compressed in the middle, compressed before the last group. */
const address = fc
  .tuple(fc.array(group, { minLength: 6, maxLength: 6 }), fc.integer({ min: 0, max: 2 }))
  .map(([g, form]) =>
    form === 0 ? `2001:db8:${g.join(':')}` : form === 1 ? `2001:db8:${g[0]}::${g[1]}:${g[2]}` : `2001:db8::${g[5]}`,
  );

describe('iban and ipv6 glued to CJK letters and punctuation', () => {
  it('an IBAN between CJK characters is masked, exactly it', () => {
    fc.assert(
      fc.property(before, validIban, after, (b, v, a) => iban.masks(b, v, a)),
      { numRuns: 200 },
    );
  });

  it('an IPv6 address between CJK characters is masked, exactly it', () => {
    fc.assert(
      fc.property(before, address, after, (b, v, a) => ip6.masks(b, v, a)),
      { numRuns: 200 },
    );
  });

  it('an IPv6 address before a full stop and a word with no blank: the address, the stop and the word stay', () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'peer ', 'IP：'), address, fc.stringMatching(/^[g-zG-Z][a-z]{0,8}$/), (b, v, w) =>
        ip6.masks(b, v, `.${w}`),
      ),
      { numRuns: 80 },
    );
  });

  it('the same before a word that starts with hex letters: letters beyond them, or more hex letters than a group', () => {
    const hexWord = fc.oneof(
      fc.stringMatching(/^[a-fA-F][a-f]{0,3}[g-z][a-z]{0,6}$/), // Error, Done, closed, failed, Default
      fc.stringMatching(/^[a-fA-F][a-f]{4,8}$/), // faced, beaded
    );
    fc.assert(
      fc.property(fc.constantFrom('', 'peer ', 'IP：', 'connect to '), address, hexWord, (b, v, w) =>
        ip6.masks(b, v, `.${w}`),
      ),
      { numRuns: 120 },
    );
    fc.assert(
      fc.property(address, hexWord, fc.constantFrom(' failed', '。', ')', ''), (v, w, a) =>
        ip6.masks('peer ', v, `.${w}${a}`),
      ),
      { numRuns: 60 },
    );
  });
});

describe('look-alikes next to CJK characters stay as written', () => {
  it('an IBAN with a wrong check, or glued to an ASCII letter or digit; an IPv6 glued to an ASCII letter', () => {
    fc.assert(
      fc.property(before, validIban, after, fc.constantFrom(...'XZq7'), (b, v, a, glue) => {
        iban.keeps(`${b}${withIbanCheck(v.slice(0, 2).toUpperCase(), v.slice(4).toUpperCase(), 2)}${a}`);
        iban.keeps(`${b}${glue}${v}${a}`);
        iban.keeps(`${b}${v}${glue}${a}`);
      }),
      { numRuns: 80 },
    );
    fc.assert(
      fc.property(before, address, after, fc.constantFrom(...'xgZ'), (b, v, a, glue) => {
        ip6.keeps(`${b}${v}${glue}${a}`);
      }),
      { numRuns: 60 },
    );
  });

  it('names, clock times and MAC addresses before a full stop and a word that starts with a hex letter', () => {
    for (const v of [
      'std::vector',
      'cafe::add',
      'Rec::bad1',
      'a::b',
      'Foo::Bar',
      '10:15:32',
      '00:1a:2b:3c:4d:5e',
      '::1',
      'fe80::',
      'v2:3',
      '1.2.3',
      '::ffff:1.2',
    ])
      for (const w of ['.Error', '.add', '.each', '.Done', '.closed', '.faced', '.abc'])
        for (const a of ['', ' failed', '。']) ip6.keeps(`peer ${v}${w}${a}`);
  });

  it('loopback, clock times, MAC addresses, C++ names, hex words, versions and ports between CJK characters', () => {
    for (const v of ['::1', '::', '10:15:32', '00:1a:2b:3c:4d:5e', 'std::vector', 'a::b', 'cafe::add', '1.2.3', 'v2:3'])
      for (const b of BEFORE) for (const a of AFTER) ip6.keeps(`${b}${v}${a}`);
    // A port after a fullwidth colon (`完了：:4023。`): the normalized view reads `完了::4023.`; an address that starts
    // with `::` is not delimited by CJK text.
    for (const w of ['完了', 'ポート', '端口', '포트'])
      for (const a of ['。', '」です', '、', '。次へ', 'です', '번'])
        for (const port of [':4023', ':8080', '::4023']) ip6.keeps(`${w}：${port}${a}`);
  });
});

describe('CJK-glued values through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('no IBAN or IPv6 address glued to CJK text is exported', async () => {
    const samples = fc.sample(fc.tuple(before, fc.oneof(validIban, address), after), { numRuns: 30, seed: 19 });
    for (const [b, v, a] of samples) expect(await exported(`${b}${v}${a}`)).not.toContain(v);
  });
});
