import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { SeverityNumber, logs } from '@opentelemetry/api';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { pino as createPino } from 'pino';
import { BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_HASH_ATTRIBUTE, definePolicy } from '../../../index';
import { PrivacyLogRecordProcessor } from '../../../processors/logs/privacy-log-record-processor';

const KEY = 'fake-hmac-key-P-for-tests-0123456789abcdef';
const pseudonym = (v: string) =>
  `k1:${createHmac('sha256', KEY).update(v).digest().subarray(0, 16).toString('base64url')}`;

/** Fake PII only: a documentation e-mail, a test card number, a 555 phone number. */
const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';

describe('pino + @opentelemetry/instrumentation-pino log sending → PrivacyLogRecordProcessor → batch → in-memory', () => {
  const exporter = new InMemoryLogRecordExporter();
  const stdout: string[] = [];
  let provider: LoggerProvider;
  let instrumentation: PinoInstrumentation;
  let policyHash = '';

  beforeAll(() => {
    process.env.TEST_PINO_HMAC = KEY;
    const policy = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'TEST_PINO_HMAC' } },
      attributes: {
        allow: ['order', 'order.id', 'order.total', 'user', 'app.card'],
        hash: ['user.id'],
        drop: ['*password*'],
      },
      resource: { allow: ['service.name'] },
      values: { detectors: ['email', 'payment-card', 'phone'] },
    });
    policyHash = policy.hash;
    provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'fake-shop', 'host.name': 'fake-host-01' }),
      processors: [new PrivacyLogRecordProcessor({ policy, next: new BatchLogRecordProcessor({ exporter }) })],
    });
    logs.setGlobalLoggerProvider(provider);
    // Enabled before pino is loaded, so its require hook patches the module.
    instrumentation = new PinoInstrumentation({ disableLogCorrelation: true });
    instrumentation.enable();
  });

  afterAll(async () => {
    instrumentation.disable();
    await provider.shutdown();
    logs.disable();
    delete process.env.TEST_PINO_HMAC;
  });

  it("fake PII in the message and in fields is redacted before the exporter; the app's own stream is untouched", async () => {
    // pino is CommonJS: load it through require so the instrumentation's require hook sees it.
    const pino = createRequire(import.meta.url)('pino') as typeof createPino;
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        stdout.push(chunk.toString());
        cb();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    logger.info(
      {
        order: { id: 'ORD-1', total: 42 },
        user: { id: 'fake-user-1', email: EMAIL },
        'app.card': CARD,
        password: 'hunter2',
        note: 'dropped by default',
      },
      `payment failed for ${EMAIL} with card ${CARD}, call +1 202-555-0143`,
    );
    logger.warn('plain warning');
    await provider.forceFlush();

    const records = exporter.getFinishedLogRecords();
    expect(records.map((r) => r.severityNumber)).toEqual([SeverityNumber.INFO, SeverityNumber.WARN]);
    const [info, warn] = records;
    expect(info!.instrumentationScope.name).toBe('@opentelemetry/instrumentation-pino');
    const body = String(info!.body);
    expect(body).toMatch(/^payment failed for .+ with card .+, call .+$/);
    expect(info!.attributes).toEqual({
      order: { id: 'ORD-1', total: 42 },
      user: { id: pseudonym('fake-user-1') },
      'app.card': expect.any(String),
    });
    expect(info!.attributes['app.card']).not.toContain('4111');
    const exported = JSON.stringify(
      records.map((r) => ({ body: r.body, attributes: r.attributes, resource: r.resource.attributes })),
    );
    for (const raw of [EMAIL, '4111', '555-0143', 'hunter2', 'fake-user-1', 'fake-host-01', 'dropped by default'])
      expect(exported).not.toContain(raw);
    expect(info!.resource.attributes).toEqual({ 'service.name': 'fake-shop', [POLICY_HASH_ATTRIBUTE]: policyHash });
    expect(warn!.body).toBe('plain warning');
    // pino's own destination still gets the raw line: the policy protects telemetry, not the app's stdout.
    expect(stdout.join('')).toContain(EMAIL);
  });
});
