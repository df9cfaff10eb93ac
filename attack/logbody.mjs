import { LoggerProvider, InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { defaultPolicy, PrivacyLogRecordProcessor } from '../dist/index.js';
process.env.OTEL_PRIVACY_HMAC_KEY ??= 'base64:' + Buffer.alloc(32, 7).toString('base64');
const lexp = new InMemoryLogRecordExporter();
const lp = new LoggerProvider({ processors: [new PrivacyLogRecordProcessor({ policy: defaultPolicy(), next: new SimpleLogRecordProcessor({ exporter: lexp }) })] });
const l = lp.getLogger('l');
l.emit({ body: 'export written to reports/jane.doe@example.com.2024 for user_202-555-0143 ssn x.123-45-6789 phone: 447700900123' });
await lp.forceFlush(); console.log(JSON.stringify(lexp.getFinishedLogRecords().map((r) => r.body)));
