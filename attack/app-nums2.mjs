import { metrics } from '@opentelemetry/api';
const m = metrics.getMeter('m');
m.createGauge('app.a').record(12025550143); m.createGauge('app.b').record(442079460958); m.createGauge('app.c').record(4111111111111111.5); m.createGauge('app.d').record(-4111111111111111); m.createGauge('app.e').record(4111111111111111e0 / 10 * 10);
m.createGauge('app.f').record(123456789); m.createGauge('app.g').record(12025550143.0001);
setTimeout(() => {}, 800);
