import { SecureExportConfigError } from './secure-export-config-error';
import { withoutControlCharacters } from './exporter-logger';
import type { PemSource, SecureExportersOptions } from './secure-exporter-options';

/** The three OTLP signals. */
export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** All signals, in a fixed order. */
export const OTLP_SIGNALS: readonly OtlpSignal[] = ['traces', 'metrics', 'logs'];

/** Where a parsed endpoint points and whether it uses TLS. */
export interface ResolvedEndpoint {
  /** `host:port` as gRPC expects it (IPv6 hosts in brackets). */
  readonly address: string;
  /** Host name or IP, without brackets. */
  readonly host: string;
  /** Port number. */
  readonly port: number;
  /** True for TLS (`https://` or no scheme), false for plaintext (`http://` with `insecure`). */
  readonly secure: boolean;
}

/** TLS material sources of one signal after applying the environment defaults. */
export interface ResolvedTlsSources {
  readonly ca: PemSource | undefined;
  readonly cert: PemSource | undefined;
  readonly key: PemSource | undefined;
  /** Certificate revocation lists (empty: no revocation checking). */
  readonly crl: readonly PemSource[];
}

/** Everything one signal needs to open its channel and send, resolved from options and environment. */
export interface ResolvedSignalConfig {
  readonly signal: OtlpSignal;
  readonly endpoint: ResolvedEndpoint;
  readonly tlsSources: ResolvedTlsSources;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
  readonly timeoutMillis: number;
}

const SIGNAL_ENV: Record<OtlpSignal, string> = { traces: 'TRACES', metrics: 'METRICS', logs: 'LOGS' };

/** Default endpoint when neither the option nor the environment gives one (TLS, unlike upstream's plaintext default). */
export const DEFAULT_ENDPOINT = 'https://localhost:4317';
/** Default per-attempt deadline. */
export const DEFAULT_TIMEOUT_MILLIS = 10_000;

/** Reads `OTEL_EXPORTER_OTLP_<SIGNAL>_<NAME>`, falling back to `OTEL_EXPORTER_OTLP_<NAME>`; empty values count as unset. */
export function signalEnv(
  env: Readonly<Record<string, string | undefined>>,
  signal: OtlpSignal,
  name: string,
): string | undefined {
  const specific = env[`OTEL_EXPORTER_OTLP_${SIGNAL_ENV[signal]}_${name}`]?.trim();
  if (specific) return specific;
  const generic = env[`OTEL_EXPORTER_OTLP_${name}`]?.trim();
  return generic || undefined;
}

/**
 * An endpoint as error messages print it: scheme and host:port only. Credentials (`user:token@`), a path, a query and a
 * fragment are never printed (a token in them would reach the logs), nor are control characters. A port that is no
 * number and a bracketed host that is no IP address are printed as `…`: a secret written without its `@` lands there
 * (`https://apikey:<token>`).
 */
export function printableEndpoint(raw: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*@)?([^/?#]*)([\s\S]*)$/i.exec(raw.trim())!;
  const a = /^(\[[^\]]*\]|[^:]*)(?::([\s\S]*))?$/.exec(m[3])!;
  const host = a[1].startsWith('[') && !/^\[[0-9a-f:.]*\]$/i.test(a[1]) ? '[…]' : a[1];
  const port = a[2] === undefined ? '' : /^\d*$/.test(a[2]) ? `:${a[2]}` : ':…';
  const shown = withoutControlCharacters(`${m[1] ?? ''}${m[2] ? '…@' : ''}${host}${port}${m[4] ? '/…' : ''}`);
  return shown.length > 200 ? `${shown.slice(0, 197)}...` : shown;
}

/**
 * Parses an OTLP/gRPC endpoint. `https://` (or a bare `host:port`) means TLS; `http://` means plaintext and is a
 * configuration error unless `insecure` is true. A path is ignored, as gRPC has its own method paths.
 */
