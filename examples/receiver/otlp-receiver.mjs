// A local OTLP/gRPC receiver (traces, metrics, logs) over TLS 1.3 with mutual TLS, for the otel-privacy demo and for
// trying the register hook by hand. Certificates (a throw-away CA, a server certificate for 127.0.0.1/localhost and
// a client certificate) are generated with openssl into a fresh temporary folder at start and deleted at stop.
//
//   node examples/receiver/otlp-receiver.mjs [--port 4317] [--out received.jsonl] [--env-out receiver.env]
//
// prints the OTEL_EXPORTER_OTLP_* variables a service needs to export to it, then one line per received item.
// Plain Node.js (no build step): @grpc/grpc-js and protobufjs come with otel-privacy's dependencies.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { rawExportService, stopGrpcServer } from './grpc-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const SERVICES = {
  traces: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    request: 'otlp.ExportTraceServiceRequest',
    response: 'otlp.ExportTraceServiceResponse',
  },
  metrics: {
    path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    request: 'otlp.ExportMetricsServiceRequest',
    response: 'otlp.ExportMetricsServiceResponse',
  },
  logs: {
    path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    request: 'otlp.ExportLogsServiceRequest',
    response: 'otlp.ExportLogsServiceResponse',
  },
};

const root = protobuf.parse(readFileSync(join(here, 'otlp.proto'), 'utf8'), { keepCase: false }).root;

function openssl(args) {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Generates a CA, a server certificate (127.0.0.1, localhost) and a client certificate (CN demo-service) in `dir`. */
export function generateCertificates(dir) {
  const p = (name) => join(dir, name);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('ca.key')]);
  openssl([
    'req',
    '-x509',
    '-new',
    '-key',
    p('ca.key'),
    '-sha256',
    '-days',
    '1',
    '-subj',
    '/CN=otel-privacy demo CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    p('ca.crt'),
  ]);
  for (const [name, cn, ext] of [
    ['server', 'localhost', 'extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1'],
    ['client', 'demo-service', 'extendedKeyUsage=clientAuth'],
  ]) {
    writeFileSync(p(`${name}.ext`), `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n${ext}\n`);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p(`${name}.key`)]);
    openssl(['req', '-new', '-key', p(`${name}.key`), '-subj', `/CN=${cn}`, '-out', p(`${name}.csr`)]);
    openssl([
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p('ca.crt'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-sha256',
      '-extfile',
      p(`${name}.ext`),
      '-out',
      p(`${name}.crt`),
    ]);
  }
  return {
    ca: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
  };
}

/** Server credentials that accept TLS 1.3 only and require a client certificate signed by the demo CA. */
class Tls13MutualCredentials extends grpc.ServerCredentials {
  constructor(files) {
    super(
      { requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
      { cert: readFileSync(files.serverCert), key: readFileSync(files.serverKey), ca: readFileSync(files.ca) },
    );
  }

  _equals(other) {
    return other === this;
  }
}

/** OTLP KeyValue list → plain object. */
export function attributesOf(list) {
  const out = {};
  for (const entry of list ?? []) out[entry.key] = anyValue(entry.value);
  return out;
}

function anyValue(value) {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in value) return attributesOf(value.kvlistValue.values);
  if ('bytesValue' in value) return `<${value.bytesValue.length} bytes>`;
  return undefined;
}

