import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../engine/detectors/value-scanner';
import type { ValueScannerOptions } from '../../../engine/detectors/value-scanner';

// Separator and boundary tricks an outside tester used to export fake canaries unchanged: groups joined with `*`, `~`,
// Arabic commas, Unicode slashes and spaces or ` -- `; IBANs in national groups; addresses with spaced dots, commas or
// hex parts, or glued to a word; cards after `word-`; phones with `ext` or `+1(202)`; key ids glued to text; JWTs with
// blanks around the dots; `Bearer<br>`. Each property builds variants from fake seeds with separator, glue and wrapper
// operators and requires the scanner to report the seed's type and leave none of its letters and digits in the output;
// the scanner without its single-pass pre-filter must write the same output (the pre-filter stays a superset).

const options: ValueScannerOptions = { detectors: 'all', action: 'mask', mask: '[REDACTED:{type}]' };
const scanner = createValueScanner({ ...options, cleanCacheSize: 0 });
const oracle = createValueScanner({ ...options, cleanCacheSize: 0, prefilter: false });

/** Letters and digits of `s`, so a leak is seen whatever separators surround it. */
const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');

function expectMasked(text: string, type: string, core: string): void {
  const r = scanner.scan(text);
  expect(r.types, JSON.stringify(text)).toContain(type);
  expect(alnum(r.value), JSON.stringify(text)).not.toContain(alnum(core));
  expect(oracle.scan(text).value, JSON.stringify(text)).toBe(r.value);
}

function expectClean(text: string): void {
  expect(scanner.scan(text).types, JSON.stringify(text)).toEqual([]);
  expect(oracle.scan(text).types, JSON.stringify(text)).toEqual([]);
}

const RUNS = { numRuns: 300 };
const wrap = fc.constantFrom('%s', 'value %s', '{"v":"%s"}', 'msg="%s" level=info', '<td>%s</td>', 'a %s b');
const put = (ctx: string, s: string) => ctx.replace('%s', s);

/** Separators between digit groups: ASCII, Unicode spaces, slashes, asterisks, commas and dashes, and ` -- `. */
export const GROUP_SEPARATORS = [
  '*',
  '~',
  '\u060c', // Arabic comma
  '\u061b', // Arabic semicolon
  '\u3001', // ideographic comma
  ' -- ',
  ' - ',
  ' ~ ',
  '\u2044', // fraction slash
  '\u2215', // division slash
  '\u2217', // asterisk operator
  '\u2009', // thin space
  '\u2002', // en space
  '\u3000', // ideographic space
  '\u205f', // medium mathematical space
  '\u2013', // en dash
  '\u2014', // em dash
  ' \u2014 ',
  '\u00b7', // middle dot
  '\u2022', // bullet
  '\uff0c', // fullwidth comma
  '\uff5e', // fullwidth tilde
  '\u00a0',
];
const separator = fc.constantFrom(...GROUP_SEPARATORS);

const CARDS = ['4111111111111111', '5555555555554444', '6011111111111117', '4012888888881881'];
const group4 = (s: string, sep: string) => s.match(/.{1,4}/g)!.join(sep);

describe('card numbers joined by any separator, glued to a word', () => {
  const left = fc.oneof(
    fc.constantFrom('', 'card ', 'x-', 'card-', 'cc-', 'pan-', 'visa-', 'pay_'),
    fc.stringMatching(/^[a-z]{1,8}$/),
  );
  it('finds them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CARDS), separator, left, wrap, (card, sep, l, ctx) =>
        expectMasked(put(ctx, l + group4(card, sep)), 'payment-card', card),
      ),
      RUNS,
    );
  });
  it('finds American Express 4-6-5 with the same separators', () => {
    fc.assert(
      fc.property(separator, wrap, (sep, ctx) =>
        expectMasked(put(ctx, ['3782', '822463', '10005'].join(sep)), 'payment-card', '378282246310005'),
      ),
      RUNS,
    );
  });
  it('leaves identifiers after an id label alone', () => {
    for (const v of [
      'ORD-4111111111111111',
      'orderId-4111111111111111',
      'ticket-4111111111111111',
      'invoice-5555555555554444',
      'SN-4012888888881881',
    ])
      expectClean(v);
  });
});

const IBANS = ['GB82WEST12345698765432', 'DE89370400440532013000', 'FR1420041010050500013M02606', 'NL91ABNA0417164300'];

