import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, decryptToken, loadPolicy } from '../../../index';

/** The pseudonym as docs/keys.md defines it: `<id>:` + base64url of the first 16 bytes of HMAC-SHA256(key, value). */
const pseudonym = (id: string, key: Buffer, value: string) =>
  `${id}:${createHmac('sha256', key).update(value).digest().subarray(0, 16).toString('base64url')}`;

const dir = mkdtempSync(join(tmpdir(), 'reload-start-'));
const keyFile = (name: string, bytes: Buffer) => {
  writeFileSync(join(dir, name), `base64:${bytes.toString('base64')}\n`);
  return name;
};
const hmacKeys = [randomBytes(32), randomBytes(32)];
const encKeys = [randomBytes(32), randomBytes(32)];
hmacKeys.forEach((k, i) => keyFile(`h${i}.key`, k));
encKeys.forEach((k, i) => keyFile(`e${i}.key`, k));

/** A policy file: which HMAC and encryption key files it reads, and whether `account.id` is encrypted deterministically. */
function policyFile(name: string, hmac: number, enc: number, deterministic: boolean): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      'version: 1',
      `name: ${name}`,
      'keys:',
      `  hmac: { id: k1, file: h${hmac}.key }`,
      `  encryption: { id: e1, file: e${enc}.key }`,
      'attributes:',
      '  hash: [user.id]',
      `  encrypt: [{ key: account.id, deterministic: ${deterministic} }]`,
      '  allow: [app.note]',
      '',
    ].join('\n'),
  );
  return file;
}

describe('a span started before a hot reload that changes the keys', () => {
  it('gets its start attributes decided once, from their raw values, under the new keys', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          newHmac: fc.boolean(),
          newEnc: fc.boolean(),
          deterministic: fc.boolean(),
          userId: fc.stringMatching(/^[a-z0-9-]{1,24}$/),
          accountId: fc.stringMatching(/^[a-z0-9-]{1,24}$/),
          setLater: fc.boolean(),
        }),
        async ({ newHmac, newEnc, deterministic, userId, accountId, setLater }) => {
          n++;
          const policy = loadPolicy(policyFile(`before${n}`, 0, 0, deterministic));
          const exporter = new InMemorySpanExporter();
          const provider = new TracerProvider({
            spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
          });
          const span = provider
            .getTracer('t')
            .startSpan('straddling', { attributes: { 'user.id': userId, 'account.id': accountId, 'app.note': 'n' } });
          const hmac = newHmac ? 1 : 0;
          const enc = newEnc ? 1 : 0;
          policy.replaceWith(loadPolicy(policyFile(`after${n}`, hmac, enc, deterministic)));
          if (setLater) span.setAttribute('app.note', 'later');
          span.end();
          const [exported] = exporter.getFinishedSpans();
          expect(exported.attributes['user.id']).toBe(pseudonym('k1', hmacKeys[hmac], userId));
          const token = exported.attributes['account.id'] as string;
          expect(decryptToken(token, encKeys[enc], 'account.id')).toBe(accountId);
          expect(exported.attributes['app.note']).toBe(setLater ? 'later' : 'n');
          await provider.shutdown();
        },
      ),
      { numRuns: 24 },
    );
  });
});