/** Flattens one decoded export request into items: { signal, resource, scope, ...item }. */
export function flatten(signal, decoded) {
  const items = [];
  const key = {
    traces: ['resourceSpans', 'scopeSpans', 'spans'],
    metrics: ['resourceMetrics', 'scopeMetrics', 'metrics'],
    logs: ['resourceLogs', 'scopeLogs', 'logRecords'],
  }[signal];
  for (const r of decoded[key[0]] ?? []) {
    const resource = attributesOf(r.resource?.attributes);
    for (const s of r[key[1]] ?? []) {
      const scope = s.scope?.name ?? '';
      for (const item of s[key[2]] ?? []) {
        if (signal === 'traces') {
          items.push({
            signal,
            resource,
            scope,
            name: item.name,
            attributes: attributesOf(item.attributes),
            events: (item.events ?? []).map((e) => ({ name: e.name, attributes: attributesOf(e.attributes) })),
            status: item.status?.message ?? '',
          });
        } else if (signal === 'logs') {
          items.push({
            signal,
            resource,
            scope,
            body: anyValue(item.body),
            severity: item.severityText ?? '',
            attributes: attributesOf(item.attributes),
          });
        } else {
          const data = item.sum ?? item.gauge ?? item.histogram ?? {};
          const points = (data.dataPoints ?? []).map((d) => ({
            attributes: attributesOf(d.attributes),
            value:
              d.asInt !== undefined
                ? Number(d.asInt)
                : (d.asDouble ?? (d.count !== undefined ? `count ${d.count}` : undefined)),
          }));
          items.push({ signal, resource, scope, name: item.name, points });
        }
      }
    }
  }
  return items;
}

/**
 * Starts the receiver on 127.0.0.1 (`port` 0: an ephemeral port). Resolves with { port, endpoint, env, items, stop },
 * where `env` holds the OTEL_EXPORTER_OTLP_* variables for a client and `items` every received span, metric and log
 * record (flattened); `onItem` is called for each, `out` appends them to a JSON Lines file.
 */
export async function startReceiver({ port = 0, onItem, out } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-demo-pki-'));
  const files = generateCertificates(dir);
  const items = [];
  const requests = [];
  const server = new grpc.Server();
  for (const [signal, service] of Object.entries(SERVICES)) {
    const requestType = root.lookupType(service.request);
    const responseType = root.lookupType(service.response);
    server.addService(rawExportService(service.path), {
      Export(call, callback) {
        let decoded;
        try {
          decoded = requestType.toObject(requestType.decode(call.request), {
            longs: String,
            enums: Number,
            bytes: Array,
            defaults: false,
          });
        } catch (err) {
          callback({ code: grpc.status.INVALID_ARGUMENT, details: `undecodable request: ${err.message}` });
          return;
        }
        const client = call.getAuthContext()?.sslPeerCertificate?.subject?.CN;
        requests.push({ signal, client, bytes: call.request.length });
        for (const item of flatten(signal, decoded)) {
          items.push(item);
          if (out) appendFileSync(out, `${JSON.stringify(item)}\n`);
          onItem?.(item, client);
        }
        callback(null, Buffer.from(responseType.encode(responseType.create({})).finish()));
      },
    });
  }
  const bound = await new Promise((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, new Tls13MutualCredentials(files), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  // localhost, not 127.0.0.1: the server certificate names both, but an IP address as the TLS server name makes
  // Node.js print a DEP0123 warning in every client
  const endpoint = `https://localhost:${bound}`;
  return {
    port: bound,
    endpoint,
    files,
    items,
    requests,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_CERTIFICATE: files.ca,
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: files.clientCert,
      OTEL_EXPORTER_OTLP_CLIENT_KEY: files.clientKey,
    },
    async stop() {
      await stopGrpcServer(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const receiver = await startReceiver({
    port: Number(arg('--port') ?? 4317),
    out: arg('--out'),
    onItem: (item, client) => {
      const what =
        item.signal === 'traces'
          ? `span ${item.name} ${JSON.stringify(item.attributes)}`
          : item.signal === 'logs'
            ? `log ${JSON.stringify(item.body)} ${JSON.stringify(item.attributes)}`
            : `metric ${item.name} ${JSON.stringify(item.points)}`;
      console.log(`[${client ?? '?'}] ${what}`);
    },
  });
  console.log(`OTLP/gRPC receiver on ${receiver.endpoint} (TLS 1.3, client certificate required). Export to it with:`);
  for (const [k, v] of Object.entries(receiver.env)) console.log(`  export ${k}=${v}`);
  // --env-out: the same lines in a file a shell can source (written once the receiver listens)
  if (arg('--env-out'))
    writeFileSync(
      arg('--env-out'),
      Object.entries(receiver.env)
        .map(([k, v]) => `export ${k}=${v}\n`)
        .join(''),
    );
  const stop = () => void receiver.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
