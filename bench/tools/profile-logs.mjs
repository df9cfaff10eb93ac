// Profiling driver (not a scenario): scenario 9's log record (e-mail in the body) through LoggerProvider →
// [PrivacyLogRecordProcessor →] BatchLogRecordProcessor for a while, so `node --cpu-prof` sees the logs hot path.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/tools/profile-logs.mjs [default|keepall|bare] [users] [records]
// `keepall`: `allow: ['*']`, no value scanning, body dropped (the processor's own work: bench/tools/logs-budget.mjs).
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { PrivacyLogRecordProcessor, defaultPolicy, definePolicy } from 'otel-privacy';
import { asyncNoopExporter, logRecordWork, roundOf } from '../lib.mjs';

process.env.OTEL_PRIVACY_HMAC_KEY ??= 'bench-only-fake-hmac-key-0123456789abcdef';
const [variant = 'default', users = '100000', records = '400000'] = process.argv.slice(2);
const exporter = asyncNoopExporter();
const batch = new BatchLogRecordProcessor({ exporter });
const provider = new LoggerProvider({
  processors: [
    variant === 'bare'
      ? batch
      : new PrivacyLogRecordProcessor({
          policy:
            variant === 'keepall'
              ? definePolicy({ version: 1, attributes: { allow: ['*'] }, logs: { body: 'drop' } })
              : defaultPolicy(),
          next: batch,
        }),
  ],
});
const logger = provider.getLogger('bench');
const n = Number(users);
const work = logRecordWork(logger, n);
const round = roundOf(
  { work, flush: () => provider.forceFlush(), exported: () => exporter.exported, perUnit: 1 },
  8000,
);
const t0 = Date.now();
let us = 0;
const rounds = Number(records) / 8000;
for (let r = 0; r < rounds; r++) us += await round();
console.log(`logs ${variant} ${users} users: ${(us / rounds).toFixed(2)} µs/record (${Date.now() - t0} ms)`);
await provider.shutdown();
