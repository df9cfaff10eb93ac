import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../index';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';
import { allowAllConsentYaml, fakeHmacKey, tempDir, writeOptOut } from './consent-kit';

// consent minimize masks the opted-out subject's identifier also where the text hides it from a plain search: each
// character written as itself or its fullwidth form, with zero-width or soft-hyphen characters between them (the
// normalized view the value scanner reads), through a real LoggerProvider and TracerProvider.

const KEY = fakeHmacKey('consent-obfuscated');
const RATE = 0.000001;
const OPTED_OUT = 'fake-optout-obf-3';
let dir: string;
let policyPath: string;

beforeAll(() => {
  process.env.CONSENT_OBF_HMAC = KEY;
  dir = tempDir();
  writeOptOut(join(dir, 'optout.bloom'), KEY, [OPTED_OUT], RATE);
  policyPath = join(dir, 'minimize.yaml');
  writeFileSync(
    policyPath,
    allowAllConsentYaml({
      env: 'CONSENT_OBF_HMAC',
      subjectKey: 'user.id',
      optOutFile: 'optout.bloom',
      rate: RATE,
      action: 'minimize',
    }),
  );
});
afterAll(() => {
  delete process.env.CONSENT_OBF_HMAC;
  rmSync(dir, { recursive: true, force: true });
});

const fullwidth = (c: string) => {
  const code = c.charCodeAt(0);
  return code > 32 && code < 127 ? String.fromCharCode(code + 0xfee0) : c;
};

/** `id` with each character as itself or fullwidth, some followed by an invisible character. */
const obfuscated = fc
  .array(fc.tuple(fc.boolean(), fc.constantFrom('', '', '\u200b', '\u200c', '\u00ad', '\ufeff')), {
    minLength: OPTED_OUT.length,
    maxLength: OPTED_OUT.length,
  })
  .map((ways) => [...OPTED_OUT].map((c, i) => (ways[i]![0] ? fullwidth(c) : c) + ways[i]![1]).join(''))
  .filter((s) => !s.includes(OPTED_OUT));

/** What a reader sees: fullwidth forms folded, invisible characters gone. */
const seen = (text: string) => text.normalize('NFKC').replace(/[\u200b-\u200d\u00ad\ufeff]/g, '');

describe('consent minimize: an identifier written in fullwidth or with invisible characters', () => {
  it.each(['log body', 'span name'] as const)('%s: masked, the item still exported', (where) => {
    fc.assert(
      fc.property(obfuscated, fc.constantFrom('order of ', 'user=', '"', ''), (written, before) => {
        const policy = loadPolicy(policyPath);
        const pipes = privacyPipelines(policy);
        const text = `${before}${written} fake-gold`;
        if (where === 'log body')
          pipes.loggerProvider.getLogger('obf').emit({ body: text, attributes: { 'user.id': OPTED_OUT } });
        else
          pipes.tracerProvider
            .getTracer('obf')
            .startSpan(text, { attributes: { 'user.id': OPTED_OUT } })
            .end();
        const exported = pipes.exportedJson();
        expect(seen(exported)).not.toContain(OPTED_OUT);
        expect(exported).toContain('fake-gold');
      }),
      { numRuns: 40 },
    );
  });
});
