import { describe, expect, it } from 'vitest';
import { secureExporterOptions } from '../../instrumentation/register-environment';

describe('secure exporter options from the environment (register hook)', () => {
  it('maps OTEL_PRIVACY_TLS_CRL and OTEL_PRIVACY_SPOOL_MAX_AGE_MILLIS next to pins and the spool', () => {
    const env = {
      OTEL_PRIVACY_TLS_PINS: 'sha256/AAAA',
      OTEL_PRIVACY_TLS_CRL: ' /etc/otel/ca.crl , /etc/otel/intermediate.crl ',
      OTEL_PRIVACY_SPOOL_DIR: '/var/lib/app/otel-spool',
      OTEL_PRIVACY_SPOOL_MAX_AGE_MILLIS: '3600000',
    };
    const options = secureExporterOptions(env);
    expect(options.tls).toEqual({ pins: ['sha256/AAAA'], crl: ['/etc/otel/ca.crl', '/etc/otel/intermediate.crl'] });
    expect(options.spool).toEqual({ dir: '/var/lib/app/otel-spool', maxAgeMillis: 3_600_000 });
    expect(secureExporterOptions({}).tls).toBeUndefined();
  });

  it('a malformed OTEL_PRIVACY_SPOOL_MAX_AGE_MILLIS is one line naming the variable', () => {
    expect(() =>
      secureExporterOptions({ OTEL_PRIVACY_SPOOL_DIR: '/x', OTEL_PRIVACY_SPOOL_MAX_AGE_MILLIS: '7 days' }),
    ).toThrow('OTEL_PRIVACY_SPOOL_MAX_AGE_MILLIS: expected a non-negative integer, got "7 days"');
  });
});
