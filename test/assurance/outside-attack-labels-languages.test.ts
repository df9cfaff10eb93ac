import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';
import type { TextField } from './helpers/outside-attack';
import {
  FOREIGN_PASSWORD_LABELS,
  fakeBase64,
  fakePassword,
  fakeToken,
  fakeUuid,
} from '../engine/detectors/testdata/credential-labels';

// The nineteenth outside attack round's labeled corpus, through real SDK providers with the privacy processors and the
// DEFAULT policy (log bodies and error.type kept and scanned): password labels in other languages, Authorization
// schemes other than Bearer, Basic and Token, and the two false positives (a CSV row's `password reset requested`,
// `Bearer%20token%20expired`). No secret may survive in any exported string; the clean look-alikes are exported as
// written.
const pipelines = defaultPolicyPipelines();
const FIELDS: readonly TextField[] = ['log body', 'error.type'];

describe('outside attack round 19: labeled secrets in other languages and Authorization schemes', () => {
  it('no password after a label of another language survives', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FOREIGN_PASSWORD_LABELS),
        fc.constantFrom(': ', '：', '='),
        fakePassword,
        fc.constantFrom(...FIELDS),
        (label, sep, pw, field) => {
          const out = exportedThrough(pipelines, field, `login failed ${label}${sep}${pw}`);
          expect(out.join('\n'), `${label}${sep}${pw}`).not.toContain(pw);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('no credential after an Authorization scheme survives', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fakeUuid.map((t) => [`Splunk ${t}`, t]),
          fakeBase64.map((t) => [`SharedKey acct01:${t}`, t]),
          fakeToken.map((t) => [`NTLM TlRMTVNTUAAB${t}`, t]),
          fakeToken.map((t) => [`SSWS 00${t}`, t]),
          fakeToken.map((t) => [`Hawk id="app", mac="${t}"`, t]),
          fakeToken.map((t) => [t, t]),
        ),
        fc.constantFrom(...FIELDS),
        ([value, secret], field) => {
          const out = exportedThrough(pipelines, field, `request failed Authorization: ${value}`);
          expect(out.join('\n'), value).not.toContain(secret);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the clean look-alikes are exported as written', () => {
    for (const text of [
      '2026-12-07,password reset requested,ok,12',
      'Bearer%20token%20expired',
      'Authorization: none provided',
      'la password è scaduta',
      'contraseña incorrecta',
      'parola: ciao',
      'pin: high',
    ])
      for (const field of FIELDS) expect(exportedThrough(pipelines, field, text), `${field}: ${text}`).toContain(text);
  });
});
