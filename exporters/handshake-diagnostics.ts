import { OnceLogger } from './exporter-logger';
import type { ExporterLogger } from './exporter-logger';

/** Why a TLS connection to the collector could not be established. */
export type HandshakeFailureCause =
  | 'unknown-ca'
  | 'server-certificate-expired'
  | 'server-certificate-not-yet-valid'
  | 'server-certificate-revoked'
  | 'crl-unavailable'
  | 'crl-expired'
  | 'crl-invalid'
  | 'hostname-mismatch'
  | 'pin-mismatch'
  | 'protocol-version'
  | 'cipher-mismatch'
  | 'client-certificate-required'
  | 'client-certificate-rejected'
  | 'not-tls'
  | 'handshake-failed';

/** A classified handshake failure: the cause and a short, secret-free reason text. */
export interface HandshakeFailure {
  readonly cause: HandshakeFailureCause;
  readonly reason: string;
}

/** Prefix of the error our `checkServerIdentity` returns on a pin mismatch (so it can be recognised in gRPC details). */
export const PIN_MISMATCH_MESSAGE = 'otel-privacy pin mismatch';

const RULES: ReadonlyArray<readonly [HandshakeFailureCause, RegExp]> = [
  ['pin-mismatch', new RegExp(PIN_MISMATCH_MESSAGE)],
  ['hostname-mismatch', /hostname\/ip does not match|altname|err_tls_cert_altname_invalid/],
  ['server-certificate-revoked', /(?<!alert )certificate revoked/],
  ['crl-unavailable', /unable to get certificate crl/],
  ['crl-expired', /crl has expired|crl is not yet valid/],
  ['crl-invalid', /crl signature failure|unable to decrypt crl|error in crl|crl path validation/],
  ['server-certificate-expired', /certificate has expired/],
  ['server-certificate-not-yet-valid', /certificate is not yet valid/],
  [
    'unknown-ca',
    /unable to verify the first certificate|unable to get local issuer certificate|unable to get issuer certificate|self[- ]signed certificate|certificate signature failure|invalid ca certificate/,
  ],
  [
    'protocol-version',
    /alert protocol version|unsupported protocol|no protocols available|version too low|inappropriate fallback/,
  ],
  ['cipher-mismatch', /no shared cipher|no cipher match|no suitable (key share|signature algorithm)/],
  ['client-certificate-required', /certificate required|peer did not return a certificate/],
  [
    'client-certificate-rejected',
    /alert bad certificate|alert unknown ca|alert certificate unknown|alert certificate expired|alert certificate revoked|alert unsupported certificate|alert access denied|alert decrypt error/,
  ],
  [
    'not-tls',
    /wrong version number|packet length too long|http request|record layer failure|unexpected eof while reading|tlsv1 alert decode error/,
  ],
  ['handshake-failed', /ssl routines|handshake|tls|certificate/],
];

/** Extracts a short reason from gRPC's "No connection established. Last error: ..." details or an error message. */
export function handshakeReason(details: string): string {
  let text = details.replace(/^.*?Last error:\s*/s, '').replace(/\.?\s*Resolution note:.*$/s, '');
  text = text.replace(/^(Error(\s*\[[A-Z0-9_]+\])?:\s*)+/, '').replace(/\s*\(\d{4}-\d{2}-\d{2}T[^)]*\)\s*$/, '');
  // OpenSSL form: "<hex>:error:<code>:SSL routines:<function>:<reason>:<file>:<line>:..."
  const openssl = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(text);
  if (openssl) text = openssl[1];
  text = text
    .replace(/; if the root CA is installed locally.*$/s, '')
    .split('\n')[0]
    .trim();
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** Classifies gRPC UNAVAILABLE details or a TLS error message; returns undefined for non-TLS problems (refused, DNS). */
export function classifyHandshakeFailure(details: string): HandshakeFailure | undefined {
  const lower = details.toLowerCase();
  if (
    /econnrefused|enotfound|eai_again|ehostunreach|enetunreach|econnreset(?!.*ssl)/.test(lower) &&
    !/ssl|tls|certificate/.test(lower)
  ) {
    return undefined;
  }
  for (const [cause, pattern] of RULES) if (pattern.test(lower)) return { cause, reason: handshakeReason(details) };
  return undefined;
}

/**
 * Logs each handshake failure cause once per endpoint (with the endpoint and reason, never key material) and counts
 * every occurrence. A successful export re-arms the logging, so a cause that comes back later is logged again.
 */
export class HandshakeDiagnostics {
  private readonly once: OnceLogger;
  private readonly counts = new Map<HandshakeFailureCause, number>();

  constructor(
    private readonly endpoint: string,
    logger: ExporterLogger,
  ) {
    this.once = new OnceLogger(logger);
  }

  /** Records a failure; returns it when the text was recognised as a TLS failure. */
  report(details: string): HandshakeFailure | undefined {
    const failure = classifyHandshakeFailure(details);
    if (!failure) return undefined;
    this.counts.set(failure.cause, (this.counts.get(failure.cause) ?? 0) + 1);
    this.once.log(
      'error',
      failure.cause,
      `otel-privacy secure export: TLS handshake with ${this.endpoint} failed (${failure.cause}): ${failure.reason}`,
    );
    return failure;
  }

  /** Re-arms logging after a successful export. */
  succeeded(): void {
    this.once.reset();
  }

  /** Occurrences per cause since start. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
