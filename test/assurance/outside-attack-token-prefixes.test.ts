import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';
import type { TextField } from './helpers/outside-attack';

// An outside attack round's API tokens, through real SDK providers with the privacy processors and the DEFAULT policy:
// a published prefix written differently (`SK_LIVE_…`, `sk-live-…`, a blank or line break after `sk_live_`), and
// tokens of providers the detector did not list (HashiCorp Vault, DigitalOcean, Grafana, New Relic, Mailgun,
// Databricks, Telegram bots). No token body may be exported from a log body, a span's `error.type`, a span event
// name, a log record's severity text or event name. Every token here is fake.
const pipelines = defaultPolicyPipelines();
/** The fields each value is sent through. */
const FIELDS: readonly TextField[] = ['log body', 'error.type', 'event name', 'severity text', 'log event name'];

/** Sends `text` through `field`; returns every string the OTLP/JSON requests exported. */
const exported = (field: string, text: string): string[] => exportedThrough(pipelines, field as TextField, text);

const fields = fc.constantFrom(...FIELDS);
const contexts = fc.constantFrom(
  (s: string) => s,
  (s: string) => `configured with ${s} today`,
  (s: string) => JSON.stringify({ value: s }),
  (s: string) => `<code>${s}</code>`,
  (s: string) => `value=${s}&retry=1`,
);
/** A token body: `FAKE` and letters and digits (never a real token). */
const body = (alphabet: RegExp) => fc.stringMatching(alphabet).map((s) => `FAKE${s}`);

/** Each letter of `word` in upper or lower case. */
function anyCase(word: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((up) => [...word].map((ch, k) => (up[k] ? ch.toUpperCase() : ch.toLowerCase())).join(''));
}

/** A Stripe secret or restricted key's prefix written differently: case, `-` for `_`, a blank or line break after. */
const stripe = fc
  .tuple(
    fc.constantFrom('sk', 'rk'),
    fc.constantFrom('live', 'test'),
    fc.constantFrom('_', '-'),
    fc.constantFrom('', ' ', '\n', '\t', '\r\n'),
    body(/^[A-Za-z0-9]{16,28}$/),
  )
  .chain(([kind, mode, sep, gap, secret]) =>
    fc.tuple(anyCase(kind), anyCase(mode)).map(([k, m]) => ({ token: `${k}${sep}${m}${sep}${gap}${secret}`, secret })),
  );

/** Tokens of providers the detector did not list before, by their published formats. */
const providers = fc.oneof(
  fc
    .tuple(fc.constantFrom('hvs.', 'hvb.', 'hvr.'), body(/^[A-Za-z0-9_-]{20,96}$/))
    .map(([p, s]) => ({ token: p + s, secret: s })),
  fc
    .tuple(fc.constantFrom('dop_v1_', 'doo_v1_', 'dor_v1_'), fc.stringMatching(/^[a-f0-9]{64}$/))
    .map(([p, s]) => ({ token: p + s, secret: s })),
  fc
    .tuple(body(/^[A-Za-z0-9]{28}$/), fc.stringMatching(/^[a-f0-9]{8}$/))
    .map(([s, t]) => ({ token: `glsa_${s}_${t}`, secret: s })),
  fc
    .tuple(fc.constantFrom('NRAK-', 'NRII-', 'NRJS-'), body(/^[A-Z0-9]{18,30}$/))
    .map(([p, s]) => ({ token: p + s, secret: s })),
  fc.stringMatching(/^[0-9a-f]{32}$/).map((s) => ({ token: `key-${s}`, secret: s })),
  fc.stringMatching(/^[0-9a-f]{32}$/).map((s) => ({ token: `dapi${s}`, secret: s })),
  fc
    .tuple(fc.stringMatching(/^[1-9][0-9]{7,9}$/), fc.stringMatching(/^[A-Za-z0-9_-]{33}$/))
    .map(([id, s]) => ({ token: `${id}:AA${s}`, secret: `AA${s}` })),
);

