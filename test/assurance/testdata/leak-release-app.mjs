// A service whose "new release" starts writing customers' e-mail addresses into an attribute its policy allows.
// Run by leak-alarm-e2e.test.ts with `--import otel-privacy/register`. Phase 1 (STEADY_MS): HTTP requests to itself,
// each handled under a span that carries a fake bearer token in `app.ref` (a steady rate of findings) and a clean
// `app.plan`. Phase 2 (RELEASE_MS): the same, plus `app.note` with an obviously fake e-mail address. Then it exits
// (the register hook flushes on beforeExit). Prints `phase release` on stdout when phase 2 begins.
import { request } from 'node:http';
import { trace } from '@opentelemetry/api';
import express from 'express';

const steadyMs = Number(process.env.STEADY_MS);
const releaseMs = Number(process.env.RELEASE_MS);
const tracer = trace.getTracer('leak-release-app');
const app = express();
let release = false;
let n = 0;
app.get('/orders/:id', (req, res) => {
  tracer.startActiveSpan('handle order', (span) => {
    n++;
    span.setAttribute('app.plan', 'gold');
    span.setAttribute('app.ref', `Bearer fakeTokenAbcdefghijklmnop${n}`);
    if (release) span.setAttribute('app.note', `placed by fake.customer${n}@example.test`);
    span.end();
  });
  res.json({ ok: true });
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const started = Date.now();
  const tick = () => {
    const elapsed = Date.now() - started;
    if (elapsed >= steadyMs + releaseMs) return server.close();
    if (!release && elapsed >= steadyMs) {
      release = true;
      process.stdout.write('phase release\n');
    }
    const req = request({ host: '127.0.0.1', port, path: `/orders/${n}` }, (res) => {
      res.resume();
      res.on('end', () => setTimeout(tick, 20));
    });
    req.end();
  };
  tick();
});
