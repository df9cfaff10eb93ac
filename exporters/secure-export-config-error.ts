import { diagnosticText } from '../engine/diagnostic-text';

/**
 * A configuration mistake detected by {@link createSecureExporters}; the message is one line and names the setting.
 * What it quotes (a name, a path, a value) goes through `diagnosticText`: a value or a secret configured by mistake is
 * masked.
 */
export class SecureExportConfigError extends Error {
  constructor(message: string) {
    super(`otel-privacy secure export: ${diagnosticText(message)}`);
    this.name = 'SecureExportConfigError';
  }
}
