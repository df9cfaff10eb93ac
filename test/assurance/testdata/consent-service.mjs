// A service run under `node --import otel-privacy/register` with a consent policy: a mixed workload for the users
// in CONSENT_USERS (spans with the subject at start or set later, child spans without it, a background job started
// with root: true inside the request, a consumer span in another trace linking to it, log records, counters),
// then, after the parent replaced the opt-out file and the hook reported the reload, the same for CONSENT_PHASE2.
import { createInterface } from 'node:readline';
import { context, logs, metrics, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('consent-service');
const logger = logs.getLogger('consent-service');
const requests = metrics.getMeter('consent-service').createCounter('consent.requests');
const notes = metrics.getMeter('consent-service').createCounter('consent.notes');

function workload(users, phase) {
  users.forEach((user, n) => {
    const root = tracer.startSpan('GET /account', {
      attributes: n % 2 === 0 ? { 'user.id': user, 'app.plan': 'fake-gold' } : { 'app.plan': 'fake-gold' },
    });
    const ctx = trace.setSpan(context.active(), root);
    if (n % 2 === 1) root.setAttribute('user.id', user);
    context.with(ctx, () => {
      const child = tracer.startSpan('load account', { attributes: { 'app.phase': phase } });
      logger.emit({ body: 'fake account loaded', attributes: { 'app.phase': phase } });
      logger.emit({ body: 'fake audit entry', attributes: { 'user.id': user, 'app.phase': phase } });
      requests.add(1, { 'user.id': user, 'app.phase': phase });
      // free text naming the user, the subject only in the context the measurement is recorded in
      notes.add(1, { 'app.note': `order of ${user}` });
      // a new trace started from inside the request (a background job)
      tracer.startSpan(`job for ${user}`, { root: true }).end();
      child.end();
    });
    root.end();
    // a span of another trace (a queue consumer) linking to the request, the link naming the user
    tracer
      .startSpan('consume', { root: true, links: [{ context: root.spanContext(), attributes: { 'app.note': `message of ${user}` } }] })
      .end();
  });
}

workload(JSON.parse(process.env.CONSENT_USERS), 'one');
process.stdout.write('PHASE1_DONE\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() === 'go') break;
}
lines.close();
workload(JSON.parse(process.env.CONSENT_PHASE2), 'two');
process.stdout.write('PHASE2_DONE\n');
