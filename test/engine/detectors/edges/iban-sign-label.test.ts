import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ibanLengths } from '../../../../engine/detectors/iban';
import { edgeScanners } from './secret-edges-helpers';

// An IBAN with a currency sign glued on (`€NL91ABNA0417164300`, `NL91ABNA0417164300€`) or an account label glued
// before it (`ACCTNL91ABNA0417164300`, `ibanDE89370400440532013000`): exported whole before the fix. A currency sign is
// no character of a token or hash, and `ACCT`/`IBAN` in one case name the account. The real scanner, pre-filter on and
// off; every generated case has one answer.

const iban = edgeScanners(['iban']);
const COUNTRIES = Object.keys(ibanLengths);

/** The IBAN of `country` with account part `bban` (check digits computed). */
function withCheck(country: string, bban: string): string {
  const digits = (bban + country + '00').toUpperCase().replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = (98 - Number(BigInt(digits) % 97n)) % 97;
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

const account = fc
  .tuple(
    fc.constantFrom(...COUNTRIES),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 30, maxLength: 30 }),
  )
  .map(([c, d]) => withCheck(c, d.slice(0, ibanLengths[c] - 4)));

const sign = fc.constantFrom('€', '£', '¥', '¢', '₹', '₽', '₺', '₩', '₪', '₴', '₿');
const context = fc.constantFrom(
  (s: string) => ['', s, ''],
  (s: string) => ['iban=', s, '&x=1'],
  (s: string) => ['{"field":"', s, '"}'],
  (s: string) => ['2026-12-01;', s, ';Jane Doe'],
  (s: string) => ['level=error field=', s, ' done'],
);
const upperOrLower = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toLowerCase(),
);

describe('iban: a currency sign or an account label glued on', () => {
  it('a currency sign before or after: the IBAN is masked, the sign stays', () => {
    fc.assert(
      fc.property(account, sign, context, upperOrLower, fc.boolean(), (s, c, ctx, caseOf, before) => {
        const [a, , b] = ctx(s);
        iban.marked(before ? `${a}${c}«${caseOf(s)}»${b}` : `${a}«${caseOf(s)}»${c}${b}`);
      }),
      { numRuns: 120 },
    );
  });
  it('`ACCT` or `IBAN` in one case glued before: the IBAN is masked, the label stays', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom('ACCT', 'acct', 'IBAN', 'iban'),
        context,
        upperOrLower,
        (s, label, ctx, caseOf) => {
          const [a, , b] = ctx(s);
          iban.marked(`${a}${label}«${caseOf(s)}»${b}`);
        },
      ),
      { numRuns: 120 },
    );
  });
  it('the attacker’s cases', () => {
    iban.marked('€«NL91ABNA0417164300»');
    iban.marked('«NL91ABNA0417164300»€');
    iban.marked('ACCT«NL91ABNA0417164300»');
  });
});

describe('iban: other glued words stay', () => {
  it('a label in mixed case, another label, a letter or digit before the label, a wrong check digit', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom('Acct', 'aCCT', 'Iban', 'ACC', 'ACCTS', 'XACCT', '1IBAN', 'KEY', 'TOKEN'),
        (s, w) => {
          iban.marked(`x ${w}${s} y`);
          const bad = s.slice(0, 2) + String((Number(s[2]) + 1) % 10) + s.slice(3);
          iban.marked(`x ACCT${bad} y`);
          iban.marked(`x €${bad}€ y`);
        },
      ),
      { numRuns: 60 },
    );
  });
  it('prose and benign values', () => {
    for (const v of ['€100.00', 'ACCT1234', 'IBAN: none', 'price £12', 'password is required', 'token expired'])
      iban.marked(v);
  });
});
