import { metrics as metricsApi } from '@opentelemetry/api';
import type { MeterProvider, Observable, ObservableCallback } from '@opentelemetry/api';
import type { SecureExportStats } from './secure-export-stats';

/** The meter providers each exporters' stats source is registered on, so one source is never registered twice. */
const registeredOn = new WeakMap<() => SecureExportStats, Set<MeterProvider>>();

/**
 * Registers the exporters' self-observability instruments (`otel_privacy.exporter.*`, low-cardinality attributes:
 * signal, outcome, cause) on `meterProvider` (default: the global one). Returns a function that unregisters them.
 * Every exporter instrument is defined here: `createSecureExporters` registers them on its `meterProvider` and
 * `registerPrivacySelfMetrics` on its own; when both name the same provider for the same `stats`, the second call
 * registers nothing (each series would otherwise be observed twice per collection).
 */
export function registerExporterMetrics(stats: () => SecureExportStats, meterProvider?: MeterProvider): () => void {
  const provider = meterProvider ?? metricsApi.getMeterProvider();
  const providers = registeredOn.get(stats) ?? new Set<MeterProvider>();
  if (providers.has(provider)) return () => {};
  providers.add(provider);
  registeredOn.set(stats, providers);
  const meter = provider.getMeter('otel-privacy');
  const registrations: Array<[Observable, ObservableCallback]> = [];
  const observe = (instrument: Observable, callback: ObservableCallback): void => {
    instrument.addCallback(callback);
    registrations.push([instrument, callback]);
  };

  observe(
    meter.createObservableCounter('otel_privacy.exporter.batches', {
      description: 'Export batches by signal and outcome',
    }),
    (result) => {
      const current = stats();
      for (const signal of ['traces', 'metrics', 'logs'] as const) {
        const lane = current[signal];
        result.observe(lane.sent, { signal, outcome: 'sent' });
        result.observe(lane.spooled, { signal, outcome: 'spooled' });
        result.observe(lane.replayed, { signal, outcome: 'replayed' });
        result.observe(lane.failed, { signal, outcome: 'failed' });
      }
    },
  );
  observe(
    meter.createObservableCounter('otel_privacy.exporter.retries', {
      description: 'Export attempts retried after backoff',
    }),
    (result) => {
      const current = stats();
      for (const signal of ['traces', 'metrics', 'logs'] as const) result.observe(current[signal].retries, { signal });
    },
  );
  observe(
    meter.createObservableUpDownCounter('otel_privacy.exporter.spool.size', {
      unit: 'By',
      description: 'Bytes in the encrypted spool',
    }),
    (result) => {
      const spool = stats().spool;
      if (spool) result.observe(spool.bytes);
    },
  );
  observe(
    meter.createObservableUpDownCounter('otel_privacy.exporter.spool.files', {
      unit: '{file}',
      description: 'Files in the encrypted spool',
    }),
    (result) => {
      const spool = stats().spool;
      if (spool) result.observe(spool.files);
    },
  );
  observe(
    meter.createObservableCounter('otel_privacy.exporter.spool.dropped', {
      description: 'Spooled batches dropped to respect maxBytes',
    }),
    (result) => {
      const spool = stats().spool;
      if (spool) result.observe(spool.dropped);
    },
  );
  observe(
    meter.createObservableCounter('otel_privacy.exporter.spool.quarantined', {
      description: 'Spool files moved to quarantine',
    }),
    (result) => {
      const spool = stats().spool;
      if (spool) result.observe(spool.quarantined);
    },
  );
  observe(
    meter.createObservableCounter('otel_privacy.exporter.spool.expired', {
      description: 'Spooled batches dropped because they were older than spool.maxAgeMillis',
    }),
    (result) => {
      const spool = stats().spool;
      if (spool) result.observe(spool.expired);
    },
  );
  observe(
    meter.createObservableCounter('otel_privacy.exporter.tls.handshake_failures', {
      description: 'Failed TLS handshakes by cause',
    }),
    (result) => {
      for (const [cause, count] of Object.entries(stats().handshakeFailures)) result.observe(count, { cause });
    },
  );
  observe(
    meter.createObservableGauge('otel_privacy.exporter.client_certificate.time_to_expiry', {
      unit: 's',
      description: 'Seconds until the mTLS client certificate expires (negative when expired)',
    }),
    (result) => {
      const expiry = stats().clientCertificateExpiry;
      if (expiry) result.observe(Math.round((expiry.getTime() - Date.now()) / 1000));
    },
  );

  return () => {
    for (const [instrument, callback] of registrations) instrument.removeCallback(callback);
    registrations.length = 0;
    providers.delete(provider);
  };
}
