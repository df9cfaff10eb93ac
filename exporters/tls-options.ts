import { createSecureContext, getCiphers } from 'node:tls';
import { parsePins } from './certificate-pins';
import { SecureExportConfigError } from './secure-export-config-error';
import type { SecureTlsOptions } from './secure-exporter-options';

/** TLS 1.3 suites (all AEAD), strongest first. */
export const DEFAULT_TLS13_CIPHERS: readonly string[] = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
];

/** TLS 1.2 suites used only when `minVersion: 'TLSv1.2'`: ECDHE key exchange with AEAD ciphers. */
export const DEFAULT_TLS12_CIPHERS: readonly string[] = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
];

/** The hybrid post-quantum key exchange (X25519 combined with ML-KEM-768), first in the defaults where offered. */
export const HYBRID_PQ_GROUP = 'X25519MLKEM768';

/** Classical key-exchange groups: the whole default where the runtime's OpenSSL has no ML-KEM (before 3.5). */
export const CLASSICAL_CURVES: readonly string[] = ['X25519', 'P-256'];

const offered = new Map<string, boolean>();

/** Whether this runtime's OpenSSL accepts `group` as a key-exchange group (cached per name). */
export function runtimeOffersGroup(group: string): boolean {
  let known = offered.get(group);
  if (known === undefined) {
    try {
      createSecureContext({ ecdhCurve: group });
      known = true;
    } catch {
      known = false;
    }
    offered.set(group, known);
  }
  return known;
}

/**
 * Default key-exchange groups, most preferred first: `X25519MLKEM768` (hybrid post-quantum) when the runtime's OpenSSL
 * offers it (OpenSSL 3.5, e.g. Node 24), then `X25519` and `P-256`; without ML-KEM (Node 20, 22) `X25519` and `P-256`.
 * With the hybrid group, key shares are sent for it and for `X25519` (OpenSSL's `*` mark), so a server without ML-KEM
 * answers with `X25519` in one round trip; a `P-256`-only server asks for that share (HelloRetryRequest).
 */
export function defaultKeyExchangeGroups(): string {
  return runtimeOffersGroup(HYBRID_PQ_GROUP) ? `*${HYBRID_PQ_GROUP}:*X25519:P-256` : CLASSICAL_CURVES.join(':');
}

/** Default interval between certificate file checks. */
export const DEFAULT_RELOAD_INTERVAL_MILLIS = 60_000;

/** Default number of days before client certificate expiry at which warnings start. */
export const DEFAULT_EXPIRY_WARNING_DAYS = 14;

/** Validated, defaulted TLS protocol settings (certificate material is handled by the credential source). */
export interface TlsProtocolSettings {
  readonly minVersion: 'TLSv1.3' | 'TLSv1.2';
  readonly ciphers: string;
  readonly curves: string;
  readonly pins: ReadonlySet<string>;
  readonly reloadIntervalMillis: number;
  readonly expiryWarningDays: number;
}

function toList(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (typeof value === 'string' ? value.split(':') : [...value]).map((item) => item.trim()).filter(Boolean);
  return items;
}

/**
 * Applies defaults to and validates the protocol part of {@link SecureTlsOptions}: TLS 1.3 unless `TLSv1.2` is asked
 * for, known cipher names only, non-empty curve list, well-formed pins, non-negative intervals.
 */
export function resolveTlsProtocolSettings(options: SecureTlsOptions | undefined): TlsProtocolSettings {
  const minVersion = options?.minVersion ?? 'TLSv1.3';
  if (minVersion !== 'TLSv1.3' && minVersion !== 'TLSv1.2') {
    throw new SecureExportConfigError(`tls.minVersion must be "TLSv1.3" or "TLSv1.2", got "${String(minVersion)}"`);
  }
  const requested = toList(options?.ciphers);
  if (requested !== undefined && requested.length === 0)
    throw new SecureExportConfigError('tls.ciphers must not be empty');
  const known = new Set(getCiphers().map((name) => name.toUpperCase()));
  for (const cipher of requested ?? []) {
    if (!known.has(cipher.toUpperCase()))
      throw new SecureExportConfigError(`tls.ciphers contains unknown cipher "${cipher}"`);
  }
  const ciphers =
    requested ??
    (minVersion === 'TLSv1.3' ? [...DEFAULT_TLS13_CIPHERS] : [...DEFAULT_TLS13_CIPHERS, ...DEFAULT_TLS12_CIPHERS]);
  if (minVersion === 'TLSv1.3' && !ciphers.some((cipher) => cipher.toUpperCase().startsWith('TLS_'))) {
    throw new SecureExportConfigError('tls.ciphers has no TLS 1.3 suite (TLS_*) while minVersion is TLSv1.3');
  }
  const configured = toList(options?.curves);
  if (configured !== undefined && configured.length === 0)
    throw new SecureExportConfigError('tls.curves must not be empty');
  for (const curve of configured ?? [])
    if (!runtimeOffersGroup(curve.replace(/^\*/, '')))
      throw new SecureExportConfigError(
        `tls.curves contains "${curve}", which this runtime's OpenSSL ${process.versions.openssl} does not offer`,
      );
  const curves = configured?.join(':') ?? defaultKeyExchangeGroups();
  if (configured !== undefined && !runtimeOffersGroup(curves))
    throw new SecureExportConfigError(
      `tls.curves "${curves}" is not a group list this runtime's OpenSSL ${process.versions.openssl} accepts`,
    );
  const reloadIntervalMillis = options?.reloadIntervalMillis ?? DEFAULT_RELOAD_INTERVAL_MILLIS;
  if (!Number.isFinite(reloadIntervalMillis) || reloadIntervalMillis < 0) {
    throw new SecureExportConfigError('tls.reloadIntervalMillis must be 0 (off) or a positive number');
  }
  const expiryWarningDays = options?.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
  if (!Number.isFinite(expiryWarningDays) || expiryWarningDays < 0) {
    throw new SecureExportConfigError('tls.expiryWarningDays must be a non-negative number');
  }
  return {
    minVersion,
    ciphers: ciphers.join(':'),
    curves,
    pins: parsePins(options?.pins),
    reloadIntervalMillis,
    expiryWarningDays,
  };
}
