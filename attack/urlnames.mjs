import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { defaultPolicy, PrivacySpanProcessor } from '../dist/index.js';
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'base64:' + Buffer.alloc(32, 7).toString('base64');
const policy = defaultPolicy();
for (const p of process.argv.slice(2)) {
  const exp = new InMemorySpanExporter();
  const tp = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: exp }) })] });
  const s = tp.getTracer('t').startSpan('GET ' + p); s.setAttributes({ 'url.path': p, 'http.route': p, 'url.full': 'https://h.example.com' + p }); s.end(); await tp.forceFlush();
  const o = exp.getFinishedSpans()[0]; console.log(JSON.stringify(p), '=>', JSON.stringify(o.name), JSON.stringify(o.attributes));
}