export function parseEndpoint(raw: string, insecure: boolean): ResolvedEndpoint {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new SecureExportConfigError(`endpoint "${printableEndpoint(raw)}" is not a valid URL`);
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') {
    throw new SecureExportConfigError(
      `endpoint "${printableEndpoint(raw)}" must use https:// (or http:// with insecure: true)`,
    );
  }
  if (scheme === 'http' && !insecure) {
    throw new SecureExportConfigError(
      `endpoint "${printableEndpoint(raw)}" is plaintext http://; use https:// or set insecure: true explicitly`,
    );
  }
  if (url.username || url.password) {
    throw new SecureExportConfigError(`endpoint "${url.host}" must not contain credentials; use headers`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new SecureExportConfigError(`endpoint "${printableEndpoint(raw)}" has no host`);
  const port = url.port ? Number(url.port) : 4317;
  return {
    host,
    port,
    address: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    secure: scheme === 'https',
  };
}

/** Parses the `key=value,key2=value2` form of `OTEL_EXPORTER_OTLP_HEADERS` (values URL-decoded). */
export function parseHeaders(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const part of raw.split(',')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const key = part.slice(0, index).trim().toLowerCase();
    const value = part.slice(index + 1).trim();
    if (!key) continue;
    try {
      out[key] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

function parseCompression(raw: string | undefined, origin: string): 'gzip' | 'none' {
  if (raw === undefined) return 'none';
  const value = raw.trim().toLowerCase();
  if (value === 'gzip' || value === 'none') return value;
  throw new SecureExportConfigError(`${origin} must be "gzip" or "none", got "${raw}"`);
}

function parseTimeout(raw: number | string | undefined, origin: string): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_MILLIS;
  const value = typeof raw === 'number' ? raw : Number(raw.trim());
  if (!Number.isFinite(value) || value <= 0)
    throw new SecureExportConfigError(`${origin} must be a positive number of milliseconds`);
  return value;
}

/** Resolves one signal's endpoint, TLS sources, headers, compression and timeout: options first, then environment. */
export function resolveSignalConfig(options: SecureExportersOptions, signal: OtlpSignal): ResolvedSignalConfig {
  const env = options.env ?? process.env;
  const endpointRaw = options.endpoint ?? signalEnv(env, signal, 'ENDPOINT') ?? DEFAULT_ENDPOINT;
  const endpoint = parseEndpoint(endpointRaw, options.insecure === true);
  const tls = options.tls ?? {};
  const tlsSources: ResolvedTlsSources = {
    ca: tls.ca ?? signalEnv(env, signal, 'CERTIFICATE'),
    cert: tls.cert ?? signalEnv(env, signal, 'CLIENT_CERTIFICATE'),
    key: tls.key ?? signalEnv(env, signal, 'CLIENT_KEY'),
    crl: tls.crl === undefined ? [] : Array.isArray(tls.crl) ? [...(tls.crl as PemSource[])] : [tls.crl as PemSource],
  };
  if ((tlsSources.cert === undefined) !== (tlsSources.key === undefined)) {
    throw new SecureExportConfigError('tls.cert and tls.key must be given together (client certificate and its key)');
  }
  const headers = {
    ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
    ...parseHeaders(env[`OTEL_EXPORTER_OTLP_${SIGNAL_ENV[signal]}_HEADERS`]),
  };
  for (const [key, value] of Object.entries(options.headers ?? {})) headers[key.toLowerCase()] = value;
  const compression =
    options.compression !== undefined
      ? parseCompression(options.compression, 'compression')
      : parseCompression(signalEnv(env, signal, 'COMPRESSION'), 'OTEL_EXPORTER_OTLP_COMPRESSION');
  const timeoutMillis =
    options.timeoutMillis !== undefined
      ? parseTimeout(options.timeoutMillis, 'timeoutMillis')
      : parseTimeout(signalEnv(env, signal, 'TIMEOUT'), 'OTEL_EXPORTER_OTLP_TIMEOUT');
  return { signal, endpoint, tlsSources, headers, compression, timeoutMillis };
}
