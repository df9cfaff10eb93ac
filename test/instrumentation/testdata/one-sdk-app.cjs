/* eslint-disable @typescript-eslint/no-require-imports */
/* global require, __filename */
// One span and one counter increment per thread; with WITH_WORKER=1 the main thread also runs itself as a worker
// thread (which inherits --require/--import). Run with otel-privacy/register preloaded.
const { Worker, isMainThread } = require('node:worker_threads');
const { trace, metrics } = require('@opentelemetry/api');

const where = isMainThread ? 'main' : 'worker';
trace.getTracer('one-sdk-app').startSpan(`work in ${where}`).end();
metrics.getMeter('one-sdk-app').createCounter('app.work').add(1, { 'app.thread': where });
if (isMainThread && process.env.WITH_WORKER === '1') {
  new Worker(__filename).on('exit', () => console.log('worker exited'));
}
