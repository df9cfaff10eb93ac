// The example shop service: an Express 5 application with no OpenTelemetry SDK code. Telemetry comes only from the
// register hook: node --import otel-privacy/register examples/express-service/server.mjs
// Its routes receive obviously fake personal data in paths, query strings, headers and bodies, log it with pino and
// record it in metric attributes and span attributes, as real services too often do.
import { context, metrics, trace } from '@opentelemetry/api';
import express from 'express';
import { withConsentSubject } from 'otel-privacy';
import pino from 'pino';

const log = pino({ level: 'info' }, pino.destination({ fd: 2, sync: true }));
const meter = metrics.getMeter('example-shop');
const orders = meter.createCounter('shop.orders', { description: 'Orders placed' });
const amounts = meter.createHistogram('shop.order.amount', { unit: 'USD' });

const app = express();
app.use(express.json());
// Consent: a request that names a customer runs in a context that says so, so a policy with
// `consent.subject.context: true` decides its spans, logs and measurements by the opt-out list (a no-op otherwise).
app.use((req, _res, next) => {
  const id = req.body?.customerId;
  if (typeof id === 'string') context.with(withConsentSubject(context.active(), id), next);
  else next();
});

app.get('/health', (_req, res) => {
  res.json({ ok: true });
});

app.get('/users/:email/profile', (req, res) => {
  log.info({ email: req.params.email, ref: req.query.ref }, `profile viewed for ${req.params.email}`);
  res.json({ email: req.params.email });
});

app.post('/users/:email/orders', (req, res) => {
  const { customerId, card, phone, address, plan, items, amount } = req.body;
  const span = trace.getActiveSpan();
  span?.setAttributes({
    'app.customer.id': customerId,
    'app.customer.contact': phone,
    'app.customer.address': address,
    'app.plan': plan,
    'app.order.items': items,
    'app.order.note': `deliver to ${address}, call ${phone}`,
  });
  log.info(
    { customer: { id: customerId, email: req.params.email, card }, plan },
    `order by ${req.params.email} paid with card ${card}, contact phone ${phone}`,
  );
  orders.add(1, { 'app.plan': plan, 'user.email': req.params.email, 'app.customer.id': customerId });
  amounts.record(amount, { 'app.plan': plan, 'app.card': card });
  if (String(card).startsWith('4000')) {
    const err = new Error(`card ${card} of ${req.params.email} declined`);
    span?.recordException(err);
    log.error({ err: err.message }, err.message);
    res.status(402).json({ error: 'declined' });
    return;
  }
  res.status(201).json({ ok: true });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => server.close());
