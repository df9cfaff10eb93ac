import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../index';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';
import { fakeHmacKey, pseudonymOf, tempDir, writeOptOut } from './consent-kit';

// A span started under one policy and ended after a hot reload that changes the HMAC key AND adds the span's subject
// to the opt-out filter (built with the new key). At the end the span's subject attribute holds the start pass's
// pseudonym under the old key, which the new filter cannot match: the decision must be made from the raw start value.
// Real TracerProvider, PrivacySpanProcessor, OTLP/JSON of what was exported.

const OLD_KEY = fakeHmacKey('consent-reload-key-old');
const NEW_KEY = fakeHmacKey('consent-reload-key-new');
const RATE = 0.000001;
// set up when the file is collected: the pipelines below are built then
process.env.CONSENT_RELOAD_K1 = OLD_KEY;
process.env.CONSENT_RELOAD_K2 = NEW_KEY;
const dir = tempDir();

function policyFile(name: string, keyId: 'k1' | 'k2', action: 'drop' | 'minimize', ids: readonly string[]) {
  const path = join(dir, `${name}.yaml`);
  writeOptOut(join(dir, `${name}.bloom`), keyId === 'k1' ? OLD_KEY : NEW_KEY, ids, RATE, keyId);
  writeFileSync(
    path,
    `version: 1
keys:
  hmac: { id: ${keyId}, env: CONSENT_RELOAD_${keyId.toUpperCase()} }
attributes:
  hash: [user.id]
  allow: [app.*]
consent:
  subject:
    attributes: [user.id]
  optOut: { file: ${name}.bloom, falsePositiveRate: ${RATE} }
  action: ${action}
`,
  );
  return path;
}

afterAll(() => {
  delete process.env.CONSENT_RELOAD_K1;
  delete process.env.CONSENT_RELOAD_K2;
  rmSync(dir, { recursive: true, force: true });
});

// obviously fake subject ids, in the shapes applications use (account names, e-mail addresses, numbers)
const subject = fc.oneof(
  fc.stringMatching(/^fake-user-[a-z0-9]{1,12}$/),
  fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}$/).map((local) => `${local}@example.com`),
  fc.integer({ min: 1000, max: 99_999_999 }).map((n) => `fake-${n}`),
);

describe('consent across a hot reload that changes the HMAC key', () => {
  const base = loadPolicy(policyFile('base', 'k1', 'drop', ['fake-someone-else']));
  const { tracerProvider, exportedJson } = privacyPipelines(base);
  const tracer = tracerProvider.getTracer('consent-reload');

  it('a subject added to the filter by the reload is found for a span started before it (drop and minimize)', () => {
    let run = 0;
    fc.assert(
      fc.property(subject, fc.constantFrom('drop', 'minimize') as fc.Arbitrary<'drop' | 'minimize'>, (id, action) => {
        run++;
        base.replaceWith(loadPolicy(policyFile(`old-${run}`, 'k1', action, ['fake-someone-else'])));
        const suppressed = base.counters.consentSuppressed.traces;
        const span = tracer.startSpan('work', { attributes: { 'user.id': id, 'app.note': 'fake-note' } });
        // the reload: a new key, and the subject now opted out (its filter built with the new key)
        base.replaceWith(loadPolicy(policyFile(`new-${run}`, 'k2', action, ['fake-someone-else', id])));
        span.end();
        const json = exportedJson();
        // neither the raw id nor its pseudonym under either key leaves the process
        for (const v of [id, pseudonymOf(OLD_KEY, id, 'k1'), pseudonymOf(NEW_KEY, id, 'k2')])
          expect(json, `${action} ${id}`).not.toContain(JSON.stringify(v).slice(1, -1));
        if (action === 'drop') {
          expect(json).not.toContain('"name":"work"');
          expect(base.counters.consentSuppressed.traces).toBe(suppressed + 1);
        } else {
          expect(json).toContain('"name":"work"');
          expect(json).not.toContain('"key":"user.id"');
        }
      }),
      { numRuns: 24 },
    );
  });

  it('a subject not in the new filter is exported with the pseudonym of its raw value under the new key', () => {
    base.replaceWith(loadPolicy(policyFile('kept-old', 'k1', 'drop', ['fake-someone-else'])));
    const span = tracer.startSpan('kept', { attributes: { 'user.id': 'fake-kept-user' } });
    base.replaceWith(loadPolicy(policyFile('kept-new', 'k2', 'drop', ['fake-someone-else'])));
    span.end();
    const json = exportedJson();
    expect(json).toContain(pseudonymOf(NEW_KEY, 'fake-kept-user', 'k2'));
  });
});
