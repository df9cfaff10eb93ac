import type { SecureExportersOptions } from '../exporters/secure-exporter-options';

/** The process environment, or a test's stand-in. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Exporter names `otel-privacy/register` understands per signal (`OTEL_<SIGNAL>_EXPORTER`). */
export const SUPPORTED_EXPORTERS = {
  traces: ['otlp', 'console', 'none'],
  metrics: ['otlp', 'console', 'prometheus', 'none'],
  logs: ['otlp', 'console', 'none'],
} as const;

const VARIABLE = {
  traces: 'OTEL_TRACES_EXPORTER',
  metrics: 'OTEL_METRICS_EXPORTER',
  logs: 'OTEL_LOGS_EXPORTER',
} as const;

/** `true` for `true` (any case, surrounding blanks ignored), as the OpenTelemetry boolean variables are read. */
export function envFlag(env: Environment, name: string): boolean {
  return (env[name] ?? '').trim().toLowerCase() === 'true';
}

/**
 * The exporters chosen for a signal by `OTEL_TRACES_EXPORTER` / `OTEL_METRICS_EXPORTER` / `OTEL_LOGS_EXPORTER`
 * (comma separated; default `otlp`; `none` anywhere means none). An unknown name throws a one-line error.
 */
export function exporterNames(env: Environment, signal: keyof typeof SUPPORTED_EXPORTERS): string[] {
  const variable = VARIABLE[signal];
  const names = [
    ...new Set(
      (env[variable] ?? '')
        .split(',')
        .map((n) => n.trim().toLowerCase())
        .filter((n) => n.length > 0),
    ),
  ];
  if (names.length === 0) return ['otlp'];
  const supported: readonly string[] = SUPPORTED_EXPORTERS[signal];
  for (const name of names) {
    if (!supported.includes(name))
      throw new Error(`${variable}: unsupported exporter "${name}" (supported: ${supported.join(', ')})`);
  }
  return names.includes('none') ? [] : names;
}

/** A non-negative integer variable, or undefined when unset; anything else throws a one-line error. */
export function envInteger(env: Environment, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: expected a non-negative integer, got "${raw}"`);
  return value;
}

/** Batch processor options from `OTEL_BSP_*` (spans) or `OTEL_BLRP_*` (log records). */
export function batchOptions(
  env: Environment,
  prefix: 'OTEL_BSP' | 'OTEL_BLRP',
): { maxQueueSize?: number; scheduledDelayMillis?: number; exportTimeoutMillis?: number; maxExportBatchSize?: number } {
  const out: {
    maxQueueSize?: number;
    scheduledDelayMillis?: number;
    exportTimeoutMillis?: number;
    maxExportBatchSize?: number;
  } = {};
  const set = (key: keyof typeof out, name: string) => {
    const value = envInteger(env, `${prefix}_${name}`);
    if (value !== undefined) out[key] = value;
  };
  set('maxQueueSize', 'MAX_QUEUE_SIZE');
  set('scheduledDelayMillis', 'SCHEDULE_DELAY');
  set('exportTimeoutMillis', 'EXPORT_TIMEOUT');
  set('maxExportBatchSize', 'MAX_EXPORT_BATCH_SIZE');
  return out;
}

/**
 * The `createSecureExporters` options beyond what it reads from `OTEL_EXPORTER_OTLP_*` itself (endpoint, certificate,
 * client certificate and key, headers, timeout, compression): `OTEL_EXPORTER_OTLP_INSECURE=true` (plaintext, only for
 * an `http://` endpoint), `OTEL_PRIVACY_TLS_PINS` (comma-separated `sha256/…` SPKI pins), `OTEL_PRIVACY_TLS_CRL`
 * (comma-separated CRL file paths), `OTEL_PRIVACY_SPOOL_DIR` (encrypted spool; key from `OTEL_PRIVACY_SPOOL_KEY`),
 * `OTEL_PRIVACY_SPOOL_MAX_BYTES` and `OTEL_PRIVACY_SPOOL_MAX_AGE_MILLIS`.
 */
export function secureExporterOptions(env: Environment): SecureExportersOptions {
  const list = (name: string): string[] =>
    (env[name] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
  const pins = list('OTEL_PRIVACY_TLS_PINS');
  const crl = list('OTEL_PRIVACY_TLS_CRL');
  const spoolDir = env.OTEL_PRIVACY_SPOOL_DIR?.trim();
  const maxBytes = envInteger(env, 'OTEL_PRIVACY_SPOOL_MAX_BYTES');
  const maxAgeMillis = envInteger(env, 'OTEL_PRIVACY_SPOOL_MAX_AGE_MILLIS');
  const tls = { ...(pins.length > 0 ? { pins } : {}), ...(crl.length > 0 ? { crl } : {}) };
  return {
    env,
    ...(envFlag(env, 'OTEL_EXPORTER_OTLP_INSECURE') ? { insecure: true } : {}),
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
    ...(spoolDir
      ? {
          spool: {
            dir: spoolDir,
            ...(maxBytes !== undefined ? { maxBytes } : {}),
            ...(maxAgeMillis !== undefined ? { maxAgeMillis } : {}),
          },
        }
      : {}),
  };
}

/** The `OTEL_EXPORTER_OTLP_[SIGNAL_]PROTOCOL` values that are not gRPC (the secure exporters speak OTLP/gRPC only). */
export function nonGrpcProtocols(env: Environment): string[] {
  const out: string[] = [];
  for (const name of [
    'OTEL_EXPORTER_OTLP_PROTOCOL',
    'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
    'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL',
    'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL',
  ]) {
    const value = env[name]?.trim();
    if (value && value !== 'grpc') out.push(`${name}=${value}`);
  }
  return out;
}
