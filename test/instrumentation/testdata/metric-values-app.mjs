// An application with no OpenTelemetry code of its own that records identifiers as metric values (obviously fake):
// a card number as a gauge value, a counter increment and a histogram value, a phone number under a phone-named
// instrument, a user id under a user-id-named observable gauge; and ordinary values beside them. Run by
// register-metric-values.test.ts with `--import otel-privacy/register`; it exits when its event loop is empty (the
// register hook flushes on beforeExit).
import { metrics, ValueType } from '@opentelemetry/api';

const meter = metrics.getMeter('metric-values-app');
const int = { valueType: ValueType.INT };
meter.createGauge('app.last_value', int).record(4111111111111111, { 'http.route': '/pay' });
meter.createCounter('app.payments', int).add(378282246310005);
meter.createHistogram('app.amount').record(5555555555554444);
meter.createGauge('app.contact.phone', int).record(12025550143);
meter.createObservableGauge('app.last_user_id', int).addCallback((r) => r.observe(9080706050));
meter.createHistogram('app.checkout.duration', { unit: 'ms' }).record(42.5, { 'http.route': '/pay' });
meter.createCounter('app.bytes.sent', { unit: 'By', ...int }).add(4111111111111111); // a byte count: a quantity
meter.createCounter('app.orders', int).add(3);
