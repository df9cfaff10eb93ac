import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';
import type { TextField } from './helpers/outside-attack';
import {
  AUTHORIZATION_NON_CREDENTIALS,
  FOREIGN_STATE_WORDS,
  PASSWORD_QUALIFIERS,
  WEAK_LABEL_IDS,
  fakePassword,
  fakeToken,
} from '../engine/detectors/testdata/credential-labels';

// The nineteenth round's second outside tester, through real SDK providers with the privacy processors and the DEFAULT
// policy (log bodies and error.type kept and scanned): state words after password words of other languages, names and
// ids after `Authorization`, `PIN`, `parola`, `clave` are exported as written; a credential after an `Authorization`
// name written without a separator (a HAR pair, a setter call) and after a qualified password word does not survive.
const pipelines = defaultPolicyPipelines();
const FIELDS: readonly TextField[] = ['log body', 'error.type'];

describe('outside attack round 19b: label false positives and Authorization pairs', () => {
  it('state words, translation tables, names and ids after a label are exported as written', () => {
    const texts = [
      ...FOREIGN_STATE_WORDS.map((w) => `contraseña: ${w}`),
      ...FOREIGN_STATE_WORDS.map((w) => `{"senha":"${w}"}`),
      '{"senha":"Senha"}',
      'password: locked',
      ...AUTHORIZATION_NON_CREDENTIALS.map((v) => `Authorization: ${v}`),
      ...WEAK_LABEL_IDS.map((v) => `pin: ${v}`),
      'parola: Milano2026',
      'clave: pedido-2024-001',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.constantFrom(...FIELDS), (text, field) => {
        expect(exportedThrough(pipelines, field, text), `${field}: ${text}`).toContain(text);
      }),
      { numRuns: 80 },
    );
  });

  it('no credential survives after an Authorization name without a separator or a qualified password word', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fakeToken.map((t) => [`{"name":"Authorization","value":"SSWS 00${t}"}`, t]),
          fakeToken.map((t) => [`setHeader("Authorization", "Splunk ${t}")`, t]),
          fakeToken.map((t) => [`<Authorization>NTLM TlRMTVNTUAAB${t}</Authorization>`, t]),
          fc.tuple(fc.constantFrom(...PASSWORD_QUALIFIERS), fakePassword).map(([q, p]) => [`senha ${q}: ${p}`, p]),
        ),
        fc.constantFrom(...FIELDS),
        ([text, secret], field) => {
          const out = exportedThrough(pipelines, field, `request failed ${text}`);
          expect(out.join('\n'), text).not.toContain(secret);
        },
      ),
      { numRuns: 60 },
    );
  });
});
