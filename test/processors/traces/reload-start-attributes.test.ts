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
const hmacKeys = [randomBytes(32), randomBytes(32)];
const encKeys = [randomBytes(32), randomBytes(32)];
hmacKeys.forEach((k, i) => writeFileSync(join(dir, `h${i}.key`), `base64:${k.toString('base64')}\n`));
encKeys.forEach((k, i) => writeFileSync(join(dir, `e${i}.key`), `base64:${k.toString('base64')}\n`));

const KEYS = ['user.id', 'account.id'] as const;
type Action = 'hash' | 'encrypt' | 'deterministic' | 'allow' | 'drop';
const ACTIONS: Action[] = ['hash', 'encrypt', 'deterministic', 'allow', 'drop'];

/** A policy file: the HMAC and encryption key files it reads and the action of each of `KEYS`. */
function policyFile(name: string, hmac: number, enc: number, actions: readonly Action[]): string {
  const of = (a: Action) => KEYS.filter((_, i) => actions[i] === a);
  const encrypt = [
    ...of('encrypt').map((k) => `{ key: ${k} }`),
    ...of('deterministic').map((k) => `{ key: ${k}, deterministic: true }`),
  ];
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
      `  hash: [${of('hash').join(', ')}]`,
      `  encrypt: [${encrypt.join(', ')}]`,
      `  allow: [app.note, ${of('allow').join(', ')}]`,
      `  drop: [${of('drop').join(', ')}]`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('a span started before a hot reload (keys and actions changed)', () => {
  it('gets its start attributes decided once, from their raw values, under the new keys and rules', async () => {
    let n = 0;
    const action = fc.constantFrom(...ACTIONS);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          newHmac: fc.boolean(),
          newEnc: fc.boolean(),
          before: fc.tuple(action, action),
          after: fc.tuple(action, action),
          values: fc.tuple(fc.stringMatching(/^[a-z][a-z-]{0,23}$/), fc.stringMatching(/^[a-z][a-z-]{0,23}$/)),
          setLater: fc.boolean(),
        }),
        async ({ newHmac, newEnc, before, after, values, setLater }) => {
          n++;
          const policy = loadPolicy(policyFile(`before${n}`, 0, 0, before));
          const exporter = new InMemorySpanExporter();
          const provider = new TracerProvider({
            spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
          });
          const span = provider.getTracer('t').startSpan('straddling', {
            attributes: { [KEYS[0]]: values[0], [KEYS[1]]: values[1], 'app.note': 'n' },
          });
          const hmac = newHmac ? 1 : 0;
          const enc = newEnc ? 1 : 0;
          policy.replaceWith(loadPolicy(policyFile(`after${n}`, hmac, enc, after)));
          if (setLater) span.setAttribute('app.note', 'later');
          span.end();
          const [exported] = exporter.getFinishedSpans();
          KEYS.forEach((key, i) => {
            const out = exported.attributes[key];
            if (after[i] === 'hash') expect(out, key).toBe(pseudonym('k1', hmacKeys[hmac], values[i]));
            else if (after[i] === 'allow') expect(out, key).toBe(values[i]);
            else if (after[i] === 'drop') expect(out, key).toBeUndefined();
            else expect(decryptToken(out as string, encKeys[enc], key), key).toBe(values[i]);
          });
          expect(exported.attributes['app.note']).toBe(setLater ? 'later' : 'n');
          await provider.shutdown();
        },
      ),
      { numRuns: 40 },
    );
  });
});