describe('IBANs with any separator or in national groups', () => {
  it('finds groups of four with the separators', () => {
    fc.assert(
      fc.property(fc.constantFrom(...IBANS), separator, wrap, (iban, sep, ctx) =>
        expectMasked(put(ctx, group4(iban, sep)), 'iban', iban),
      ),
      RUNS,
    );
  });
  it('finds national groupings (any cut into groups of two or more)', () => {
    const cuts = fc.array(fc.integer({ min: 2, max: 11 }), { minLength: 1, maxLength: 8 });
    const sep = fc.constantFrom(' ', '-', '.', ' -- ', '\u00a0', '*');
    fc.assert(
      fc.property(fc.constantFrom(...IBANS), cuts, sep, wrap, (iban, sizes, s, ctx) => {
        const groups: string[] = [iban.slice(0, 4)]; // country code and check digits stay together
        let at = 4;
        for (const size of sizes) {
          if (iban.length - at - size < 2) break;
          groups.push(iban.slice(at, at + size));
          at += size;
        }
        groups.push(iban.slice(at));
        expectMasked(put(ctx, groups.join(s)), 'iban', iban);
      }),
      RUNS,
    );
  });
  it('finds the printed French and German layouts', () => {
    expectMasked('FR14 20041 01005 0500013M026 06', 'iban', 'FR1420041010050500013M02606');
    expectMasked('DE89 370 400 440 532 013 000', 'iban', 'DE89370400440532013000');
  });
  it('refuses prose after a country code and wrong check digits in national groups', () => {
    for (const v of [
      'DE89 is the code for our test bank in town',
      'FR14 20041 01005 0500013M026 07',
      'GB82 WEST 1234 5698 7654 33',
      'AT61 and 1904 300 234 573 201 apples',
    ])
      expectClean(v);
  });
});

describe('SSNs with slash-like separators', () => {
  const slash = fc.constantFrom('/', '\u2044', '\u2215', '\u29f8', '\uff0f');
  it('finds them', () => {
    fc.assert(
      fc.property(fc.constantFrom('123-45-6789', '234-56-7890', '555-12-3456'), slash, wrap, (ssn, s, ctx) =>
        expectMasked(put(ctx, ssn.split('-').join(s)), 'us-ssn', ssn),
      ),
      RUNS,
    );
  });
  it('leaves paths of ids and dates alone', () => {
    for (const v of ['/users/123/45/6789', '2024/12/31', 'GET /v1/123/45/67890']) expectClean(v);
  });
});

describe('IPv4 addresses with spaced dots, commas, hex parts, or glued to words', () => {
  const ADDRESSES = ['203.0.113.7', '198.51.100.23', '192.0.2.155'];
  const spaced = fc.constantFrom(' . ', '. ', ' .', '  .  ', '\t.\t');
  it('finds spaced dots', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ADDRESSES), spaced, wrap, (ip, s, ctx) =>
        expectMasked(put(ctx, ip.split('.').join(s)), 'ipv4', ip),
      ),
      RUNS,
    );
  });
  it('finds commas after an address word or as the whole value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ADDRESSES), fc.constantFrom(',', ', '), (ip, s) => {
        expectMasked(ip.split('.').join(s), 'ipv4', ip);
        expectMasked(`client ip=${ip.split('.').join(s)} ok`, 'ipv4', ip);
      }),
      RUNS,
    );
  });
  it('finds hexadecimal quads', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ADDRESSES), fc.boolean(), wrap, (ip, upper, ctx) => {
        const hex = ip
          .split('.')
          .map((o) => `0x${Number(o).toString(16).padStart(2, '0')}`)
          .join('.');
        expectMasked(put(ctx, upper ? hex.toUpperCase() : hex), 'ipv4', hex);
      }),
      RUNS,
    );
  });
  it('finds addresses after a word and a dot, or glued to letters on the right', () => {
    const word = fc.stringMatching(/^[a-z]{1,10}$/);
    fc.assert(
      fc.property(fc.constantFrom(...ADDRESSES), word, word, wrap, (ip, l, r, ctx) => {
        expectMasked(put(ctx, `${l}.${ip}`), 'ipv4', ip);
        expectMasked(put(ctx, `${ip}${r}`), 'ipv4', ip);
      }),
      RUNS,
    );
  });
  it('leaves versions, OIDs, number lists and thousands alone', () => {
    for (const v of [
      '1.2.3.4beta',
      'lib.so.1.2.3.4',
      'python3.11.4.1',
      'version 1.2.3.4',
      '1.3.6.1.4.1.311.21.8',
      'oid.1.3.6.1',
      '[100,200,250,5]',
      'buckets=100,200,250,5',
      '3,405,803,783',
      'total 1,234,567,890 bytes',
      '12 . 0 . 10 . 5',
      '10:15:42.123',
    ])
      expectClean(v);
  });
});

describe('phones with an extension glued on or a bracketed area code glued to the country code', () => {
  const seeds = fc.constantFrom('+12025550143', '+442079460958', '+33123456789');
  it('finds letters glued after the number', () => {
    fc.assert(
      fc.property(seeds, fc.constantFrom('ext', 'ext12', 'x', 'home', 'Ext.5'), wrap, (seed, r, ctx) =>
        expectMasked(put(ctx, seed + r), 'phone', seed),
      ),
      RUNS,
    );
  });
  it('finds +1(202)555-0143', () => {
    for (const v of ['tel:+1(202)555-0143', '+1(202)555-0143', 'call +1(202) 555 0143'])
      expectMasked(v, 'phone', '2025550143');
  });
  it('leaves build metadata and function calls alone', () => {
    for (const v of ['1.0.0+20240101123abc', 'f(1)(2)', '1(202)555-0143']) expectClean(v);
  });
});

