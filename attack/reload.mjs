// policy swapped loose->strict while span open: events, links, status, name, attributes set mid-span
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { LoggerProvider, InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { definePolicy, PrivacySpanProcessor, PrivacyLogRecordProcessor } from '../dist/index.js';
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'base64:' + Buffer.alloc(32, 7).toString('base64');
const loose = () => definePolicy({ version: 1, name: 'loose', extends: 'default', attributes: { allow: ['app.*', 'user.email', 'enduser.id'] }, values: { detectors: [] } });
const strict = () => definePolicy({ version: 1, name: 'strict', extends: 'default' });
const policy = loose();
const exp = new InMemorySpanExporter();
const tp = new TracerProvider({ spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: exp }) })] });
const t = tp.getTracer('t');
const other = t.startSpan('other', { attributes: { 'app.l': 'jane.doe@example.com' } });
const s = t.startSpan('start jane.doe@example.com', { attributes: { 'app.a': 'jane.doe@example.com', 'user.email': 'jane.doe@example.com' }, links: [{ context: other.spanContext(), attributes: { 'app.link': 'jane.doe@example.com' } }] });
s.addEvent('ev jane.doe@example.com', { 'app.e': 'jane.doe@example.com' });
s.setAttribute('app.mid', 'jane.doe@example.com');
s.setStatus({ code: 2, message: 'st jane.doe@example.com' });
s.recordException(new Error('ex jane.doe@example.com'));
policy.replaceWith(strict());
s.end(); other.end(); await tp.forceFlush();
for (const o of exp.getFinishedSpans()) console.log(JSON.stringify({ name: o.name, attrs: o.attributes, events: o.events.map((e) => [e.name, e.attributes]), links: o.links.map((l) => l.attributes), status: o.status }));
// logs: record emitted under loose, processor chain async (batch) -> swap before export
const lexp = new InMemoryLogRecordExporter();
const lpol = loose();
const lp = new LoggerProvider({ processors: [new PrivacyLogRecordProcessor({ policy: lpol, next: new SimpleLogRecordProcessor({ exporter: lexp }) })] });
lp.getLogger('l').emit({ body: 'b jane.doe@example.com', attributes: { 'app.a': 'jane.doe@example.com' } });
lpol.replaceWith(strict()); await lp.forceFlush();
console.log('log', JSON.stringify(lexp.getFinishedLogRecords().map((r) => [r.body, r.attributes])));
