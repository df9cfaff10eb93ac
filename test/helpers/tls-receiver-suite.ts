import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecureExporters } from '../../exporters/secure-exporters';
import { OtlpTestReceiver } from './otlp-test-receiver';
import { createStandardPki } from './test-pki';
import type { StandardPki } from './test-pki';

/** What the secure-exporter test files share: certificates, one mTLS receiver and a work folder. */
export interface TlsReceiverSuite {
  readonly pki: StandardPki;
  readonly receiver: OtlpTestReceiver;
  /** A temporary folder for spools and certificate files, removed by `stopTlsReceiverSuite`. */
  readonly work: string;
}

/** For `beforeAll`: generates the PKI, starts the receiver (TLS 1.3, client certificate required) and makes the work folder. */
export async function startTlsReceiverSuite(workPrefix: string): Promise<TlsReceiverSuite> {
  const pki = createStandardPki();
  const receiver = new OtlpTestReceiver({
    tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem },
  });
  await receiver.start();
  return { pki, receiver, work: mkdtempSync(join(tmpdir(), workPrefix)) };
}

/** For `afterEach`: shuts the exporters a test opened, restarts the receiver if a test stopped it, and clears what it recorded and how it answers. */
export async function resetTlsReceiverSuite(suite: TlsReceiverSuite, open: SecureExporters[]): Promise<void> {
  await Promise.all(open.splice(0).map((exporters) => exporters.shutdown()));
  await suite.receiver.start();
  suite.receiver.requests.length = 0;
  suite.receiver.attempts = 0;
  suite.receiver.respond = undefined;
}

/** For `afterAll`: stops the receiver and removes the certificates and the work folder. */
export async function stopTlsReceiverSuite(suite: TlsReceiverSuite | undefined): Promise<void> {
  if (suite === undefined) return;
  await suite.receiver.stop();
  suite.pki.pki.cleanup();
  rmSync(suite.work, { recursive: true, force: true });
}
