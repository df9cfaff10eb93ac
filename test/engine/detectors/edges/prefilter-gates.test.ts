import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import type { ValueScannerOptions } from '../../../../engine/detectors/value-scanner';

// The single-pass pre-filter (engine/detectors/prefilter.ts) only decides which detectors run and whether a value is
// normalized: with it on and off the scanner's output must be identical. prefilter.test.ts checks this on strings built
// from trigger fragments; here each value sits exactly at one of the pre-filter's gates (every entry of its prefix
// pairs and label words, each case it folds) with a secret the gated detector finds, random text glued to either side,
// and the nearest non-secret (one character changed at the gate).

const options: Omit<ValueScannerOptions, 'prefilter'> = {
  detectors: 'all',
  action: 'mask',
  mask: '[REDACTED:{type}]',
  cleanCacheSize: 0,
};
const on = createValueScanner({ ...options, prefilter: true });
const off = createValueScanner({ ...options, prefilter: false });

const rep = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
const ALNUM = 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8';
const HEX = '3a9f0c7e1b5d2f8a6c4e0b9d7f1a3c5e';

/** Each secret found by the detector a gate lets run; `fold`: the gate reads its letters in any case. */
const AWS = ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'APKA'];
const SEEDS: readonly { text: string; fold?: boolean }[] = [
  ...AWS.map((p) => ({ text: `${p}Q7RT2W4Y6U3I5O8P`, fold: true })),
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'npm_'].map((p) => ({ text: p + rep(ALNUM, 36) })),
  { text: `github_pat_${rep(ALNUM, 22)}` },
  { text: `dckr_pat_${rep(ALNUM, 20)}` },
  ...['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'].map((p) => ({ text: p + rep(ALNUM, 16) })),
  { text: `hf_${rep(ALNUM, 30)}` },
  ...['shpat_', 'shpss_', 'shpca_', 'shppa_'].map((p) => ({ text: p + rep(HEX, 32) })),
  { text: `whsec_${rep(ALNUM, 24)}` },
  { text: `glpat-${rep(ALNUM, 20)}` },
  ...'abposr'.split('').map((l) => ({ text: `xox${l}-${rep(ALNUM, 10)}` })),
  ...['proj', 'svcacct', 'admin', 'None'].map((k) => ({ text: `sk-${k}-${rep(ALNUM, 20)}` })),
  { text: `sk-${rep(ALNUM, 48)}` },
  { text: `sk-ant-api03-${rep(ALNUM, 32)}` },
  { text: `pypi-AgE${rep(ALNUM, 50)}` },
  { text: `GOCSPX-${rep(ALNUM, 24)}` },
  { text: `SG.${rep(ALNUM, 22)}.${rep(ALNUM, 43)}` },
  { text: `hooks.slack.com/services/T0ABC1DEF/B0GHI2JKL/${rep(ALNUM, 24)}` },
  { text: `ya29.${rep(ALNUM, 30)}` },
  { text: `AIza${rep(ALNUM, 35)}` },
  { text: `twilio SK${rep(HEX, 32)}` },
  ...[
    'password',
    'passwd',
    'pwd',
    'passphrase',
    'session_id',
    'sessionid',
    'secret',
    'client_secret',
    'api_key',
    'apikey',
    'access_key',
    'private_key',
    'AccountKey',
    'token',
    'auth_token',
    'X-Amz-Signature',
    'signature',
  ].map((label) => ({ text: `${label}=Zq8wX3vR7tY2uK9p`, fold: true })),
  { text: 'sv=2024&sig=Zq8wX3vR7tY2uK9pLm4N', fold: true },
  { text: 'Cookie: sid=Zq8wX3vR7tY2uK9p', fold: true },
  { text: 'cookie=session=Zq8wX3vR7tY2uK9p', fold: true },
  { text: 'Bearer Zq8wX3vR7tY2', fold: true },
  { text: 'Basic dXNlcjpwYXNzd29yZA==', fold: true },
  { text: 'basic dXNlcjpwYXNzd29yZA==' },
  { text: 'BASIC dXNlcjpwYXNzd29yZA==' },
  { text: 'Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b' },
  { text: `aws_secret_access_key=${rep(ALNUM, 40)}`, fold: true },
  { text: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U' },
  { text: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----' },
  { text: `MIIEowIBAAKCAQEA${rep(ALNUM, 40)}` },
  { text: `MHcCAQEEI${rep(ALNUM, 40)}` },
  { text: `MIGkAgEBBD${rep(ALNUM, 40)}` },
  { text: `MIHcAgEBBE${rep(ALNUM, 40)}` },
  { text: `MIGHAgEAMBMGByqGSM49AgEG${rep(ALNUM, 30)}` },
  { text: `MC4CAQAwBQYDK2VwBCIEI${rep(ALNUM, 30)}` },
  { text: 'PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAAIGZha2U=\nPrivate-MAC: 0a1b', fold: true },
  { text: '2001-db8-85a3--7348.ipv6-literal.net', fold: true },
  { text: 'jane(at)example(dot)com' },
  { text: 'jane [at] example [dot] com' },
  { text: 'jane.doe at example dot com' },
  { text: 'JANE AT EXAMPLE DOT COM' },
  { text: 'jane{at}example{.}com' },
  { text: 'jane.doe at example[.]com' },
  { text: 'jane.doe at example(.)com' },
  { text: 'jane.doe at example{ . }com' },
  { text: 'jane.doe at example<.>com' },
  { text: 'jane<at>example<dot>com' },
];

const around = fc.string({ unit: fc.constantFrom(...'ab9Z_-.: =/"'), maxLength: 4 });

/** `text` with one character at `at` changed (the nearest value the gate must still read the same way). */
function nudge(text: string, at: number, to: string): string {
  return text.slice(0, at) + to + text.slice(at + 1);
}

function same(value: string): void {
  const a = on.scan(value);
  const b = off.scan(value);
  expect(a.value, JSON.stringify(value)).toBe(b.value);
  expect(a.types, JSON.stringify(value)).toEqual(b.types);
}

describe('pre-filter gates: on and off give the same output', () => {
  it('each gated secret is found the same way (the secret is masked with the filter on)', () => {
    for (const { text } of SEEDS) {
      same(text);
      expect(on.scan(text).findings, text).toBeGreaterThan(0);
    }
  });

  it('each gated secret with random text glued on either side, in any case its gate folds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        around,
        around,
        fc.constantFrom('as is', 'upper', 'lower'),
        (seed, before, after, kase) => {
          const text =
            !seed.fold || kase === 'as is'
              ? seed.text
              : kase === 'upper'
                ? seed.text.toUpperCase()
                : seed.text.toLowerCase();
          same(before + text + after);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('one character of a gated secret changed (each position near the gate)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.nat(11),
        fc.constantFrom(...'aAzZ09_-.= \u00e9'),
        around,
        (seed, at, to, before) => {
          same(before + nudge(seed.text, Math.min(at, seed.text.length - 1), to));
        },
      ),
      { numRuns: 400 },
    );
  });
});
