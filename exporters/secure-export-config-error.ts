/** A configuration mistake detected by {@link createSecureExporters}; the message is one line and names the setting. */
export class SecureExportConfigError extends Error {
  constructor(message: string) {
    super(`otel-privacy secure export: ${message}`);
    this.name = 'SecureExportConfigError';
  }
}
