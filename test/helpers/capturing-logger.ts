import type { ExporterLogger } from '../../exporters/exporter-logger';

/** One captured log line. */
export interface CapturedLine {
  readonly level: 'error' | 'warn' | 'info';
  readonly message: string;
}

/** An {@link ExporterLogger} that records every line, for assertions. */
export class CapturingLogger implements ExporterLogger {
  /** Lines in the order they were logged. */
  readonly lines: CapturedLine[] = [];

  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }

  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }

  /** Messages at `level`, optionally filtered by a substring or pattern. */
  messages(level: CapturedLine['level'], match?: string | RegExp): string[] {
    return this.lines
      .filter((line) => line.level === level)
      .map((line) => line.message)
      .filter(
        (message) => match === undefined || (typeof match === 'string' ? message.includes(match) : match.test(message)),
      );
  }
}
