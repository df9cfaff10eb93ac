// Raw OTLP/gRPC receiver (TLS1.3 mTLS) dumping request bytes per signal. usage: node raw-receiver.mjs OUTDIR [failFirstN]
import * as grpc from '@grpc/grpc-js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawExportService } from '../examples/receiver/grpc-server.mjs';
import { createBenchPki } from '../bench/pki.mjs';
const out = process.argv[2]; const failFirst = Number(process.argv[3] ?? 0);
mkdirSync(out, { recursive: true });
const pki = createBenchPki();
class Creds extends grpc.ServerCredentials {
  constructor(o) { super({ requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3' }, o); }
  _equals(x) { return x === this; }
}
const server = new grpc.Server();
let n = 0; let calls = 0;
for (const [sig, path] of [['traces','/opentelemetry.proto.collector.trace.v1.TraceService/Export'],['metrics','/opentelemetry.proto.collector.metrics.v1.MetricsService/Export'],['logs','/opentelemetry.proto.collector.logs.v1.LogsService/Export']]) {
  server.addService(rawExportService(path), { Export: (call, cb) => {
    calls++;
    writeFileSync(join(out, `${String(n++).padStart(4,'0')}.${sig}.bin`), call.request);
    writeFileSync(join(out, `${String(n-1).padStart(4,'0')}.${sig}.meta.json`), JSON.stringify(call.metadata.getMap()));
    if (calls <= failFirst) return cb({ code: grpc.status.UNAVAILABLE, details: 'try later' });
    const mode = process.env.RMODE;
    const msg = process.env.RMSG ?? 'bad attribute value jane.doe@example.com card 4111 1111 1111 1111 AKIAIOSFODNN7EXAMPLE';
    if (mode === 'invalid') return cb({ code: grpc.status.INVALID_ARGUMENT, details: msg });
    if (mode === 'exhausted') return cb({ code: grpc.status.RESOURCE_EXHAUSTED, details: msg });
    if (mode === 'partial') { const m = Buffer.from(msg); const inner = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, m.length]), m]); return cb(null, Buffer.concat([Buffer.from([0x0a, inner.length]), inner])); }
    cb(null, Buffer.alloc(0));
  }});
}
server.bindAsync('127.0.0.1:0', new Creds({ cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem }), (e, port) => {
  if (e) throw e;
  writeFileSync(join(out, 'env'), `export OTEL_EXPORTER_OTLP_ENDPOINT=https://127.0.0.1:${port}\nexport OTEL_EXPORTER_OTLP_CERTIFICATE=${pki.ca.certPath}\nexport OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=${pki.client.certPath}\nexport OTEL_EXPORTER_OTLP_CLIENT_KEY=${pki.client.keyPath}\n`);
  console.log('port', port);
});
process.on('SIGTERM', () => { pki.cleanup(); process.exit(0); });
