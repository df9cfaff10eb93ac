import { metrics, trace } from '@opentelemetry/api';
const m = metrics.getMeter('a13');
const names = [
  'pay.4111-1111-1111-1111',
  'ssn.123-45-6789',
  'ip.203.0.113.7',
  'AKIAIOSFODNN7EXAMPLE',
  'k.AKIAIOSFODNN7EXAMPLE',
  'u/jane.doe/2025550143',
  'c_4111_1111_1111_1111',
  'x.4111111111111111',
  'p-202-555-0143',
];
for (const n of names) m.createCounter(n).add(1, { 'error.type': 'x' });
const tr = trace.getTracer('tr.4111-1111-1111-1111', 'v123-45-6789');
tr.startSpan('v260').end();
trace.getTracer('AKIAIOSFODNN7EXAMPLE', '203.0.113.7').startSpan('v261').end();
await new Promise((r) => setTimeout(r, 1200));
