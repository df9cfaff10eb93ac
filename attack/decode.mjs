// decode raw OTLP dumps with the example's otlp.proto; print JSON
import protobuf from 'protobufjs'; import { readFileSync, readdirSync } from 'node:fs';
const root = protobuf.parse(readFileSync(new URL('../examples/receiver/otlp.proto', import.meta.url), 'utf8'), { keepCase: false }).root;
const T = { traces: 'otlp.ExportTraceServiceRequest', metrics: 'otlp.ExportMetricsServiceRequest', logs: 'otlp.ExportLogsServiceRequest' };
const dir = process.argv[2];
for (const f of readdirSync(dir).filter((x) => x.endsWith('.bin'))) {
  const t = root.lookupType(T[f.split('.')[1]]);
  console.log(f, JSON.stringify(t.toObject(t.decode(readFileSync(`${dir}/${f}`)), { longs: String, bytes: String, defaults: false })));
}
