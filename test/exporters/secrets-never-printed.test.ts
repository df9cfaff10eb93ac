import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
