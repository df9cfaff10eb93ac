// The bench pipeline on the project's OpenTelemetry SDK (3.x): TracerProvider → [PrivacySpanProcessor →]
// BatchSpanProcessor → no-op exporter, with the batch settings every provider scenario shares.
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { PrivacySpanProcessor } from 'otel-privacy';
import { BATCH_SETTINGS, noopSpanExporter } from './lib.mjs';

/** A tracer provider with the bench batch settings; with a policy, PrivacySpanProcessor sits in front of the batch processor. */
export function benchProvider(policy, exporter = noopSpanExporter()) {
  const batch = new BatchSpanProcessor({ exporter, ...BATCH_SETTINGS });
  return new TracerProvider({ spanProcessors: [policy ? new PrivacySpanProcessor({ policy, next: batch }) : batch] });
}
