/**
 * Child process for the key-exchange test on another Node runtime: exports one span with the default TLS settings
 * and prints `exported <code>` (0 is SUCCESS), so the parent can see on the wire which groups this runtime offers.
 */
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSecureExporters } from '../../../exporters/secure-exporters';

const [endpoint, caPath, certPath, keyPath] = process.argv.slice(2);
const exporters = createSecureExporters({
  endpoint,
  tls: { ca: caPath, cert: certPath, key: keyPath },
  retry: { initialMillis: 10, maxMillis: 20, maxElapsedMillis: 2000 },
  env: {},
  logger: { error: (m) => process.stderr.write(`${m}\n`), warn: () => undefined, info: () => undefined },
});
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
provider.getTracer('groups').startSpan(`groups-from-node-${process.versions.node}`).end();
await exporters.traces.forceFlush();
const stats = exporters.stats().traces;
process.stdout.write(`exported sent=${stats.sent} failed=${stats.failed}\n`);
await exporters.shutdown();
