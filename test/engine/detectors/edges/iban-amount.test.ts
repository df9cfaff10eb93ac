import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ibanLengths } from '../../../../engine/detectors/iban';
import { edgeScanners } from './secret-edges-helpers';

// An IBAN with a currency code AND an amount glued on, as fixed-width payment files and statement exports write
// account, currency and amount in one field (`NL91ABNA0417164300EUR100.00`, `DE89370400440532013000EUR12,50`,
// `EUR100.00DE89370400440532013000`), and a German MT940 `:86:` subfield code glued before it
// (`?30COBADEFFXXX?31DE89370400440532013000?32Jane Doe`, the DATEV/DFÜ structure): exported whole before the fix. The
// real scanner, pre-filter on and off; every generated case has one answer: the IBAN masked, code, amount and subfield
// codes kept.

const iban = edgeScanners(['iban']);
const COUNTRIES = Object.keys(ibanLengths);
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'PLN', 'SEK', 'CZK', 'TRY', 'ALL', 'TOP', 'JPY', 'XAU'];

/** The IBAN of `country` with account part `bban` (check digits computed). */
function withCheck(country: string, bban: string): string {
  const digits = (bban + country + '00').toUpperCase().replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = (98 - Number(BigInt(digits) % 97n)) % 97;
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}
const fours = (s: string, sep: string) => s.match(/.{1,4}/g)!.join(sep);

const account = fc
  .tuple(
    fc.constantFrom(...COUNTRIES),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 30, maxLength: 30 }),
  )
  .map(([c, d]) => withCheck(c, d.slice(0, ibanLengths[c] - 4)));

/** An amount as payment files write it: whole, with two decimals after `.` or `,`, with thousands groups. */
const amount = fc.constantFrom('100.00', '12,50', '0.01', '100', '1', '1,000.00', '1.000,00', '999999999,99', '7.5');

/** Where the text around the field comes from. */
const context = fc.constantFrom(
  (s: string) => ['', s, ''],
  (s: string) => [':25:', s, ''],
  (s: string) => ['iban=', s, '&ref=1'],
  (s: string) => ['{"field":"', s, '"}'],
  (s: string) => ['2026-12-01;', s, ';Jane Doe'],
  (s: string) => ['field: ', s, '\n'],
  (s: string) => ['<Ustrd>', s, '</Ustrd>'],
  (s: string) => ['level=error msg="payout rejected" field=', s, ''],
);
const upperOrLower = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toLowerCase(),
);

describe('iban: a currency code and an amount glued on', () => {
  it('after the IBAN (`…EUR100.00`): the IBAN is masked, code and amount stay', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom(...CURRENCIES),
        amount,
        context,
        upperOrLower,
        fc.boolean(),
        (s, cur, amt, ctx, caseOf, grouped) => {
          const hit = grouped ? fours(caseOf(s), ' ') : caseOf(s);
          const [before, , after] = ctx(hit);
          iban.marked(`${before}«${hit}»${caseOf(cur)}${amt}${after}`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('before the IBAN (`EUR100.00DE89…`): the IBAN is masked, code and amount stay', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom(...CURRENCIES),
        amount,
        context,
        upperOrLower,
        (s, cur, amt, ctx, caseOf) => {
          const [before, , after] = ctx(s);
          iban.marked(`${before}${caseOf(cur)}${amt}«${caseOf(s)}»${after}`);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the attacker’s cases', () => {
    iban.marked('«NL91ABNA0417164300»EUR100.00');
    iban.marked('«NL91ABNA0417164300»EUR100,00');
    iban.marked('«DE89370400440532013000»EUR12,50');
    iban.marked('«GB82WEST12345698765432»GBP0.01');
    iban.marked('«NL91ABNA0417164300»eur100');
    iban.marked('EUR100.00«DE89370400440532013000»');
    iban.marked('EUR100.00«NL91ABNA0417164300»');
    iban.marked('Betrag EUR100,00«DE89370400440532013000»');
  });
});

describe('iban: a German MT940 `:86:` subfield code glued before it', () => {
  /** `?NN` subfield codes of the `:86:` structure that may hold an account. */
  const code = fc.constantFrom('?31', '?32', '?33', '?20', '?21', '?30', '?00', '?60');
  it('the IBAN is masked, the codes and the other subfields stay', () => {
    fc.assert(
      fc.property(
        account,
        code,
        fc.constantFrom('', '?32Jane Doe', '?32JANE DOE?33', '?20SVWZ+RE 1234'),
        fc.constantFrom('', ':86:166?00GUTSCHRIFT', ':86:166?00SEPA?20EREF+X?30COBADEFFXXX', '?30COBADEFFXXX'),
        upperOrLower,
        (s, c, after, before, caseOf) => {
          iban.marked(`${before}${c}«${caseOf(s)}»${after}`);
        },
      ),
      { numRuns: 120 },
    );
  });
  it('the attacker’s cases', () => {
    iban.marked(':86:166?00GUTSCHRIFT?20SVWZ+RE 1234?30COBADEFFXXX?31«DE89370400440532013000»?32Jane Doe');
    iban.marked('?30COBADEFFXXX?31«DE89370400440532013000»');
    iban.marked(':86:?31«NL91ABNA0417164300»?32JANE');
    iban.marked(':86:166?00SEPA?20EREF+X?31ABNANL2A?32«NL91ABNA0417164300»');
  });
});

describe('iban: look-alikes with amounts and subfield codes stay', () => {
  it('a letter after the amount, a letter or digit before the code, a wrong check digit, no code', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom(...CURRENCIES),
        fc.constantFrom('100.00x', '12,50EUR', '1a', '0.01Z'),
        (s, cur, tail) => {
          iban.marked(`x ${s}${cur}${tail}`);
          iban.marked(`x a${cur}100.00${s} y`);
          iban.marked(`x 1${cur}100.00${s} y`);
          iban.marked(`x ${cur.slice(0, 1)}x${cur.slice(2)}100.00${s} y`);
          const bad = s.slice(0, 2) + String((Number(s[2]) + 1) % 10) + s.slice(3);
          iban.marked(`x ${bad}${cur}100.00`);
          iban.marked(`x ${cur}100.00${bad} y`);
          iban.marked(`?31${bad}?32Jane`);
        },
      ),
      { numRuns: 80 },
    );
  });
  it('a `?` with one digit or three, or a letter code (`?a1`), still glues', () => {
    fc.assert(
      fc.property(account, fc.constantFrom('?1', '?123', '?a1', '?3a', 'x31', '31'), (s, c) => {
        iban.marked(`x ${c}${s} y`);
      }),
      { numRuns: 40 },
    );
  });
  it('prose and benign values', () => {
    for (const v of [
      'EUR100.00',
      'EUR 100.00 paid',
      'amount=EUR100.00&ccy=EUR',
      'USD/EUR 1.0842',
      '?31 is a subfield code',
      ':86:166?00GUTSCHRIFT?20SVWZ+RE 1234?32Jane Doe',
      'password is required',
      'token expired',
      'the password field',
      'bypass=cache',
    ])
      iban.marked(v);
  });
});
