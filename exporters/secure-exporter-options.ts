import type { MeterProvider } from '@opentelemetry/api';
import type { ExporterLogger } from './exporter-logger';

/** A certificate or key: a file path, or PEM content as a string (containing `-----BEGIN`) or Buffer. */
export type PemSource = string | Buffer;

/** TLS settings of {@link SecureExportersOptions}. */
export interface SecureTlsOptions {
  /** Trusted CA certificate(s); default `OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE`, else the system roots. */
  readonly ca?: PemSource;
  /** Client certificate chain for mTLS; default `OTEL_EXPORTER_OTLP_[SIGNAL_]CLIENT_CERTIFICATE`. */
  readonly cert?: PemSource;
  /** Client private key for mTLS; default `OTEL_EXPORTER_OTLP_[SIGNAL_]CLIENT_KEY`. */
  readonly key?: PemSource;
  /** Lowest TLS version (default `TLSv1.3`); only `TLSv1.2` may be configured below that. */
  readonly minVersion?: 'TLSv1.3' | 'TLSv1.2';
  /** Cipher suite allowlist (OpenSSL names, array or colon-separated); default: AEAD suites only. */
  readonly ciphers?: string | readonly string[];
  /**
   * Key-exchange group allowlist, most preferred first (array or colon-separated); default
   * `X25519MLKEM768:X25519:P-256` where the runtime's OpenSSL offers the hybrid post-quantum group (3.5+, Node 24),
   * else `X25519:P-256`. A group the runtime does not offer is a configuration error.
   */
  readonly curves?: string | readonly string[];
  /**
   * Certificate revocation lists (PEM, one or more per file or string; files are reloaded like the certificates). With
   * CRLs set, the server's certificate chain is checked against them, and every CA below the root needs a current CRL:
   * a revoked, or unverifiable (missing or expired CRL), certificate fails the handshake.
   */
  readonly crl?: PemSource | readonly PemSource[];
  /** `sha256/<base64 SPKI digest>` pins; one must match a certificate of the verified chain. */
  readonly pins?: readonly string[];
  /** How often certificate files are checked for changes (default 60 000; 0 disables reloading). */
  readonly reloadIntervalMillis?: number;
  /** Client certificate expiry is reported when fewer than this many days remain (default 14). */
  readonly expiryWarningDays?: number;
}

/** Retry settings of {@link SecureExportersOptions} (exponential backoff with full jitter). */
export interface SecureRetryOptions {
  /** Backoff ceiling of the first retry (default 1000). */
  readonly initialMillis?: number;
  /** Largest backoff ceiling (default 30 000). */
  readonly maxMillis?: number;
  /** Total time budget per batch, from submission (default 300 000). */
  readonly maxElapsedMillis?: number;
  /** Growth factor of the backoff ceiling (default 2). */
  readonly multiplier?: number;
}

/** Where the spool key comes from: an environment variable, a file, or the value itself (base64, hex or 32 raw bytes). */
export type SpoolKeySource = { readonly env: string } | { readonly file: string } | { readonly value: string | Buffer };

/** Encrypted on-disk spool settings of {@link SecureExportersOptions}. */
export interface SecureSpoolOptions {
  /** Directory for spool files (created with mode 0700); one process per directory. */
  readonly dir: string;
  /** AES-256 key source (default `{ env: 'OTEL_PRIVACY_SPOOL_KEY' }`). */
  readonly key?: SpoolKeySource;
  /** Upper bound of the spool size in bytes; the oldest files are dropped first (default 256 MiB). */
  readonly maxBytes?: number;
  /**
   * While the directory cannot be written (disk full, read-only, permissions), undelivered batches are held in memory
   * (encrypted) up to this many bytes, oldest dropped first (default 16 MiB; 0 drops them at once).
   */
  readonly maxMemoryBytes?: number;
  /**
   * Batches older than this (from the time they were spooled) are dropped instead of sent, counted as `expired`, with
   * one log line (default 604 800 000: 7 days).
   */
  readonly maxAgeMillis?: number;
}

/** Options of {@link createSecureExporters}. */
export interface SecureExportersOptions {
  /** `https://host:port` (or `http://` together with `insecure: true`); default `OTEL_EXPORTER_OTLP_[SIGNAL_]ENDPOINT`. */
  readonly endpoint?: string;
  /** TLS settings; file settings default to the standard `OTEL_EXPORTER_OTLP_*` variables. */
  readonly tls?: SecureTlsOptions;
  /** Allow plaintext for an `http://` endpoint. Without it, `http://` is a configuration error. */
  readonly insecure?: boolean;
  /** gRPC metadata sent with every export, merged over `OTEL_EXPORTER_OTLP_[SIGNAL_]HEADERS`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** `gzip` or `none`; default `OTEL_EXPORTER_OTLP_[SIGNAL_]COMPRESSION`, else `none`. */
  readonly compression?: 'gzip' | 'none';
  /** Deadline of one export attempt; default `OTEL_EXPORTER_OTLP_[SIGNAL_]TIMEOUT`, else 10 000. */
  readonly timeoutMillis?: number;
  /** Retry settings. */
  readonly retry?: SecureRetryOptions;
  /** Encrypted spool for batches that cannot be delivered; without it such batches fail. */
  readonly spool?: SecureSpoolOptions;
  /** Time `shutdown()` spends delivering before it spools (or, without a spool, drops) the rest (default 10 000). */
  readonly shutdownTimeoutMillis?: number;
  /** Where diagnostics go (default: one line each on stderr, each cause once, never a stack). */
  readonly logger?: ExporterLogger;
  /** Meter provider for the `otel_privacy.exporter.*` metrics (default: the global one). */
  readonly meterProvider?: MeterProvider;
  /** Environment to read the standard variables from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
