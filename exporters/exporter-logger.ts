import { diagnosticText, privacyDiag } from '../engine/diagnostic-text';

export { withoutControlCharacters } from '../engine/diagnostic-text';

/** Sink for the exporters' one-line diagnostics. */
export interface ExporterLogger {
  /** Something failed (a batch was refused, a handshake failed, a file was quarantined). */
  error(message: string): void;
  /** Something needs attention (certificate expiry, outage, dropped spool files). */
  warn(message: string): void;
  /** Normal but notable events (credentials reloaded, replay finished). */
  info(message: string): void;
}

/**
 * The default logger: one line per message on stderr, at every log level, whether or not a `diag` logger is
 * installed (without one, `diag` prints nothing, and an export that fails would fail silently). The exporters log each
 * cause once per episode (see `DeliveryLane` and `HandshakeDiagnostics`), never per batch.
 */
export const stderrExporterLogger: ExporterLogger = {
  error: (message) => void process.stderr.write(`${message}\n`),
  warn: (message) => void process.stderr.write(`${message}\n`),
  info: (message) => void process.stderr.write(`${message}\n`),
};

/** A logger that forwards to the OpenTelemetry `diag` logger (silent unless one is installed). */
export const diagExporterLogger: ExporterLogger = {
  error: (message) => privacyDiag.error(message),
  warn: (message) => privacyDiag.warn(message),
  info: (message) => privacyDiag.info(message),
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

/**
 * `logger` with every line put through `diagnosticText` first: the exporters print text from outside (a receiver's
 * error details and partial-success message, TLS errors, configured names), which must not carry a raw value or a
 * secret into a log, whatever logger the application passed.
 */
export function diagnosticLogger(logger: ExporterLogger): ExporterLogger {
  return {
    error: (message) => logger.error(diagnosticText(message)),
    warn: (message) => logger.warn(diagnosticText(message)),
    info: (message) => logger.info(diagnosticText(message)),
  };
}
