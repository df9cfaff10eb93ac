import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ibanLengths } from '../../../../engine/detectors/iban';
import { edgeScanners } from './secret-edges-helpers';

// An IBAN with an ISO 4217 currency code glued on, as bank statements write the account (MT940 `:25:` lines:
// `:25:NL91ABNA0417164300EUR`) and fixed-width payment files write account and currency (`EURDE89370400440532013000`):
// the three letters glued before or after it do not make it a word. Exported whole before the fix, in every field. The
// real scanner, pre-filter on and off; every generated case has one answer: the IBAN masked, the code kept.

const iban = edgeScanners(['iban']);
const COUNTRIES = Object.keys(ibanLengths);

/** A sample of ISO 4217 codes, written here (not read from the detector): common ones and those that are words. */
const CURRENCIES = [
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'PLN',
  'SEK',
  'NOK',
  'DKK',
  'CZK',
  'HUF',
  'RON',
  'BGN',
  'TRY',
  'SAR',
  'AED',
  'JPY',
  'CNY',
  'BRL',
  'ALL',
  'TOP',
  'PEN',
  'PHP',
  'CUP',
  'MOP',
  'SOS',
  'XAU',
  'XXX',
  'HRK',
  'ZWG',
  'XCG',
];

/** The IBAN of `country` with account part `bban` (check digits computed). */
function withCheck(country: string, bban: string): string {
  const digits = (bban + country + '00').toUpperCase().replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = (98 - Number(BigInt(digits) % 97n)) % 97;
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}
const fours = (s: string, sep: string) => s.match(/.{1,4}/g)!.join(sep);

/** Every registry country at its length, a random all-digit account part. */
const account = fc
  .tuple(
    fc.constantFrom(...COUNTRIES),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 30, maxLength: 30 }),
  )
  .map(([c, d]) => withCheck(c, d.slice(0, ibanLengths[c] - 4)));

/** Where the text around the account comes from: an MT940 line, a label, JSON, CSV, a log line, a path. */
const context = fc.constantFrom(
  (s: string) => [':25:', s, ''],
  (s: string) => [':25:', s, '\r\n:28C:00001/001'],
  (s: string) => ['iban=', s, ''],
  (s: string) => ['IBAN: ', s, ''],
  (s: string) => ['{"account":"', s, '","amount":"100.00"}'],
  (s: string) => ['2026-12-01;', s, ';100,00;Jane Doe'],
  (s: string) => ['payout to ', s, ' failed'],
  (s: string) => ['/accounts/', s, '/balance'],
  (s: string) => ['"', s, '"'],
  (s: string) => ['', s, ''],
);
const upperOrLower = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toLowerCase(),
);

describe('iban: a currency code glued on', () => {
  it('after the IBAN (MT940 `:25:…EUR`): the IBAN is masked, the code and the context stay', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom(...CURRENCIES),
        context,
        upperOrLower,
        upperOrLower,
        fc.boolean(),
        (s, cur, ctx, caseIban, caseCur, grouped) => {
          const hit = grouped ? fours(caseIban(s), ' ') : caseIban(s);
          const [before, , after] = ctx(hit);
          iban.marked(`${before}«${hit}»${caseCur(cur)}${after}`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('before the IBAN (`EURDE89…`): the IBAN is masked, the code and the context stay', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom(...CURRENCIES),
        context,
        upperOrLower,
        upperOrLower,
        fc.boolean(),
        (s, cur, ctx, caseIban, caseCur, grouped) => {
          const hit = grouped ? fours(caseIban(s), ' ') : caseIban(s);
          const [before, , after] = ctx(hit);
          iban.marked(`${before}${caseCur(cur)}«${hit}»${after}`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a code on both sides, or after a `_` (a file name): the IBAN alone is masked', () => {
    fc.assert(
      fc.property(account, fc.constantFrom(...CURRENCIES), fc.constantFrom(...CURRENCIES), (s, a, b) => {
        iban.marked(`${a}«${s}»${b}`);
        iban.marked(`stmt_${a}«${s}»_2026.txt`);
        iban.marked(`stmt_«${s}»${b}_2026.txt`);
      }),
      { numRuns: 60 },
    );
  });

  it('the attacker’s cases', () => {
    iban.marked(':25:«NL91ABNA0417164300»EUR');
    iban.marked(':25:«DE89370400440532013000»EUR');
    iban.marked('iban=«DE89370400440532013000»EUR');
    iban.marked('«GB82WEST12345698765432»GBP');
    iban.marked('EUR«DE89370400440532013000»');
    iban.marked('IBAN «DE89 3704 0044 0532 0130 00»EUR');
  });
});

describe('iban: words that merely hold an IBAN-like run stay', () => {
  /** Three letters that name no currency, a code with a letter (or an amount and a letter) after it, mixed case. */
  const notCode = fc.constantFrom('QQQ', 'ABC', 'EUO', 'KEY', 'REF', 'EURO', 'EUR1X', 'USDT', 'GBPS', 'Eur', 'eUR');
  it('after the IBAN', () => {
    fc.assert(
      fc.property(account, notCode, fc.constantFrom('', ' y', ':', '.pdf'), (s, w, after) => {
        iban.marked(`x ${s}${w}${after}`);
      }),
      { numRuns: 80 },
    );
  });
  it('before the IBAN: no code, mixed case, four letters, or a letter or digit before the code', () => {
    const notPrefix = fc.constantFrom('QQQ', 'ABC', 'Eur', 'XEUR', '1EUR', 'EURO', 'aEUR', 'REF');
    fc.assert(
      fc.property(account, notPrefix, fc.constantFrom('', 'x ', ':'), (s, w, before) => {
        iban.marked(`${before}${w}${s} y`);
      }),
      { numRuns: 80 },
    );
  });
  it('a wrong check digit with a code glued on is no IBAN', () => {
    fc.assert(
      fc.property(account, fc.constantFrom(...CURRENCIES), (s, cur) => {
        const bad = s.slice(0, 2) + String((Number(s[2]) + 1) % 10) + s.slice(3);
        iban.marked(`:25:${bad}${cur}`);
        iban.marked(`${cur}${bad} y`);
      }),
      { numRuns: 60 },
    );
  });
});
