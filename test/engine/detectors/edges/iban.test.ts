import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ibanDetector, ibanLengths } from '../../../../engine/detectors/iban';
import type { Finding } from '../../../../engine/detectors/types';
import { RUNS, UNICODE_PUNCT_SEPARATORS, defaultPolicyExport, edges } from './helpers';

// Rule edges of engine/detectors/iban.ts against docs/detectors.md (`iban` row): random account parts with their
// mod-97 check digits computed here, for every registry country.

const iban = edges('iban');
const COUNTRIES = Object.keys(ibanLengths);

/** The IBAN of `country` with account part `bban` (check digits computed). */
function withCheck(country: string, bban: string, remainder = 1): string {
  const digits = (bban + country + '00').toUpperCase().replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = (97 + remainder - Number(BigInt(digits) % 97n)) % 97;
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}
/** The same IBAN with a check digit changed (the mod-97 check fails). */
function badCheck(s: string): string {
  return s.slice(0, 2) + String((Number(s[2]) + 1) % 10) + s.slice(3);
}
const fours = (s: string, sep: string) => s.match(/.{1,4}/g)!.join(sep);
/** A registry country and a random all-digit account part of its length. */
const account = fc
  .tuple(
    fc.constantFrom(...COUNTRIES),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 30, maxLength: 30 }),
  )
  .map(([c, d]) => withCheck(c, d.slice(0, ibanLengths[c] - 4)));

describe('iban: country, length and check digits', () => {
  it('every registry country at its length is found; one character short or long, or a wrong check digit, is not', () => {
    for (const c of COUNTRIES) {
      const bban = '1234567890123456789012345678901'.slice(0, ibanLengths[c] - 4);
      const ok = withCheck(c, bban);
      iban.masks('x ', ok, ' y');
      iban.masks('x ', ok.toLowerCase(), ' y');
      iban.keeps(`x ${badCheck(ok)} y`);
      for (const rem of [0, 2, 96]) iban.keeps(`x ${withCheck(c, bban, rem)} y`); // mod 97 must be 1
      iban.keeps(`x ${withCheck(c, bban.slice(1))} y`);
      iban.keeps(`x ${withCheck(c, bban + '7')} y`);
      iban.keeps(`x ${c[0]}${c[1].toLowerCase()}${ok.slice(2)} y`); // mixed case country code
    }
  });

  it('the registry is what the docs and the SWIFT list say for a few anchors', () => {
    expect(ibanLengths).toMatchObject({ DE: 22, GB: 22, FR: 27, NO: 15, LC: 32, RU: 33, NL: 18, BE: 16 });
    expect(COUNTRIES.length).toBeGreaterThanOrEqual(89);
  });

  it('an unregistered country code with a valid check is no IBAN', () => {
    for (const c of ['XX', 'ZZ', 'US', 'CA']) iban.keeps(`x ${withCheck(c, '370400440532013000')} y`);
  });
});

