import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ibanLengths } from '../../engine/detectors/iban';
import { defaultPolicyPipelines, exportedThrough, sendAsNames } from './helpers/outside-attack';

// The eighteenth outside attack round, second attacker: an IBAN with a currency code AND an amount glued on
// (`NL91ABNA0417164300EUR100.00`, `DE89370400440532013000EUR12,50`, `GB82WEST12345698765432GBP0.01`,
// `EUR100.00DE89370400440532013000`), and an IBAN in a German MT940 `:86:` subfield
// (`?30COBADEFFXXX?31DE89370400440532013000?32Jane Doe`), with a currency sign (`€NL91…`, `…4300€`) or an account
// label (`ACCTNL91…`) glued on, were exported whole in error.type and the log body. Sent
// through real SDK providers with the privacy processors and the DEFAULT policy, for every registry country at its
// length, in MT940 lines, labels, JSON, CSV, YAML, query strings, XML and log lines. No account part may survive in
// any exported string. Look-alikes (amounts, subfield codes, prose) are exported as written.
const pipelines = defaultPolicyPipelines();

/** The IBAN of `country` with account part `bban` (check digits computed). */
function withCheck(country: string, bban: string): string {
  const digits = (bban + country + '00').toUpperCase().replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = (98 - Number(BigInt(digits) % 97n)) % 97;
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** Every registry country at its length, a random all-digit account part (the canary: eleven digits or more). */
const account = fc
  .tuple(
    fc.constantFrom(...Object.keys(ibanLengths)),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 30, maxLength: 30 }),
  )
  .map(([c, d]) => withCheck(c, d.slice(0, ibanLengths[c] - 4)));

const currency = fc.constantFrom('EUR', 'USD', 'GBP', 'CHF', 'PLN', 'SEK', 'CZK', 'TRY', 'ALL', 'TOP', 'JPY', 'XAU');
const amount = fc.constantFrom('100.00', '12,50', '0.01', '100', '1,000.00', '1.000,00');

/** The account with code and amount after or before it, or after an MT940 `:86:` subfield code. */
const glued = fc
  .tuple(
    account,
    currency,
    amount,
    fc.constantFrom('after', 'before', 'subfield'),
    fc.constantFrom('?31', '?32', '?20', '?30COBADEFFXXX?31'),
    fc.constantFrom(
      (s: string) => s,
      (s: string) => s.toLowerCase(),
    ),
  )
  .map(([s, cur, amt, where, code, caseOf]) => ({
    text:
      where === 'after'
        ? caseOf(`${s}${cur}${amt}`)
        : where === 'before'
          ? caseOf(`${cur}${amt}${s}`)
          : `:86:166?00GUTSCHRIFT${code}${caseOf(s)}?32Jane Doe`,
    canary: s.slice(4),
  }));

/** Where the value is written. */
const contexts = fc.constantFrom(
  (s: string) => s,
  (s: string) => `:25:${s}`,
  (s: string) => `:20:STMT2026\r\n:86:${s}\r\n:62F:C261207EUR1000,00`,
  (s: string) => `iban=${s}`,
  (s: string) => `payout failed for ${s}`,
  (s: string) => JSON.stringify({ field: s }),
  (s: string) => `2026-12-01;${s};Jane Doe`,
  (s: string) => `record:\n  field: ${s}\n`,
  (s: string) => `/payouts?field=${encodeURIComponent(s)}&x=1`,
  (s: string) => `<Ustrd>${s}</Ustrd>`,
  (s: string) => `level=error msg="transfer rejected" field=${s}`,
);

describe('outside attack round 18b: an IBAN with an amount or an MT940 subfield code glued on', () => {
  it('no account part is exported in a log body, a span name, an event name or error.type', () => {
    fc.assert(
      fc.property(glued, contexts, ({ text, canary }, wrap) => {
        const value = wrap(text);
        const { span, event, body } = sendAsNames(pipelines, value);
        for (const out of [span, event, body, ...exportedThrough(pipelines, 'error.type', value)])
          expect(out, `${JSON.stringify(value)} → ${JSON.stringify(out)}`).not.toContain(canary);
      }),
      { numRuns: 120 },
    );
  });

  it('a currency sign or an account label glued on: no account part is exported', () => {
    fc.assert(
      fc.property(
        account,
        fc.constantFrom('€', '£', '¥', '₹', '₽'),
        fc.constantFrom('sign before', 'sign after', 'ACCT', 'acct', 'IBAN', 'iban'),
        contexts,
        (s, sign, how, wrap) => {
          const text = how === 'sign before' ? `${sign}${s}` : how === 'sign after' ? `${s}${sign}` : `${how}${s}`;
          const value = wrap(text);
          const canary = s.slice(4);
          const { span, event, body } = sendAsNames(pipelines, value);
          for (const out of [span, event, body, ...exportedThrough(pipelines, 'error.type', value)])
            expect(out, `${JSON.stringify(value)} → ${JSON.stringify(out)}`).not.toContain(canary);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('the attacker’s values: the IBAN is masked, code, amount and subfields kept in the log body', () => {
    for (const [value, want] of [
      ['NL91ABNA0417164300EUR100.00', '[REDACTED:iban]EUR100.00'],
      ['DE89370400440532013000EUR12,50', '[REDACTED:iban]EUR12,50'],
      ['GB82WEST12345698765432GBP0.01', '[REDACTED:iban]GBP0.01'],
      ['EUR100.00DE89370400440532013000', 'EUR100.00[REDACTED:iban]'],
      ['?30COBADEFFXXX?31DE89370400440532013000?32Jane Doe', '?30COBADEFFXXX?31[REDACTED:iban]?32Jane Doe'],
      ['€NL91ABNA0417164300', '€[REDACTED:iban]'],
      ['NL91ABNA0417164300€', '[REDACTED:iban]€'],
      ['ACCTNL91ABNA0417164300', 'ACCT[REDACTED:iban]'],
    ])
      expect(sendAsNames(pipelines, value).body).toBe(want);
  });

  it('look-alikes are exported as written', () => {
    for (const value of [
      'EUR100.00',
      'EUR 100.00 paid',
      'amount=EUR12,50',
      'GBP0.01 fee',
      '?31 is a subfield code',
      ':86:166?00GUTSCHRIFT?20SVWZ+RE 1234?32Jane Doe',
      'USD/EUR 1.0842',
      '€100.00',
      'ACCT1234',
      'IBAN: none',
      'password is required',
      'token expired',
      'the password field',
      'bypass=cache',
    ]) {
      expect(sendAsNames(pipelines, value).body, value).toBe(value);
      expect(exportedThrough(pipelines, 'error.type', value), value).toContain(value);
    }
  });
});
