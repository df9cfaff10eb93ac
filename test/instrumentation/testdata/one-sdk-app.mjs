// The ESM twin of one-sdk-app.cjs.
import { Worker, isMainThread } from 'node:worker_threads';
import { trace, metrics } from '@opentelemetry/api';

const where = isMainThread ? 'main' : 'worker';
trace.getTracer('one-sdk-app').startSpan(`work in ${where}`).end();
metrics.getMeter('one-sdk-app').createCounter('app.work').add(1, { 'app.thread': where });
if (isMainThread && process.env.WITH_WORKER === '1') {
  new Worker(new URL(import.meta.url)).on('exit', () => console.log('worker exited'));
}
