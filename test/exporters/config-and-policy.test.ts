import { describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { parseEndpoint, parseHeaders, resolveSignalConfig } from '../../exporters/exporter-config';
import { backoffDelay, isRetryableCode, resolveRetryPolicy } from '../../exporters/retry-policy';
import { classifyHandshakeFailure, handshakeReason } from '../../exporters/handshake-diagnostics';
import { decodeSpoolKey, loadSpoolKey } from '../../exporters/spool-key';
import { resolveTlsProtocolSettings } from '../../exporters/tls-options';
import { SecureExportConfigError } from '../../exporters/secure-export-config-error';

describe('endpoint and environment resolution', () => {
  it('treats https:// and bare host:port as TLS, http:// as plaintext only with insecure', () => {
    expect(parseEndpoint('https://collector.internal:4317', false)).toMatchObject({
      address: 'collector.internal:4317',
      secure: true,
    });
    expect(parseEndpoint('collector.internal:5555', false)).toMatchObject({
      host: 'collector.internal',
      port: 5555,
      secure: true,
    });
    expect(parseEndpoint('https://[::1]', false)).toMatchObject({ address: '[::1]:4317', host: '::1' });
    expect(parseEndpoint('http://localhost:4317', true)).toMatchObject({ secure: false });
    expect(() => parseEndpoint('http://localhost:4317', false)).toThrow(SecureExportConfigError);
    expect(() => parseEndpoint('unix:///tmp/socket', false)).toThrow(/https:\/\//);
    expect(() => parseEndpoint('https://user:secret@host:1', false)).toThrow(/credentials/);
    expect(() => parseEndpoint('https://user:secret@host:1', false)).not.toThrow(/secret/);
  });

  it('does not print a secret written where the port or a bracketed host belongs (a URL without its @)', () => {
    for (const [endpoint, shown] of [
      ['127.0.0.1:hunter2-Fake-9x', '127.0.0.1:…'],
      ['https://apikey:hunter2-Fake-9x', 'https://apikey:…'],
      ['http://[hunter2-Fake-9x]:9', 'http://[…]:9'],
      ['https://[hunter2-Fake-9x]:hunter2-Fake-9x/v1', 'https://[…]:…/…'],
      ['collector:43\n17hunter2', 'collector:…'],
    ]) {
      let message = '';
      try {
        parseEndpoint(endpoint, false);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toBe(`otel-privacy secure export: endpoint "${shown}" is not a valid URL`);
    }
    // A valid address is still named as written, so the error says which endpoint is wrong.
    expect(() => parseEndpoint('http://[::1]:4317', false)).toThrow('endpoint "http://[::1]:4317" is plaintext');
    expect(() => parseEndpoint('ftp://collector.internal:21/x', false)).toThrow(
      'endpoint "ftp://collector.internal:21/…" must use https://',
    );
  });

  it('prefers options, then per-signal, then generic variables', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://generic:1',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://logs:2',
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/generic/ca.pem',
      OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE: '/metrics/ca.pem',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '1234',
      OTEL_EXPORTER_OTLP_TIMEOUT: '999',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=2',
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'b=3',
    };
    const traces = resolveSignalConfig({ env }, 'traces');
    const metrics = resolveSignalConfig({ env }, 'metrics');
    const logs = resolveSignalConfig({ env, headers: { A: 'option' } }, 'logs');
    expect(traces.endpoint.address).toBe('generic:1');
    expect(logs.endpoint.address).toBe('logs:2');
    expect(traces.tlsSources.ca).toBe('/generic/ca.pem');
    expect(metrics.tlsSources.ca).toBe('/metrics/ca.pem');
    expect(metrics.timeoutMillis).toBe(1234);
    expect(traces.timeoutMillis).toBe(999);
    expect(traces.compression).toBe('gzip');
    expect(resolveSignalConfig({ env, compression: 'none' }, 'traces').compression).toBe('none');
    expect(traces.headers).toEqual({ a: '1', b: '2' });
    expect(logs.headers).toEqual({ a: 'option', b: '3' });
    expect(resolveSignalConfig({ env: {}, endpoint: 'https://opt:3' }, 'logs').endpoint.address).toBe('opt:3');
    expect(() => resolveSignalConfig({ env: { OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' } }, 'traces')).toThrow(/TIMEOUT/);
    expect(() => resolveSignalConfig({ env: { OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' } }, 'traces')).toThrow(/gzip/);
  });

  it('parses OTEL_EXPORTER_OTLP_HEADERS with URL-encoded values', () => {
    expect(parseHeaders('Authorization=Bearer%20x%3D%3D, x-a = b ,broken,=novalue')).toEqual({
      authorization: 'Bearer x==',
      'x-a': 'b',
    });
  });
});

describe('TLS protocol settings', () => {
  it('defaults to TLS 1.3 with AEAD suites and X25519/P-256 (after X25519MLKEM768 where offered)', () => {
    const settings = resolveTlsProtocolSettings(undefined);
    expect(settings.minVersion).toBe('TLSv1.3');
    expect(settings.ciphers.split(':').every((cipher) => cipher.startsWith('TLS_'))).toBe(true);
    expect(settings.curves.replace('*X25519MLKEM768:*X25519', 'X25519')).toBe('X25519:P-256');
    expect(resolveTlsProtocolSettings({ minVersion: 'TLSv1.2' }).ciphers).toMatch(/ECDHE-ECDSA-AES256-GCM-SHA384/);
    expect(() => resolveTlsProtocolSettings({ ciphers: ['ECDHE-RSA-AES128-GCM-SHA256'] })).toThrow(/no TLS 1.3 suite/);
  });
});

describe('retry policy', () => {
  it('retries exactly the six retryable codes of the OTLP specification (RESOURCE_EXHAUSTED only with RetryInfo)', () => {
    const retryable = Object.values(status)
      .filter((code): code is number => typeof code === 'number')
      .filter(isRetryableCode)
      .sort((a, b) => a - b);
    expect(retryable).toEqual(
      [
        status.CANCELLED,
        status.DEADLINE_EXCEEDED,
        status.ABORTED,
        status.OUT_OF_RANGE,
        status.UNAVAILABLE,
        status.DATA_LOSS,
      ].sort((a, b) => a - b),
    );
  });

  it('uses full jitter under an exponentially growing, capped ceiling', () => {
    const policy = resolveRetryPolicy({ initialMillis: 100, maxMillis: 1000 });
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(policy, attempt, () => 0.999999))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(policy, 5, () => 0)).toBe(0);
    expect(() => resolveRetryPolicy({ initialMillis: 0 })).toThrow(/initialMillis/);
    expect(() => resolveRetryPolicy({ initialMillis: 100, maxMillis: 10 })).toThrow(/maxMillis/);
    expect(resolveRetryPolicy(undefined)).toEqual({
      initialMillis: 1000,
      maxMillis: 30_000,
      maxElapsedMillis: 300_000,
      multiplier: 2,
    });
  });
});

describe('handshake failure classification', () => {
  it('extracts a short reason from gRPC details and ignores non-TLS connection errors', () => {
    const details =
      'No connection established. Last error: Error: C0ACD158837F0000:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:916:SSL alert number 70\n. Resolution note: ';
    expect(classifyHandshakeFailure(details)).toEqual({
      cause: 'protocol-version',
      reason: 'tlsv1 alert protocol version',
    });
    expect(
      classifyHandshakeFailure(
        'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ',
      ),
    ).toBeUndefined();
    expect(
      handshakeReason('No connection established. Last error: Error: certificate has expired. Resolution note: '),
    ).toBe('certificate has expired');
  });
});

describe('spool key', () => {
  it('accepts 32 bytes as base64:, base64url, hex: or raw (the format of every key); rejects anything else without echoing it', () => {
    const key = Buffer.alloc(32, 7);
    expect(decodeSpoolKey(`base64:${key.toString('base64')}`)).toEqual(key);
    expect(decodeSpoolKey(`base64:${key.toString('base64url')}`)).toEqual(key);
    expect(decodeSpoolKey(`hex:${key.toString('hex')}`)).toEqual(key);
    expect(decodeSpoolKey(key)).toEqual(key);
    expect(decodeSpoolKey('base64:c2hvcnQ=')).toBeUndefined();
    expect(decodeSpoolKey(key.toString('hex'))).toBeUndefined(); // unprefixed: 64 raw bytes
    expect(() => loadSpoolKey({ env: 'MY_KEY' }, {})).toThrow(/MY_KEY is not set/);
    expect(() => loadSpoolKey(undefined, { OTEL_PRIVACY_SPOOL_KEY: 'too-short-secret' })).toThrow(/not 32 bytes/);
    expect(() => loadSpoolKey(undefined, { OTEL_PRIVACY_SPOOL_KEY: 'too-short-secret' })).not.toThrow(
      /too-short-secret/,
    );
    expect(loadSpoolKey({ value: `hex:${key.toString('hex')}` }, {}).id).toHaveLength(8);
  });
});
