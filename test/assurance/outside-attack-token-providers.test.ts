import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';
import type { TextField } from './helpers/outside-attack';

// An outside tester's round 16 (bare tokens of providers not on the list), default policy, real SDK providers: an
// Atlassian, Linear, Postman, Pulumi, Heroku, CircleCI, Doppler, age, Discord, Meta/Square, Mailchimp or Braintree
// token sent alone, in a log line, JSON, YAML or a query was exported from `error.type` and log bodies. The tokens
// are fake: random characters in each provider's published layout.
const pipelines = defaultPolicyPipelines();

/** Deterministic fake randomness for one case: `n` characters of `alphabet` from the SHA-256 of `seed`. */
function random(seed: string, n: number, alphabet: string): string {
  let out = '';
  for (let k = 0; out.length < n; k++)
    for (const b of createHash('sha256').update(`${seed}:${k}`).digest())
      if (out.length < n) out += alphabet[b % alphabet.length];
  return out;
}
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
/** Random with an upper-case letter, a lower-case letter and a digit at fixed places (one answer per case). */
const mixed = (seed: string, n: number, alphabet = ALNUM) => `Qz${random(seed, n - 3, alphabet)}4`;
const hex = (seed: string, n: number) => `e${random(seed, n - 2, HEX)}9`;

/** Each provider's token from a seed: [the text, the part that must not be exported]. */
const TOKENS: Readonly<Record<string, (s: string) => readonly [string, string]>> = {
  atlassian: (s) => {
    const b = mixed(s, 180, `${ALNUM}_-=`);
    return [`ATATT3${b}`, b];
  },
  linear: (s) => {
    const b = mixed(s, 40);
    return [`lin_api_${b}`, b];
  },
  postman: (s) => {
    const b = hex(s, 34);
    return [`PMAK-${hex(`${s}a`, 24)}-${b}`, b];
  },
  pulumi: (s) => {
    const b = hex(s, 40);
    return [`pul-${b}`, b];
  },
  heroku: (s) => {
    const b = mixed(s, 60);
    return [`HRKU-${b}`, b];
  },
  circleci: (s) => {
    const b = hex(s, 40);
    return [`CCIPAT_${mixed(`${s}a`, 22)}_${b}`, b];
  },
  doppler: (s) => {
    const b = mixed(s, 40);
    return [`dp.st.${b}`, b];
  },
  age: (s) => {
    const b = random(s, 58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L');
    return [`AGE-SECRET-KEY-1${b}`, b];
  },
  discord: (s) => {
    const b = mixed(s, 38);
    return [`MTA${random(`${s}a`, 21, ALNUM)}.${random(`${s}b`, 6, ALNUM)}.${b}`, b];
  },
  meta: (s) => {
    const b = mixed(s, 120);
    return [`EAACEdEose0cBA${b}`, b];
  },
  square: (s) => {
    const b = mixed(s, 60);
    return [`EAAA${b}`, b];
  },
  mailchimp: (s) => {
    const b = hex(s, 32);
    return [`${b}-us14`, b];
  },
  'go mysql dsn': (s) => {
    const b = mixed(s, 16);
    return [`jane:${b}@tcp(db:3306)/app`, b];
  },
  braintree: (s) => {
    const b = hex(s, 32);
    return [`access_token$production$${random(`${s}a`, 16, 'abcdefghijklmnopqrstuvwxyz0123456789')}$${b}`, b];
  },
};

const wrap = fc.constantFrom(
  (t: string) => t,
  (t: string) => `deploy failed with ${t} (retrying)`,
  (t: string) => `{"credentials":{"value":"${t}"}}`,
  (t: string) => `value: ${t}`,
  (t: string) => `https://hooks.example/callback?v=${t}&next=1`,
  (t: string) => `<v>${t}</v>`,
);

describe('outside attack: bare tokens of providers of round 16', () => {
  it('are not exported from error.type or a log body, bare or wrapped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(TOKENS)),
        fc.string({ minLength: 1, maxLength: 8 }),
        wrap,
        fc.constantFrom<TextField>('error.type', 'log body'),
        (name, seed, w, field) => {
          const [text, secret] = TOKENS[name]!(seed);
          const out = exportedThrough(pipelines, field, w(text));
          expect({ name, text, leaked: out.some((s) => s.includes(secret)) }).toEqual({ name, text, leaked: false });
        },
      ),
      { numRuns: 150 },
    );
  });

  // Prose and identifiers that look like the layouts: exported as written.
  it.each([
    'EAA member since 2019',
    'dp.st.louis.example',
    'pul-ups x3',
    'lin_api_docs',
    'region us-east-1',
    'com.google.android.gms.measurement.AppMeasurementService',
    'AGE-SECRET-KEY-1 is the prefix of an age key',
    'dial tcp(db:3306): connection refused',
  ])('keeps %s in a log body', (text) => {
    expect(exportedThrough(pipelines, 'log body', text)).toContain(text);
  });
});
