import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { definePolicy, PrivacySpanProcessor } from '../dist/index.js';
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'base64:' + Buffer.alloc(32, 7).toString('base64');
const policy = definePolicy({ version: 1, name: 't', extends: 'default', attributes: { allow: ['app.*'] } });
const vals = process.argv.slice(2).length ? process.argv.slice(2) : ['123-45-6789', 'ssn 123-45-6789', 'id 123-45-6789', '123 45 6789', 'app.123-45-6789'];
for (const v of vals) {
  const exp = new InMemorySpanExporter();
  const tp = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: exp }) })] });
  const s = tp.getTracer('t').startSpan(v); s.setAttribute('app.v', v); s.setAttribute(`app.${v}`, 1); s.end(); await tp.forceFlush();
  const o = exp.getFinishedSpans()[0];
  console.log(JSON.stringify(v), '=> name', JSON.stringify(o?.name), 'attrs', JSON.stringify(o?.attributes));
}
