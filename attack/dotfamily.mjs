// random dotted tokens around canaries: which canaries pass when glued with "." to random alnum labels
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { definePolicy, PrivacySpanProcessor } from '../dist/index.js';
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'base64:' + Buffer.alloc(32, 7).toString('base64');
const policy = definePolicy({ version: 1, name: 't', extends: 'default', attributes: { allow: ['app.*'] } });
const canaries = ['jane.doe@example.com', '123-45-6789', '202-555-0143', '(202) 555-0143', '+1 202 555 0143', '2001:db8:85a3::8a2e:370:7334', '203.0.113.7', '4111 1111 1111 1111', 'AKIAIOSFODNN7EXAMPLE'];
const exp = new InMemorySpanExporter();
const tp = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: exp }) })] });
const rnd = (n) => Math.floor(Math.random() * n); const label = () => { const a = 'abcdefghijklmnopqrstuvwxyz0123456789'; let s = ''; for (let i = 0, n = 1 + rnd(6); i < n; i++) s += a[rnd(a.length)]; return s; };
const stats = {};
for (const c of canaries) { stats[c] = { pre: 0, post: 0, both: 0, n: 60 };
  for (let i = 0; i < 60; i++) for (const [kind, v] of [['pre', label() + '.' + c], ['post', c + '.' + label()], ['both', label() + '.' + c + '.' + label()]]) {
    const s = tp.getTracer('t').startSpan('s'); s.setAttribute('app.v', v); s.end(); await tp.forceFlush();
    const out = exp.getFinishedSpans().at(-1).attributes['app.v']; exp.reset(); if (String(out).includes(c)) stats[c][kind]++; } }
console.table(stats);
