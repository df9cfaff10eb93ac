import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { definePolicy, PrivacySpanProcessor } from '../dist/index.js';
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'base64:' + Buffer.alloc(32, 7).toString('base64');
const policy = definePolicy({ version: 1, name: 't', extends: 'default', attributes: { allow: ['app.*', 'app.**', 'custom.*'] } });
const keys = ['app.ok', 'app.user.jane.doe@example.com.visits', 'app.jane.doe@example.com', 'app.4111111111111111', 'app.4111 1111 1111 1111', 'app.123-45-6789', 'app.203.0.113.7', 'app.AKIAIOSFODNN7EXAMPLE', 'app.+1 202 555 0143', 'app.Jane Doe', 'app.eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'custom.jane.doe@example.com', 'app.user=jane.doe@example.com', 'app.jane-doe.example.org', 'app./u/Jane%20Doe'];
for (const k of keys) {
  const exp = new InMemorySpanExporter();
  const tp = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: exp }) })] });
  const s = tp.getTracer('t').startSpan('s'); s.setAttribute(k, 1); s.setAttribute("app.v", "x"); s.end(); await tp.forceFlush(); await tp.forceFlush();
  const out = exp.getFinishedSpans()[0];
  console.log(JSON.stringify(k), '=>', out ? JSON.stringify(Object.keys(out.attributes)) : 'SPAN DROPPED');
}
