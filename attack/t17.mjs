import { trace, logs } from '@opentelemetry/api';
const tr = trace.getTracer('a17');
const vals = [
  'paid with 4111 1111 1111 1111 ok',
  'call jane at +1 202 555 0143 now',
  'ssn on file: 123-45-6789 thanks',
  'mail jane.doe@example.com today!!',
  'k=AKIAIOSFODNN7EXAMPLE and more',
  'x 4111111111111111',
  'from 203.0.113.7 via proxy',
];
let i = 300;
for (const v of vals)
  for (const cut of [16, 20, 24, 26, 28]) {
    const s = tr.startSpan('v' + i, {
      attributes: { 'thread.name': v.slice(0, cut) + ' '.repeat(0), 'error.type': v },
    });
    s.end();
  }
const lg = logs.getLogger('a17');
for (const v of vals) lg.emit({ body: 'v310', attributes: { 'thread.name': v } });
await new Promise((r) => setTimeout(r, 500));
