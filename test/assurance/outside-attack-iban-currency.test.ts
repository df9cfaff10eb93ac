import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ibanLengths } from '../../engine/detectors/iban';
import { defaultPolicyPipelines, exportedThrough, sendAsNames } from './helpers/outside-attack';

// The eighteenth outside attack round: an IBAN with an ISO 4217 currency code glued on, as bank statements and payment
// files write the account (MT940 `:25:NL91ABNA0417164300EUR`, `iban=DE89370400440532013000EUR`,
// `GB82WEST12345698765432GBP`, `EURDE89370400440532013000`), was exported whole in every field: the three letters
// glued it to a word. Sent through real SDK providers with the privacy processors and the DEFAULT policy, for every
// registry country at its length, codes before and after, glued or after `:` `/` `_` or a blank, in MT940 lines, labels,
// JSON, CSV, YAML, query strings, XML and log lines. No account part may survive in any exported string; the code is
// kept. Look-alikes (amounts, currency pairs, MT940 balance lines, prose) are exported as written.
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

/** The account and its code: glued after (most bank files) or before, or after a separator already read. */
const glued = fc
  .tuple(
    account,
    currency,
    fc.constantFrom('after', 'before'),
    fc.constantFrom('', '', '', ':', '/', '_', ' '),
    fc.constantFrom(
      (s: string) => s,
      (s: string) => s.toLowerCase(),
    ),
  )
  .map(([s, cur, where, sep, caseOf]) => ({
    text: caseOf(where === 'after' ? `${s}${sep}${cur}` : `${cur}${sep}${s}`),
    canary: s.slice(4),
  }));

/** Where the value is written. */
const contexts = fc.constantFrom(
  (s: string) => `:25:${s}`,
  (s: string) => `:20:STMT2026\r\n:25:${s}\r\n:28C:00001/001`,
  (s: string) => `iban=${s}`,
  (s: string) => `payout failed for account ${s}`,
  (s: string) => JSON.stringify({ account: s, amount: '100.00' }),
  (s: string) => `2026-12-01;${s};100,00;Jane Doe`,
  (s: string) => `account:\n  iban: ${s}\n`,
  (s: string) => `/payouts?account=${s}&amount=100`,
  (s: string) => `<Acct><Id><IBAN>${s}</IBAN></Id></Acct>`,
  (s: string) => `level=error msg="transfer rejected" account=${s}`,
);

describe('outside attack round 18: an IBAN with a currency code glued on', () => {
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

  it('the attacker’s values: the IBAN is masked and the code kept in the log body', () => {
    for (const [value, want] of [
      [':25:NL91ABNA0417164300EUR', ':25:[REDACTED:iban]EUR'],
      ['iban=DE89370400440532013000EUR', 'iban=[REDACTED:iban]EUR'],
      ['GB82WEST12345698765432GBP', '[REDACTED:iban]GBP'],
      ['EURDE89370400440532013000', 'EUR[REDACTED:iban]'],
    ])
      expect(sendAsNames(pipelines, value).body).toBe(want);
  });

  it('look-alikes are exported as written', () => {
    for (const value of [
      'EUR 100.00',
      'amount=100.00 EUR',
      'USD/EUR 1.0842',
      'currency=EUR',
      'pay in EUR or GBP',
      ':25:NL91ABNA',
      'EURUSD=X',
      'ISO 4217: EUR, USD, GBP',
      'DE89 is no account',
      'GBP82WEST rate',
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
