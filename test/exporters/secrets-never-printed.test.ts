import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryOfKind } from '../assurance/canaries';
import { runNode } from '../helpers/run-node';
import { createSecureExporters } from '../../exporters/secure-exporters';
import type { SecureExporters } from '../../exporters/secure-exporters';
import { loadSpoolKey } from '../../exporters/spool-key';
import { resetTlsReceiverSuite, startTlsReceiverSuite, stopTlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { TlsReceiverSuite } from '../helpers/tls-receiver-suite';
import { CapturingLogger } from '../helpers/capturing-logger';

let suite: TlsReceiverSuite;
const open: SecureExporters[] = [];
const spoolKey = randomBytes(32);

beforeAll(async () => {
  suite = await startTlsReceiverSuite('otel-privacy-secrets-test-');
});
afterAll(async () => {
  await resetTlsReceiverSuite(suite, open);
  await stopTlsReceiverSuite(suite);
});

/** The base64 body lines of a PEM private key (any one of them printed is a leak). */
const pemBodyLines = (pem: string) => pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));

describe('secure exporters never print the spool key or the TLS private key', () => {
  it('util.inspect at any depth and JSON.stringify show summaries only', () => {
    const exporters = createSecureExporters({
      endpoint: suite.receiver.url,
      tls: { ca: suite.pki.ca.certPath, cert: suite.pki.client.certPath, key: suite.pki.client.keyPath },
      env: { OTEL_PRIVACY_SPOOL_KEY: `base64:${spoolKey.toString('base64')}` },
      spool: { dir: join(suite.work, 'spool') },
      logger: new CapturingLogger(),
    });
    open.push(exporters);
    const secrets = [
      spoolKey.toString('base64'),
      spoolKey.toString('hex'),
      spoolKey.toString('latin1'),
      ...pemBodyLines(readFileSync(suite.pki.client.keyPath, 'utf8')),
    ];
    const texts = [
      inspect(exporters, { depth: Infinity, showHidden: true, getters: true }),
      inspect(exporters.traces, { depth: Infinity, showHidden: true }),
      JSON.stringify(exporters.traces),
      JSON.stringify({ traces: exporters.traces, logs: exporters.logs, metrics: exporters.metrics }),
    ];
    expect(inspect(exporters.traces)).toBe("SecureSpanExporter { signal: 'traces' }");
    for (const text of texts) for (const s of secrets) expect(text).not.toContain(s);
  });

  it('the spool key prints as its id; a key given where a variable name or file path belongs is not echoed', () => {
    const key = loadSpoolKey({ value: `hex:${spoolKey.toString('hex')}` }, {});
    expect(inspect(key, { depth: Infinity, showHidden: true })).toMatch(/^\[spool key: id [0-9a-f]{16}\]$/);
    expect(JSON.stringify({ key })).not.toContain(spoolKey.toString('hex'));
    for (const source of [{ env: spoolKey.toString('base64') }, { file: spoolKey.toString('hex') }]) {
      const value = Object.values(source)[0];
      expect(() => loadSpoolKey(source, {})).toThrow(/value not shown: looks like key material/);
      try {
        loadSpoolKey(source, {});
      } catch (err) {
        expect((err as Error).message).not.toContain(value);
      }
    }
  });
});

/**
 * The register hook (`node --import otel-privacy/register`, the built package) with a generated secret or personal
 * value in each file-path option and in `OTEL_EXPORTER_OTLP_HEADERS`: the one-line start-up error names the option,
 * never the value.
 */
describe('the register hook never prints a value given where a file path or header belongs', () => {
  const root = resolve(__dirname, '../..');
  const keyFormats: ((der: Buffer) => string)[] = [
    (d) => d.toString('base64'), // a bare DER body: the whole private key
    (d) => `base64:${d.toString('base64')}`,
    (d) =>
      Buffer.from(`-----BEGIN PRIVATE KEY-----\n${d.toString('base64')}\n-----END PRIVATE KEY-----\n`).toString(
        'base64',
      ),
    (d) => d.toString('hex'),
  ];
  const value = fc.oneof(
    fc.nat(1000).map((i) => canaryOfKind(i)),
    fc.nat(keyFormats.length - 1).map((f) => {
      const der = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
        type: 'pkcs8',
        format: 'der',
      });
      const text = keyFormats[f]!(der);
      return { text, needles: [text, text.slice(0, 24), text.slice(-24)] };
    }),
  );
  const options = [
    { env: 'OTEL_EXPORTER_OTLP_CLIENT_KEY', names: /tls\.key file \(value not shown: / },
    { env: 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', names: /tls\.cert file \(value not shown: / },
    { env: 'OTEL_EXPORTER_OTLP_CERTIFICATE', names: /tls\.ca file \(value not shown: / },
  ];

  it('TLS file options and header values written with ": " are not echoed', async () => {
    const samples = fc.sample(fc.tuple(value, fc.nat(options.length)), 12);
    // Three processes at a time: twelve Node start-ups at once on a busy two-core machine outran the time limit.
    const batches = [0, 3, 6, 9].map((b) => samples.slice(b, b + 3));
    for (const batch of batches)
      await Promise.all(
        batch.map(async ([v, o]) => {
          const header = o === options.length;
          const env: Record<string, string> = header
            ? { OTEL_EXPORTER_OTLP_HEADERS: `x-api-key: ${v.text}==` } // base64 padding: the `=` splits inside the value
            : { [options[o]!.env]: v.text };
          const run = await runNode(
            ['--import', 'otel-privacy/register', '-e', '0'],
            {
              OTEL_EXPORTER_OTLP_ENDPOINT: 'https://127.0.0.1:4317',
              OTEL_PRIVACY_HMAC_KEY: `base64:${randomBytes(32).toString('base64')}`,
              OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
              ...(header
                ? {}
                : {
                    OTEL_EXPORTER_OTLP_CLIENT_KEY: suite.pki.client.keyPath,
                    OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: suite.pki.client.certPath,
                  }),
              ...env,
            },
            root,
          );
          const printed = run.stdout + run.stderr;
          for (const n of v.needles) expect(printed).not.toContain(n);
          expect(printed.toLowerCase()).not.toContain(v.text.toLowerCase().slice(0, 16));
          const line = printed.split('\n').find((l) => l.includes('not started'));
          expect(line, printed).toMatch(
            header ? /header "x-api-key" is not a valid gRPC metadata key/ : options[o]!.names,
          );
        }),
      );
  }, 120_000);
});
