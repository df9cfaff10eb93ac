import type { SecureTlsOptions } from '../../exporters/secure-exporter-options';
import { OtlpTestReceiver } from './otlp-test-receiver';
import { createStandardPki } from './test-pki';
import type { StandardPki } from './test-pki';

/** A running mTLS OTLP receiver with matching client TLS options, from {@link startMtlsReceiver}. */
export interface MtlsReceiverFixture {
  /** Certificates generated for this fixture (temporary directory). */
  readonly pki: StandardPki;
  /** The receiver: TLS 1.3 only, client certificate required, on 127.0.0.1. */
  readonly receiver: OtlpTestReceiver;
  /** `https://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Client TLS options (CA, client certificate and key as file paths) that the receiver accepts. */
  readonly tls: SecureTlsOptions;
  /** Stops the receiver and deletes the certificates. */
  close(): Promise<void>;
}

/**
 * Generates a PKI and starts an {@link OtlpTestReceiver} that requires TLS 1.3 and a client certificate: the usual
 * set-up for tests, demos and benchmarks that export through `createSecureExporters`.
 */
export async function startMtlsReceiver(): Promise<MtlsReceiverFixture> {
  const pki = createStandardPki();
  const receiver = new OtlpTestReceiver({
    tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem },
  });
  await receiver.start();
  return {
    pki,
    receiver,
    endpoint: receiver.url,
    tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath },
    close: async () => {
      await receiver.stop();
      pki.pki.cleanup();
    },
  };
}
