import { diag } from '@opentelemetry/api';

/** Sink for the exporters' one-line diagnostics. */
export interface ExporterLogger {
  /** Something failed (a batch was refused, a handshake failed, a file was quarantined). */
  error(message: string): void;
  /** Something needs attention (certificate expiry, outage, dropped spool files). */
  warn(message: string): void;
  /** Normal but notable events (credentials reloaded, replay finished). */
  info(message: string): void;
}

/** The default logger: forwards to the OpenTelemetry `diag` logger. */
export const diagExporterLogger: ExporterLogger = {
  error: (message) => diag.error(message),
  warn: (message) => diag.warn(message),
  info: (message) => diag.info(message),
};

/**
 * Logs a message once per key until {@link OnceLogger.reset} is called for that key (or for all keys), so a
 * persistent failure produces one line instead of one per batch.
 */
export class OnceLogger {
  private readonly seen = new Set<string>();

  constructor(private readonly logger: ExporterLogger) {}

  /**
   * Logs `message` at `level` unless `key` was already logged; returns whether it logged. With `silently`, marks
   * `key` as logged without writing anything (keeps a report suppressed across a `reset`).
   */
  log(level: keyof ExporterLogger, key: string, message: string, silently = false): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (!silently) this.logger[level](message);
    return true;
  }

  /** Forgets `key` (or every key whose name starts with `prefix` when `prefix` is true, or all keys when omitted). */
  reset(key?: string, prefix = false): void {
    if (key === undefined) {
      this.seen.clear();
      return;
    }
    if (!prefix) {
      this.seen.delete(key);
      return;
    }
    for (const seenKey of [...this.seen]) if (seenKey.startsWith(key)) this.seen.delete(seenKey);
  }
}
