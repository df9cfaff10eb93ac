/* eslint-disable @typescript-eslint/no-require-imports */
/* global require, module */
'use strict';
// The consumer smoke test's body, shared by smoke.cjs (require) and smoke.mjs (import): the modules are passed in, so
// each entry proves its own module system resolves 'otel-privacy'. It builds spans, metrics and logs with the
// OpenTelemetry line installed in the app (2.x or 3.x), sanitizes them with a policy and exports them over mTLS.
// Environment: SMOKE_ENDPOINT, SMOKE_CA, SMOKE_CERT, SMOKE_KEY, SMOKE_RUN (a tag), SMOKE_SECRET (a value to hide),
// SMOKE_EMAIL (a fake address to detect), SMOKE_USER (an id to hash), SMOKE_HMAC_KEY, SMOKE_ENC_KEY.

module.exports = async function smoke({ privacy, sdkTrace, sdkMetrics, sdkLogs, resources, mode }) {
  const env = process.env;
  const manifest = require('node:path').join(
    process.cwd(),
    'node_modules',
    '@opentelemetry',
    'sdk-trace',
    'package.json',
  );
  const major = Number(JSON.parse(require('node:fs').readFileSync(manifest, 'utf8')).version.split('.')[0]);
  // @opentelemetry/sdk-trace 2.1x and sdk-logs 0.22x already take options objects, like 3.x
  const withExporter = (exporter) => ({ exporter });
  const policy = privacy.definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'SMOKE_HMAC_KEY' }, encryption: { id: 'e1', env: 'SMOKE_ENC_KEY' } },
    attributes: {
      allow: ['http.route', 'app.*'],
      hash: ['user.id'],
      encrypt: ['user.email'],
      drop: ['*secret*'],
      default: 'drop',
    },
    resource: { allow: ['service.name', 'smoke.*'] },
    values: { detectors: 'all' },
    logs: { body: 'scan' },
  });
  const exporters = privacy.createSecureExporters({
    endpoint: env.SMOKE_ENDPOINT,
    tls: { ca: env.SMOKE_CA, cert: env.SMOKE_CERT, key: env.SMOKE_KEY },
    env: {},
  });
  const resource = privacy.sanitizeResource(
    policy,
    resources.resourceFromAttributes({
      'service.name': `smoke-${mode}`,
      'smoke.run': env.SMOKE_RUN,
      'host.secret': env.SMOKE_SECRET,
    }),
  );
  const attributes = {
    'http.route': '/orders/:id',
    'app.note': `contact ${env.SMOKE_EMAIL} please`,
    'app.count': 3,
    'user.id': env.SMOKE_USER,
    'user.email': env.SMOKE_EMAIL,
    'db.secret': env.SMOKE_SECRET,
    'other.key': env.SMOKE_SECRET,
  };

  const tracerProvider = new sdkTrace.TracerProvider({
    resource,
    spanProcessors: [
      new privacy.PrivacySpanProcessor({
        policy,
        next: new sdkTrace.BatchSpanProcessor(withExporter(exporters.traces)),
      }),
    ],
  });
  const span = tracerProvider.getTracer('smoke').startSpan(`smoke ${mode} for ${env.SMOKE_EMAIL}`, { attributes });
  span.end();

  const reader = new sdkMetrics.PeriodicExportingMetricReader({
    exporter: exporters.metrics,
    exportIntervalMillis: 60_000,
  });
  const meterProvider = new sdkMetrics.MeterProvider({
    resource,
    views: privacy.privacyViews(policy),
    readers: [reader],
  });
  meterProvider.getMeter('smoke').createCounter('smoke.orders').add(1, attributes);

  const loggerProvider = new sdkLogs.LoggerProvider({
    resource,
    processors: [
      new privacy.PrivacyLogRecordProcessor({
        policy,
        next: new sdkLogs.BatchLogRecordProcessor(withExporter(exporters.logs)),
      }),
    ],
  });
  loggerProvider.getLogger('smoke').emit({ body: `order placed by ${env.SMOKE_EMAIL}`, attributes });

  await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush(), loggerProvider.forceFlush()]);
  await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);
  await exporters.shutdown();
  const stats = exporters.stats();
  if (stats.traces.sent < 1 || stats.metrics.sent < 1 || stats.logs.sent < 1)
    throw new Error(`not everything was sent: ${JSON.stringify(stats)}`);
  process.stdout.write(`smoke ${mode}: ok (sdk-trace ${major}.x, policy ${policy.hash})\n`);
};