describe('AWS key ids glued to text in any case', () => {
  const ids = fc.constantFrom('AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A', 'AKIA2OGYBAH6ZF3T4Q5P');
  const glue = fc.oneof(fc.constantFrom('key', '9', 'x', 'awsKey', 'id_', '0'), fc.stringMatching(/^[a-z0-9]{1,6}$/));
  it('finds them', () => {
    fc.assert(
      fc.property(ids, glue, fc.boolean(), wrap, (id, g, lower, ctx) => {
        const text = g + (lower ? id.toLowerCase() : id);
        expectMasked(put(ctx, lower ? text.toLowerCase() : text), 'aws-access-key', id.toLowerCase());
      }),
      RUNS,
    );
  });
  it('leaves hex digests and words ending in a prefix-like run alone', () => {
    for (const v of [
      'sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b',
      'theakiaplaceholderabcdefgh',
      'xAKIAXXXXXXXXXXXXXXXX',
    ])
      expectClean(v);
  });
});

describe('JWTs with blanks around the dots and Bearer after markup', () => {
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlLXVzZXIiLCJuYW1lIjoiRmFrZSJ9.c2lnbmF0dXJlLW9mLWEtZmFrZS10b2tlbg';
  it('finds JWTs with blanks around the dots', () => {
    fc.assert(
      fc.property(fc.constantFrom(' . ', ' .', '. ', '\t.\t', '   .   '), wrap, (dot, ctx) =>
        expectMasked(put(ctx, JWT.split('.').join(dot)), 'jwt', JWT.split('.')[2]),
      ),
      RUNS,
    );
  });
  it('ends a token at a sentence after its signature, with plain or spaced dots', () => {
    const spaced = JWT.split('.').join(' . ');
    for (const v of [`${JWT}. Then`, `${spaced}. Then`, `${spaced} . Then more`]) {
      const r = scanner.scan(v);
      expect(r.types, v).toEqual(['jwt']);
      expect(r.value, v).toMatch(/Then/);
    }
  });
  it('finds Bearer tokens after <br> and &nbsp;', () => {
    for (const sep of ['<br>', '<br/>', '<br />', ' <br> ', '&nbsp;', '&#160;'])
      expectMasked(`Authorization: Bearer${sep}fakeToken0123456789abcdef`, 'bearer-token', 'fakeToken0123456789abcdef');
  });
  it('leaves prose alone', () => {
    for (const v of ['bearer<br>token expired', 'see eyJ . Then']) expectClean(v);
  });
});

describe('session cookies with short or letters-only values, folded headers and JSON', () => {
  const names = fc.constantFrom('sid', 'PHPSESSID', 'connect.sid', 'session', 'auth_token', 'remember_me', 'uid');
  // Letters only and short: consonant runs are no state word (`none`, `deleted`) and no placeholder.
  const values = fc.oneof(
    fc.constantFrom('abc', 'letmein', 'hunter', 'Xkcdqa', 'ab3', 'k9z'),
    fc.stringMatching(/^[bcdfghjklmnpqrstvwxz]{3,7}$/).filter((v) => !/^(.)\1*$/.test(v)),
  );
  const header = fc.constantFrom(
    (p: string) => `Cookie: ${p}`,
    (p: string) => `Cookie: theme=dark; ${p}`,
    (p: string) => `Cookie:\r\n ${p}`,
    (p: string) => `Cookie: lang=en;\r\n ${p}`,
    (p: string) => JSON.stringify({ cookie: p }),
    (p: string) => `Set-Cookie: ${p}; Path=/; HttpOnly`,
  );
  it('finds them', () => {
    fc.assert(
      fc.property(names, values, header, (name, value, h) => {
        const text = h(`${name}=${value}`);
        const r = scanner.scan(text);
        expect(r.types, text).toContain('labeled-secret');
        expect(r.value, text).not.toContain(`=${value}`);
        expect(oracle.scan(text).value, text).toBe(r.value);
      }),
      RUNS,
    );
  });
  it('leaves preferences and cleared sessions alone', () => {
    for (const v of ['Cookie: theme=dark; lang=en-US', 'Set-Cookie: sid=deleted; Path=/; Max-Age=0', 'Cookie: sid='])
      expectClean(v);
  });
});

describe('clean values stay untouched', () => {
  it('timestamps, versions, OIDs, hex ids, order numbers, durations', () => {
    for (const v of [
      '2026-12-06T00:53:27.123Z',
      '2026-12-06 00:53:27,123',
      'v1.2.3.4',
      'v10.20.30.40',
      '1.3.6.1.4.1.311.21.8.1234.5678',
      'trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7',
      'ORD-2025550143',
      'order 4111-1111-1111-1112',
      'took 1,234 ms (p99 12.5 s)',
      'duration=00:01:23.456',
      '123e4567-e89b-12d3-a456-426614174000',
    ])
      expectClean(v);
  });
});
