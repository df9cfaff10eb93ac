import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, defaultPolicy } from '../../index';

// A private key written without its `-----BEGIN … PRIVATE KEY-----` line (an environment dump, a key pasted as its
// base64 body, armor lines with typographic dashes) left the process under the default policy: the detector
// anchored on the PEM line only (found by an outside-style attack). Keys are generated here, never committed.

beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = 'fake-hmac-key-for-bare-private-key-tests-0123456789';
});
afterAll(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

type Pair = { privateKey: KeyObject; publicKey: KeyObject };
const der = (k: KeyObject, type: 'pkcs1' | 'pkcs8' | 'sec1' | 'spki') =>
  k.export({ type, format: 'der' } as never).toString('base64');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }) as Pair;
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }) as Pair;
const ec384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }) as Pair;
const ed = generateKeyPairSync('ed25519') as Pair;
const privateBodies = [
  der(rsa.privateKey, 'pkcs1'),
  der(rsa.privateKey, 'pkcs8'),
  der(ec.privateKey, 'sec1'),
  der(ec.privateKey, 'pkcs8'),
  der(ec384.privateKey, 'sec1'),
  der(ed.privateKey, 'pkcs8'),
];
const publicBodies = [der(rsa.publicKey, 'spki'), der(ec.publicKey, 'spki'), der(ed.publicKey, 'spki')];

/** The ways a key body is written without (valid) PEM lines. */
const layout = fc.constantFrom(
  (b: string) => b,
  (b: string) => b.match(/.{1,64}/g)!.join('\n'),
  (b: string) => b.match(/.{1,64}/g)!.join('\r\n'),
  (b: string) => b.match(/.{1,64}/g)!.join('\\n'),
  (b: string) => `–––––BEGIN–PRIVATE–KEY–––––\n${b.match(/.{1,64}/g)!.join('\n')}\n–––––END–PRIVATE–KEY–––––`,
);
const context = fc.constantFrom(
  (k: string) => k,
  (k: string) => `TLS_KEY=${k}`,
  (k: string) => `{"type":"service_account","key":"${k}"}`,
  (k: string) => `loaded key ${k} from vault`,
);

describe('private key bodies without PEM lines never reach the exporter (default policy)', () => {
  it('kept attributes and log bodies; public keys stay', async () => {
    const policy = defaultPolicy();
    const spans = new InMemorySpanExporter();
    const records = new InMemoryLogRecordExporter();
    const tracing = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
    });
    const logging = new LoggerProvider({
      processors: [
        new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: records }) }),
      ],
    });
    const exported = async (text: string): Promise<string[]> => {
      spans.reset();
      records.reset();
      tracing
        .getTracer('t')
        .startSpan('s', { attributes: { 'exception.type': text } })
        .end();
      logging.getLogger('t').emit({ body: text });
      await tracing.forceFlush();
      await logging.forceFlush();
      return [
        String(spans.getFinishedSpans()[0]!.attributes['exception.type']),
        String(records.getFinishedLogRecords()[0]!.body),
      ];
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...privateBodies), layout, context, async (body, lay, ctx) => {
        const text = ctx(lay(body));
        // Any 24 characters of the key's base64 (past its DER header) would do to rebuild a part of it.
        for (const out of await exported(text))
          for (let i = 40; i + 24 <= body.length; i += 24) expect(out).not.toContain(body.slice(i, i + 24));
      }),
      { numRuns: 120 },
    );
    // A key in typographic-dash armor in a log body: the body's URL rules rewrite some of its `/`-separated words,
    // so the key cannot be masked piece by piece; the whole body is masked. Fresh keys, since whether a key has
    // words the rules leave alone depends on its bytes (about one key in eight did before the fix).
    for (let n = 0; n < 30; n++) {
      const body = der((generateKeyPairSync('rsa', { modulusLength: 2048 }) as Pair).privateKey, 'pkcs8');
      const [, logBody] = await exported(
        `–––––BEGIN–PRIVATE–KEY–––––\n${body.match(/.{1,64}/g)!.join('\n')}\n–––––END–PRIVATE–KEY–––––`,
      );
      for (let i = 40; i + 24 <= body.length; i += 24) expect(logBody).not.toContain(body.slice(i, i + 24));
    }
    // Public keys are no finding (a log body's URL rules may still rewrite their `/`-separated words).
    for (const body of publicBodies) {
      const [attribute, logBody] = await exported(`pub ${body}`);
      expect(attribute).toBe(`pub ${body}`);
      expect(logBody).not.toContain('[REDACTED:private-key]');
    }
    await tracing.shutdown();
    await logging.shutdown();
  });
});
