/* eslint-disable @typescript-eslint/no-require-imports */
/* global require */
'use strict';
// CommonJS entry of the consumer smoke test: require('otel-privacy') resolves the package's CJS build.
const smoke = require('./smoke-core.cjs');

smoke({
  privacy: require('otel-privacy'),
  sdkTrace: require('@opentelemetry/sdk-trace'),
  sdkMetrics: require('@opentelemetry/sdk-metrics'),
  sdkLogs: require('@opentelemetry/sdk-logs'),
  resources: require('@opentelemetry/resources'),
  mode: 'cjs',
}).catch((error) => {
  process.stderr.write(`smoke cjs failed: ${error && error.stack ? error.stack : error}\n`);
  process.exitCode = 1;
});
