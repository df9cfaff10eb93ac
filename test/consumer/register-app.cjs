/* eslint-disable @typescript-eslint/no-require-imports */
/* global require */
'use strict';
// An application with no OpenTelemetry set-up of its own, run with `node --require otel-privacy/register` (CJS) or
// imported by register-app.mjs under `--import`: it only uses the API; the register hook supplies the SDK.
const api = require('@opentelemetry/api');

const { trace, metrics } = api;
// the logs API is part of @opentelemetry/api from 1.10 (3.x line); before that it is @opentelemetry/api-logs
const logs = api.logs ?? require('@opentelemetry/api-logs').logs;

const env = process.env;
const attributes = {
  'http.route': '/orders/:id',
  'user.id': env.SMOKE_USER,
  'user.email': env.SMOKE_EMAIL,
  'db.secret': env.SMOKE_SECRET,
  'other.key': env.SMOKE_SECRET,
};
trace.getTracer('register-app').startSpan(`register ${env.SMOKE_MODE} for ${env.SMOKE_EMAIL}`, { attributes }).end();
metrics.getMeter('register-app').createCounter('register.orders').add(1, attributes);
logs.getLogger('register-app').emit({ body: `register order by ${env.SMOKE_EMAIL}`, attributes });
process.stdout.write(`register ${env.SMOKE_MODE}: emitted\n`);
