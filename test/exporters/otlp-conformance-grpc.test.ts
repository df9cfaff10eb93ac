import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSecureExporters } from '../../index';
import type { SecureExporters } from '../../index';
import { createStandardPki } from '../helpers/test-pki';
import type { StandardPki } from '../helpers/test-pki';
import { CapturingLogger } from '../helpers/capturing-logger';
import { ConformanceReceiver, requestType } from '../helpers/conformance-receiver';
import type { Decoded } from '../helpers/conformance-receiver';
import { retryDelayFromStatusDetails } from '../../exporters/retry-info';
import { retryInfoDetails } from '../helpers/conformance-receiver';

// The exporter's gRPC behaviour against the independent receiver (official opentelemetry-proto, mTLS): compression,
// partial success, and the retryable status codes of the OTLP specification, including RESOURCE_EXHAUSTED with and
// without a google.rpc.RetryInfo.

let pki: StandardPki;
let receiver: ConformanceReceiver;
const open: SecureExporters[] = [];

beforeAll(async () => {
  pki = createStandardPki();
  receiver = new ConformanceReceiver({ cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem });
  await receiver.start();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.shutdown()));
  receiver.requests.length = 0;
  receiver.attempts.length = 0;
  receiver.respond = undefined;
});
afterAll(async () => {
  await receiver.stop();
  pki.pki.cleanup();
});

function exporters(extra: Partial<Parameters<typeof createSecureExporters>[0]> = {}): SecureExporters {
  const e = createSecureExporters({
    endpoint: receiver.url,
    tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath },
    env: {},
    logger: new CapturingLogger(),
    retry: { initialMillis: 20, maxMillis: 100, maxElapsedMillis: 3000 },
    ...extra,
  });
  open.push(e);
  return e;
}

describe('RetryInfo in grpc-status-details-bin', () => {
  it('reads the delay of a google.rpc.Status as the receiver encodes it, and nothing from other bytes', () => {
    expect(retryDelayFromStatusDetails(retryInfoDetails(8, 1500))).toBe(1500);
    expect(retryDelayFromStatusDetails(retryInfoDetails(8, 0))).toBe(0);
    expect(retryDelayFromStatusDetails(undefined)).toBeUndefined();
    expect(retryDelayFromStatusDetails(Buffer.from([0xff, 0xff]))).toBeUndefined();
    expect(retryDelayFromStatusDetails(Buffer.from('08081209', 'hex'))).toBeUndefined();
  });
});

describe('gRPC behaviour against the independent receiver', () => {
  const emit = async (e: SecureExporters, n = 1): Promise<void> => {
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: e.traces })] });
    for (let i = 0; i < n; i++) provider.getTracer('g').startSpan(`op-${i}`).end();
    // A refused batch makes the flush fail; what the receiver saw is what these tests assert.
    await provider.forceFlush().catch(() => undefined);
    await provider.shutdown().catch(() => undefined);
  };

  it('sends gzip when configured: grpc-encoding header, compressed-flag set, a gzip body the official protos decode', async () => {
    // grpc-js servers hide grpc-encoding from handlers, so this one check reads the HTTP/2 stream itself.
    const seen: { encoding: string | undefined; flag: number; spans: number }[] = [];
    const server = createSecureServer({ cert: pki.server.certPem, key: pki.server.keyPem, minVersion: 'TLSv1.3' });
    server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const body = Buffer.concat(chunks);
        const flag = body[0];
        const message = body.subarray(5, 5 + body.readUInt32BE(1));
        const bytes = flag === 1 ? gunzipSync(message) : message;
        const decoded = requestType('traces').decode(bytes) as unknown as Decoded;
        seen.push({
          encoding: headers['grpc-encoding'] as string | undefined,
          flag,
          spans: decoded.resource_spans[0].scope_spans[0].spans.length,
        });
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await emit(exporters({ endpoint, compression: 'gzip' }));
      await emit(exporters({ endpoint, compression: 'none' }));
    } finally {
      await Promise.all(open.splice(0).map((e) => e.shutdown()));
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({ encoding: 'gzip', flag: 1, spans: 1 });
    expect(seen[1].flag).toBe(0);
    expect(seen[1].spans).toBe(1);
    expect([undefined, 'identity']).toContain(seen[1].encoding);
  });

  it('a partial success with rejected_spans is counted and logged with its message (one warning per response), not retried', async () => {
    receiver.respond = () => ({ rejected: 2, message: 'fake: two spans too old' });
    const logger = new CapturingLogger();
    const e = exporters({ logger });
    await emit(e, 3);
    expect(receiver.attempts.length).toBe(3);
    expect(e.stats().traces.rejectedItems).toBe(6);
    expect(e.stats().traces.retries).toBe(0);
    expect(logger.messages('warn', 'receiver rejected 2 traces item(s): fake: two spans too old')).toHaveLength(3);
  });

  it.each([
    ['UNAVAILABLE', grpc.status.UNAVAILABLE],
    ['CANCELLED', grpc.status.CANCELLED],
    ['DEADLINE_EXCEEDED', grpc.status.DEADLINE_EXCEEDED],
    ['ABORTED', grpc.status.ABORTED],
    ['OUT_OF_RANGE', grpc.status.OUT_OF_RANGE],
    ['DATA_LOSS', grpc.status.DATA_LOSS],
  ])('retries %s (retryable per the OTLP specification)', async (_n, code) => {
    let calls = 0;
    receiver.respond = () => (++calls === 1 ? { code } : undefined);
    const e = exporters();
    await emit(e);
    expect(receiver.attempts.length).toBe(2);
    expect(receiver.of('traces').length).toBe(1);
  });

  it.each([
    ['INVALID_ARGUMENT', grpc.status.INVALID_ARGUMENT],
    ['PERMISSION_DENIED', grpc.status.PERMISSION_DENIED],
    ['UNAUTHENTICATED', grpc.status.UNAUTHENTICATED],
    ['RESOURCE_EXHAUSTED without RetryInfo', grpc.status.RESOURCE_EXHAUSTED],
  ])('does not retry %s', async (_n, code) => {
    receiver.respond = () => ({ code });
    const e = exporters();
    await emit(e);
    expect(receiver.attempts.length).toBe(1);
    expect(e.stats().traces.failed).toBe(1);
  });

  it('retries RESOURCE_EXHAUSTED with RetryInfo, not before the delay the server asked for', async () => {
    let calls = 0;
    receiver.respond = () =>
      ++calls === 1 ? { code: grpc.status.RESOURCE_EXHAUSTED, retryDelayMillis: 400 } : undefined;
    const e = exporters();
    await emit(e);
    expect(receiver.attempts.length).toBe(2);
    expect(receiver.attempts[1].at - receiver.attempts[0].at).toBeGreaterThanOrEqual(400);
    expect(receiver.of('traces').length).toBe(1);
  });
});