describe('iban: separators between groups', () => {
  const ONE = [
    ' ',
    '\t',
    '\n',
    '\r',
    '-',
    '.',
    '_',
    '/',
    '|',
    ':',
    '*',
    '~',
    ',',
    ';',
    '\u00a0',
    '\u2000',
    '\u2005',
    '\u200a',
    '\u202f',
    '\u205f',
    '\u3000',
    ...UNICODE_PUNCT_SEPARATORS,
  ];
  const ASCII = ONE.filter((c) => c < '\u0080');
  it('each separator character in groups of four, one separator throughout', () => {
    fc.assert(
      fc.property(account, fc.constantFrom(...ONE), (s, sep) =>
        iban.masks('x ', fours(s, sep), sep === ' ' ? ' y' : ' y'),
      ),
      { numRuns: 60 },
    );
    for (const sep of ONE) iban.masks('x ', fours('DE89370400440532013000', sep), ' y');
    // The detector itself reads each (the normalized and spaced views read some of them too).
    for (const sep of ONE) {
      const found: Finding[] = [];
      ibanDetector.find(`x ${fours('DE89370400440532013000', sep)} y`, found);
      expect(found.length, JSON.stringify(sep)).toBe(1);
    }
  });

  it('2-4 separator characters (` / `, ` -- `, CRLF), not five; not two different separators', () => {
    fc.assert(
      fc.property(account, fc.constantFrom(' / ', ' -- ', '\r\n', ' | ', '  '), (s, sep) => {
        iban.masks('x ', fours(s, sep), ' y');
        // Five are no separator of the detector (the scanner's spaced view may still read the groups: not pinned here).
        const found: Finding[] = [];
        ibanDetector.find(`x ${fours(s, sep + '~~~'.slice(0, 5 - sep.length))} y`, found);
        expect(found).toEqual([]);
        ibanDetector.find(`x ${fours(s, sep)} y`, found);
        expect(found.length).toBe(1);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(account, fc.constantFrom(...ASCII), fc.constantFrom(...ASCII), (s, a, b) => {
        fc.pre(a !== b && !(a.trim() === '' && b.trim() === ''));
        // Groups joined by `|`, `*` or `~` after the first get the spaced view (of the detectors only the card detector
        // reads those), which reads them with one separator throughout: a real IBAN then, not pinned here.
        fc.pre(!'|*~'.includes(b));
        const g = s.match(/.{1,4}/g)!;
        iban.keeps(`x ${g[0]}${a}${g[1]}${b}${g.slice(2).join(b)} y`);
      }),
      RUNS,
    );
  });

  it('national groups of two or more with at most four letters after the check digits', () => {
    iban.masks('x ', 'FR14 20041 01005 0500013M026 06', ' y');
    iban.masks('x ', 'DE89 370 400 440 532 013 000', ' y');
    const five = withCheck('DE', 'ABCDE1234567890123');
    const four = withCheck('DE', 'ABCD12345678901234');
    iban.masks('x ', fours(five, ' '), ' y'); // in fours the letters do not count
    iban.keeps(`x ${five.slice(0, 4)} ${five.slice(4, 9)} ${five.slice(9, 14)} ${five.slice(14)} y`);
    iban.masks('x ', `${four.slice(0, 4)} ${four.slice(4, 9)} ${four.slice(9, 14)} ${four.slice(14)}`, ' y');
    fc.assert(
      fc.property(account, (s) => {
        iban.keeps(`x ${s.slice(0, 4)} ${s[4]} ${s.slice(5)} y`); // a group of one
        iban.masks('x ', `${s.slice(0, 4)} ${s.slice(4, 6)} ${s.slice(6)}`, ' y'); // a group of two
      }),
      RUNS,
    );
  });
});

describe('iban: what glues before and after it', () => {
  it('a boundary: start, blank, punctuation, _ (a file name), . after it; a letter or digit glues', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom('', 'x ', 'invoice_', ':', '(', '"', 'é '),
        fc.constantFrom('', ' y', '.pdf', '.', ',', '_2026', ')'),
        fc.boolean(),
        (s, before, after, grouped) => iban.masks(before, grouped ? fours(s, ' ') : s, after),
      ),
      RUNS,
    );
    fc.assert(
      fc.property(account, fc.constantFrom('x', 'Z', '1', 'é'), fc.constantFrom('x', '7', 'Z'), (s, before, after) => {
        iban.keeps(`${before}${s} y`);
        iban.keeps(`x ${s}${after}`);
        iban.keeps(`x ${fours(s, '_')}_1 y`); // _ after an IBAN grouped with _ continues it
      }),
      RUNS,
    );
  });
});

describe('iban: glued to a BIC', () => {
  const letters = (n: number) =>
    fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: n, maxLength: n });
  const alnum = (n: number) =>
    fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: n, maxLength: n });
  /** A BIC: bank and country code (six letters), location (two), maybe a branch (three). */
  const bic = fc
    .tuple(letters(6), alnum(2), fc.option(alnum(3), { nil: '' }))
    .map(([bank, location, branch]) => bank + location + branch);

  it('an IBAN right after a BIC of 8 or 11 characters is found (one field of a payment record)', () => {
    fc.assert(
      fc.property(account, bic, fc.constantFrom('', 'pay ', '/', ':'), (s, b, before) => {
        iban.masks(`${before}${b}`, s, ' y');
      }),
      RUNS,
    );
  });

  it('after a word of another length or one with a digit in its first six characters it is not', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom('ABCDEFG', 'ABCDEFGHI', 'ABCDEFGHIJ', 'ABCDEFGHIJKL', 'ABCDE1FG'),
        (s, w) => {
          iban.keeps(`x ${w}${s} y`);
        },
      ),
      RUNS,
    );
  });
});

describe('iban: the groups of a UUID', () => {
  // `ba87…` reads as a Bosnian IBAN's country code and check digits, and these groups pass its check sum by chance.
  const groups = 'ba8772e3-4668-1041-0037';
  it('inside a UUID they are no IBAN; the same groups with dashes outside a UUID are one', () => {
    iban.keeps(`id ${groups}-000000000000 x`);
    iban.masks('id ', groups, ' x');
    iban.masks('id ', groups, '-00000000 x');
    iban.keeps(`${groups.toUpperCase()}-0000000000AB`);
  });

  it('a `_` after an IBAN ends it when its separator is another one or a run of `_`', () => {
    iban.masks('file ', 'DE89__3704__0044__0532__0130__00', '_v2.pdf');
    iban.masks('file ', 'DE89-3704-0044-0532-0130-00', '_v2.pdf');
    iban.keeps('file DE89_3704_0044_0532_0130_00_v2.pdf');
  });
});

describe('iban: through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('an IBAN at each edge is not exported; a wrong check digit is no IBAN', async () => {
    await fc.assert(
      fc.asyncProperty(account, fc.constantFrom(' ', ' -- ', '\u00a0', '\u3001', ''), async (s, sep) => {
        const text = sep === '' ? `invoice_${s}.pdf` : `iban ${fours(s, sep)}`;
        const out = await exported(text);
        expect(out).not.toContain(s.slice(4, 12));
        expect(out).toContain('REDACTED:iban');
        // A wrong check digit is no IBAN (its digits may still read as something else, such as a card number).
        expect(await exported(`ref ${badCheck(s)}`)).not.toContain('REDACTED:iban');
      }),
      { numRuns: 12 },
    );
  });
});
