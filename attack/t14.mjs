import { trace, metrics } from '@opentelemetry/api';
const tr = trace.getTracer('a14');
const vals = [
  -4111111111111111, 4111111111111111e3, 41111111111111110, 0.4111111111111111, 4111111111111.111, -12025550143,
  1.2025550143e10,
];
let i = 270;
for (const v of vals)
  tr.startSpan('v' + i++, {
    attributes: { 'code.line.number': v, 'aws.dynamodb.consumed_capacity': [v, 1], 'server.port': v },
  }).end();
const m = metrics.getMeter('a14');
const h = m.createHistogram('v280_h', { unit: 'By' });
h.record(4111111111111111);
h.record(-1);
const h2 = m.createHistogram('v281_phone_h');
h2.record(12025550143);
const g = m.createGauge ? m.createGauge('v282_g', { unit: '1' }) : null;
g?.record(-4111111111111111, { 'error.type': 'x' });
await new Promise((r) => setTimeout(r, 1200));
