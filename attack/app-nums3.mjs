import { metrics } from '@opentelemetry/api';
const m = metrics.getMeter('m');
m.createGauge('app.phone').record(447700900123); m.createGauge('app.phone2').record(12025550143); m.createGauge('app.caller_a').record(442079460958);
m.createCounter('app.sms', { description: 'sms' }).add(447700900123, { 'app.phone': '447700900123' });
setTimeout(() => {}, 800);
