// The bench pipelines on the project's OpenTelemetry SDK (3.x): TracerProvider → [PrivacySpanProcessor →]
// BatchSpanProcessor → no-op exporter: the steady-state pipeline (default batch settings, asynchronous
// exporter) and scenario 6's burst pipeline (BATCH_SETTINGS).
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { defaultPolicy, definePolicy, PrivacySpanProcessor } from 'otel-privacy';
import * as api from '@opentelemetry/api';
import { asyncNoopExporter, BATCH_SETTINGS, KEY_ONLY_KEYS, noopSpanExporter, requestWork } from './lib.mjs';

/**
 * The profiling tools' policies by name: `keyonly` (scenario 3's key-only policy: the 16 keys dropped, nothing
 * else), `encrypt` (the default policy plus one `encrypt` rule on user.id, scenario 2's field-encryption policy, with
 * a fake bench key), `bare` (undefined: no privacy processor), anything else the default policy.
 */
export function benchPolicy(name) {
  if (name === 'bare') return undefined;
  if (name === 'keyonly')
    return definePolicy({ version: 1, attributes: { allow: ['*'], drop: KEY_ONLY_KEYS }, resource: { allow: ['*'] } });
  if (name !== 'encrypt') return defaultPolicy();
  process.env.OTEL_PRIVACY_BENCH_ENCRYPTION_KEY ??= 'hex:' + 'b0'.repeat(32); // fake, bench only
  return definePolicy({
    version: 1,
    extends: 'default',
    keys: { encryption: { id: 'e1', env: 'OTEL_PRIVACY_BENCH_ENCRYPTION_KEY' } },
    attributes: { encrypt: ['user.id'] },
  });
}

/** A tracer provider with the burst batch settings (scenario 6's export rounds); with a policy, PrivacySpanProcessor sits in front of the batch processor. */
export function benchProvider(policy, exporter = noopSpanExporter()) {
  const batch = new BatchSpanProcessor({ exporter, ...BATCH_SETTINGS });
  return new TracerProvider({ spanProcessors: [policy ? new PrivacySpanProcessor({ policy, next: batch }) : batch] });
}

/**
 * The steady-state pipeline (bench/lib.mjs): TracerProvider → [PrivacySpanProcessor →] BatchSpanProcessor
 * with the SDK's DEFAULT settings → an exporter that completes asynchronously and counts. Returns the
 * provider, the exporter and the pipeline description {@link roundOf} takes, for `users` distinct users.
 */
export function steadyPipeline(policy, users) {
  const exporter = asyncNoopExporter();
  const batch = new BatchSpanProcessor({ exporter });
  const provider = new TracerProvider({
    spanProcessors: [policy ? new PrivacySpanProcessor({ policy, next: batch }) : batch],
  });
  return {
    provider,
    exporter,
    work: requestWork(api, provider.getTracer('bench'), users),
    flush: () => provider.forceFlush(),
    exported: () => exporter.exported,
  };
}
