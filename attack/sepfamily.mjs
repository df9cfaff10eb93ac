// which single-character separators between a random alnum label and a canary (either side) hide it
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { definePolicy, PrivacySpanProcessor } from '../dist/index.js';
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'base64:' + Buffer.alloc(32, 7).toString('base64');
const policy = definePolicy({ version: 1, name: 't', extends: 'default', attributes: { allow: ['app.*'] } });
const canaries = ['jane.doe@example.com', '123-45-6789', '202-555-0143', '+1 202 555 0143', '2001:db8:85a3::8a2e:370:7334', '4111 1111 1111 1111'];
const seps = ['.', '-', '_', '/', '=', ':', '#', '|', ';', ',', '~', '+', '\\'];
const exp = new InMemorySpanExporter();
const tp = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: exp }) })] });
const rows = {};
for (const c of canaries) { rows[c] = {};
  for (const sep of seps) { let pre = 0, post = 0;
    for (const l of ['ab', 'x', 'user', 'k9']) for (const [side, v] of [['pre', l + sep + c], ['post', c + sep + l]]) {
      const s = tp.getTracer('t').startSpan('s'); s.setAttribute('app.v', v); s.end(); await tp.forceFlush();
      const out = exp.getFinishedSpans().at(-1).attributes['app.v']; exp.reset(); if (String(out).includes(c)) side === 'pre' ? pre++ : post++; }
    rows[c][sep] = pre || post ? `${pre}/${post}` : ''; } }
console.table(rows);