describe('outside attack: API tokens whose prefix is written differently or from providers not listed', () => {
  it('a Stripe key is masked whatever the case, `_` or `-`, and a blank or line break after its prefix', () => {
    fc.assert(
      fc.property(stripe, contexts, fields, ({ token, secret }, wrap, field) => {
        const text = wrap(token);
        for (const value of exported(field, text))
          expect(value, `${field}: ${JSON.stringify(text)}`).not.toContain(secret);
      }),
      { numRuns: 150 },
    );
  });

  it('Vault, DigitalOcean, Grafana, New Relic, Mailgun, Databricks and Telegram bot tokens are masked', () => {
    fc.assert(
      fc.property(providers, contexts, fields, ({ token, secret }, wrap, field) => {
        const text = wrap(token);
        for (const value of exported(field, text))
          expect(value, `${field}: ${JSON.stringify(text)}`).not.toContain(secret);
      }),
      { numRuns: 200 },
    );
  });

  it('a Cyrillic or Greek look-alike in the prefix does not hide the token', () => {
    /** Look-alikes of prefix letters (Cyrillic `ѕ р о а с е х і к`, Greek `ο α ρ κ`). */
    const like: Record<string, string[]> = {
      s: ['\u0455'],
      p: ['\u0440', '\u03c1'],
      o: ['\u043e', '\u03bf'],
      a: ['\u0430', '\u03b1'],
      c: ['\u0441'],
      e: ['\u0435'],
      x: ['\u0445'],
      i: ['\u0456'],
      k: ['\u043a', '\u03ba'],
    };
    const prefixed = fc.constantFrom('sk_live_', 'rk_test_', 'ghp_', 'gho_', 'glpat-', 'xoxb-', 'hvs.', 'dop_v1_');
    fc.assert(
      fc.property(
        prefixed,
        body(/^[A-Za-z0-9]{36,40}$/),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        contexts,
        fields,
        (prefix, secret, picks, wrap, field) => {
          // Every letter of the prefix that has a look-alike is replaced when its pick is odd; at least one is.
          const letters = [...prefix];
          const at = letters.map((ch, k) => (like[ch] ? k : -1)).filter((k) => k >= 0);
          const chosen = at.filter((k, n) => n === 0 || picks[k % 8] % 2 === 1);
          for (const k of chosen) letters[k] = like[letters[k]][picks[k % 8] % like[letters[k]].length];
          const token =
            letters.join('') +
            (prefix === 'dop_v1_'
              ? secret
                  .toLowerCase()
                  .replace(/[^0-9a-f]/g, 'a')
                  .padEnd(64, '0')
                  .slice(0, 64)
              : secret);
          const text = wrap(token);
          const check = prefix === 'dop_v1_' ? token.slice(7) : secret;
          for (const value of exported(field, text))
            expect(value, `${field}: ${JSON.stringify(text)}`).not.toContain(check);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the attacker's inputs are masked in every field", () => {
    const inputs: [string, string][] = [
      ['stripe key SK_LIVE_FAKEFAKEFAKEFAKE1234', 'FAKEFAKEFAKEFAKE1234'],
      ['stripe key sk-live-FAKEFAKEFAKEFAKE1234', 'FAKEFAKEFAKEFAKE1234'],
      ['stripe key sk_live_ FAKEFAKEFAKEFAKE1234', 'FAKEFAKEFAKEFAKE1234'],
      ['stripe key sk_live_\nFAKEFAKEFAKEFAKE1234', 'FAKEFAKEFAKEFAKE1234'],
      ['vault hvs.CAESIFAKEFAKEFAKEFAKEFAKEFAKE1234abcdEFGH', 'CAESIFAKEFAKEFAKE'],
      ['do dop_v1_' + 'a1'.repeat(32), 'a1a1a1a1a1a1a1a1'],
      ['grafana glsa_FAKEFAKEFAKEFAKEFAKEFAKE1234abcd_0a1b2c3d', 'FAKEFAKEFAKEFAKE'],
      ['newrelic NRAK-FAKEFAKEFAKEFAKEFAKE123456', 'FAKEFAKEFAKEFAKE'],
      ['mailgun key-0123456789abcdef0123456789abcdef', '0123456789abcdef0123456789abcdef'],
      ['databricks dapi0123456789abcdef0123456789abcdef', '0123456789abcdef0123456789abcdef'],
      ['telegram bot 123456789:AAHfakeFAKEfakeFAKEfakeFAKEfake12345', 'AAHfakeFAKEfakeFAKE'],
      ['GET /bot123456789:AAHfakeFAKEfakeFAKEfakeFAKEfake12345/sendMessage', 'AAHfakeFAKEfakeFAKE'],
      ['stripe key \u0455k_live_FAKEFAKEFAKEFAKE1234', 'FAKEFAKEFAKEFAKE1234'],
      ['gh token gh\u0440_16C7e42F292c6912E7710c838347Ae178B4a', '16C7e42F292c6912E7710c838347Ae178B4a'],
    ];
    for (const [text, secret] of inputs)
      for (const field of FIELDS)
        for (const value of exported(field, text))
          expect(value, `${field}: ${JSON.stringify(text)}`).not.toContain(secret);
  });

  it('prose with the prefixes, host names, public keys and times are exported as written', () => {
    for (const text of [
      'host hvs.example.com is up',
      'mailgun pubkey-0123456789abcdef0123456789abcdef',
      'use a key-value store',
      'sk_live_ not configured',
      'NRAK- missing',
      'rotate the glsa_ token',
      'at 12:30:45 AA flight',
      'ratio 16:AA',
      'monkey-patching done',
      'rapid dapi',
      'Москва, корпус 2, ключ от склада',
      'ѕkѕ_live_ не задан',
    ])
      for (const field of ['log body', 'event name'])
        expect(exported(field, text), `${field}: ${JSON.stringify(text)}`).toContain(text);
  });
});
