import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANDIDATE, classify } from '../../../../engine/detectors/prefilter';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';

// Trigger characters of the single-pass pre-filter (engine/detectors/prefilter.ts) where a value holds no other
// trigger for the same detector: the scanner with the pre-filter on gives what it gives with it off. Each value here
// was chosen so that the one trigger named is the only one (no `AA` but the token's own, no `@`, no other vendor
// prefix). Fake identities and tokens only.

const scanners = [true, false].map((prefilter) =>
  createValueScanner({ detectors: 'all', action: 'mask', mask: '[{type}]', cleanCacheSize: 0, prefilter }),
);

/** `text` comes out as `expected` with the pre-filter on and off. */
function out(text: string, expected: string): void {
  for (const [k, s] of scanners.entries()) expect(s.scan(text).value, `${JSON.stringify(text)} ${k}`).toBe(expected);
}

const BODY = 'm7Kx2Lq9Rt4Wz8Np3Vb6Hc1Jd5Fs0Gy';

describe('pre-filter triggers with nothing else to set their bit', () => {
  it('a bracketed `at` and `dot` with a tab inside the brackets (no `@`)', () => {
    out('to jane.doe(\tat)example(\tdot)com ok', 'to [email] ok');
    out('to jane.doe[\tat]example[\t.]com ok', 'to [email] ok');
  });

  it('a Meta/Square token whose only `AA` is its `EAA`', () => {
    out(`x EAAG${(BODY + BODY).slice(0, 56)}`, 'x [api-token]');
  });

  it('an Atlassian token whose only trigger is `ATATT3`', () => {
    out(`x ATATT3${(BODY + BODY).slice(0, 50)}`, 'x [api-token]');
  });

  it('a Vault token (`hvs.`, `hvb.`, `hvr.`) and Grafana tokens (`glsa_`, `glc_`)', () => {
    for (const p of ['hvs.', 'hvb.', 'hvr.']) out(`x ${p}${BODY.slice(0, 26)}`, 'x [api-token]');
    out(`x glsa_${BODY}Qa`, 'x [api-token]');
    out(`x glc_${BODY}Qa`, 'x [api-token]');
  });
});

/** ASCII labels of `labeled-secret` that hold no other trigger word (`pass`, `key`, `auth`, …). */
const ASCII_LABELS = [
  'kennwort',
  'wachtwoord',
  'contrasena',
  'senha',
  'salasana',
  'adgangskode',
  'heslo',
  'haslo',
  'losenord',
  'jelszo',
  'sifre',
  'parola',
  'clave',
  'mdp',
  'pin',
  'pincode',
  'x-honeycomb-team',
];

describe('pre-filter: the ASCII password labels of other languages set the labeled-secret bit', () => {
  it('in any case mix, with the scanner agreeing on and off', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ASCII_LABELS),
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        fc.constantFrom('x {w}=Hk29fLq81Zt9 y', 'x {w}: Hk29fLq81Zt9 y', '{"{w}":"Hk29fLq81Zt9"}'),
        (label, upper, template) => {
          const word = [...label].map((ch, k) => (upper[k] ? ch.toUpperCase() : ch)).join('');
          const text = template.replace('{w}', word);
          expect(classify(text) & CANDIDATE['labeled-secret'], text).not.toBe(0);
          const a = scanners[0]!.scan(text).value;
          expect(a, text).toBe(scanners[1]!.scan(text).value);
          expect(a, text).not.toContain('Hk29fLq81Zt9');
        },
      ),
      { numRuns: 300 },
    );
  });
});
