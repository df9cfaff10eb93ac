// left-boundary matrix: prefix + canary through the real span processor; prints which pass unchanged
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { definePolicy, PrivacySpanProcessor } from '../dist/index.js';
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'base64:' + Buffer.alloc(32, 7).toString('base64');
const policy = definePolicy({ version: 1, name: 't', extends: 'default', attributes: { allow: ['app.*'] } });
const canaries = { ssn: '123-45-6789', nanp: '202-555-0143', nanpParen: '(202) 555-0143', nanpDots: '202.555.0143', ipv6: '2001:db8:85a3::8a2e:370:7334', ipv4: '203.0.113.7', card: '4111 1111 1111 1111', email: 'jane.doe@example.com', e164: '+44 20 7946 0958' };
const prefixes = ['', ' ', 'x.', 'x1.', '1.', 'x-', 'x_', 'x:', 'x/', 'x=', 'x', 'é.', 'x.y.'];
const exp = new InMemorySpanExporter();
const tp = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: exp }) })] });
const rows = [];
for (const [name, c] of Object.entries(canaries)) {
  const passed = [];
  for (const p of prefixes) { for (const suf of ['', '.z']) {
    const v = p + c + suf; const s = tp.getTracer('t').startSpan('s'); s.setAttribute('app.v', v); s.end(); await tp.forceFlush();
    const out = exp.getFinishedSpans().at(-1).attributes['app.v']; exp.reset();
    if (typeof out === 'string' && out.includes(c)) passed.push(JSON.stringify(v)); else if (typeof out === 'string' && /\d{3}/.test(out.replace(/\[REDACTED:[a-z0-9-]+\]/g, ''))) passed.push('partial:' + JSON.stringify(out)); } }
  rows.push(`${name}: ${passed.length ? passed.join(' ') : 'all caught'}`);
}
console.log(rows.join('\n'));
