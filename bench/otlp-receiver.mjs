// A minimal OTLP/gRPC trace receiver for the export benchmark: 127.0.0.1, TLS 1.3 only, client
// certificate required and verified against the given CA. It accepts every request, counts requests,
// bytes and spans (walking the protobuf just deep enough to count), and can be stopped and started
// again on the same port (the spool scenario's outage).
import * as grpc from '@grpc/grpc-js';
import { rawExportService, stopGrpcServer } from '../examples/receiver/grpc-server.mjs';

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

class Tls13MutualCredentials extends grpc.ServerCredentials {
  constructor({ cert, key, ca }) {
    super(
      { requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
      { cert, key, ca },
    );
  }

  _equals(other) {
    return other === this;
  }
}

/** Reads a protobuf varint at `pos`; returns [value, next position]. */
function varint(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, pos];
    shift += 7;
  }
}

/** Calls `onField(field, start, end)` for every length-delimited field of a message; skips the rest. */
function eachLengthDelimited(buf, start, end, onField) {
  let pos = start;
  while (pos < end) {
    let tag;
    [tag, pos] = varint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 2) {
      let length;
      [length, pos] = varint(buf, pos);
      onField(field, pos, pos + length);
      pos += length;
    } else if (wire === 0) [, pos] = varint(buf, pos);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unexpected protobuf wire type ${wire}`);
  }
}

/** Spans in an ExportTraceServiceRequest: resource_spans (1) → scope_spans (2) → spans (2). */
export function countSpans(buf) {
  let spans = 0;
  eachLengthDelimited(buf, 0, buf.length, (f1, s1, e1) => {
    if (f1 !== 1) return;
    eachLengthDelimited(buf, s1, e1, (f2, s2, e2) => {
      if (f2 !== 2) return;
      eachLengthDelimited(buf, s2, e2, (f3) => {
        if (f3 === 2) spans++;
      });
    });
  });
  return spans;
}

/** Starts a receiver; `tls` holds the server certificate, key and the CA for client certificates (PEM). */
export function createBenchReceiver(tls) {
  // firstAt/lastAt: hrtime (ns) of the first and the latest accepted request since the last reset()
  const stats = { requests: 0, bytes: 0, spans: 0, firstAt: 0n, lastAt: 0n };
  let server;
  let port = 0;
  const start = async () => {
    server = new grpc.Server();
    server.addService(rawExportService(TRACE_EXPORT), {
      Export: (call, callback) => {
        stats.lastAt = process.hrtime.bigint();
        if (stats.requests === 0) stats.firstAt = stats.lastAt;
        stats.requests++;
        stats.bytes += call.request.length;
        stats.spans += countSpans(call.request);
        callback(null, Buffer.alloc(0)); // an empty ExportTraceServiceResponse: full success
      },
    });
    port = await new Promise((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, new Tls13MutualCredentials(tls), (err, bound) =>
        err ? reject(err) : resolve(bound),
      ),
    );
    return port;
  };
  const stop = async () => {
    const current = server;
    server = undefined;
    if (current) await stopGrpcServer(current);
  };
  const reset = () => Object.assign(stats, { requests: 0, bytes: 0, spans: 0, firstAt: 0n, lastAt: 0n });
  return {
    stats,
    reset,
    start,
    stop,
    get url() {
      return `https://127.0.0.1:${port}`;
    },
  };
}
