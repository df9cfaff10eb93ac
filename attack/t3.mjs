import { trace, ROOT_CONTEXT, propagation } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
const tr = trace.getTracer('attack3');
const vals = [
  'ot=rv:00012025550143',
  'ot=th:12025550143',
  'ot=rv:00000123456789',
  'ot=th:4111111111111;rv:11111111111111',
  'ot=rv:20301130070000',
];
let i = 50;
for (const v of vals) {
  const parent = trace.wrapSpanContext({
    traceId: 'ab'.repeat(16),
    spanId: 'cd'.repeat(8),
    traceFlags: 1,
    isRemote: true,
    traceState: new TraceState(v),
  });
  const s = tr.startSpan('v' + i++, {}, trace.setSpan(ROOT_CONTEXT, parent));
  s.end();
  const s2 = tr.startSpan('v' + i++, {
    links: [
      { context: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: 1, traceState: new TraceState(v) } },
    ],
  });
  s2.end();
}
// via propagation: extract a traceparent/tracestate header
const ctx = propagation.extract(ROOT_CONTEXT, {
  traceparent: '00-41111111111111110000000000000000-2025550143000000-01',
  tracestate: 'ot=rv:00012025550143,vendor=jane.doe@example.com',
});
const s3 = tr.startSpan('v70', {}, ctx);
s3.end();
const carrier = {};
propagation.inject(trace.setSpan(ctx, s3), carrier);
console.log(JSON.stringify(carrier));
await new Promise((r) => setTimeout(r, 300));
