import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, loadPolicy } from '../../../index';
import { fakeHmacKey, tempDir, writeOptOut } from './consent-kit';

// consent minimize and scope attributes under user groups, on real span and log providers: which keys are
// identifying, and which scope rules apply, is decided by the item's group's rules, not the base rules.

const KEY = fakeHmacKey('consent-user-groups');
const RATE = 0.000001;
let dir: string;

function policyFile(): string {
  const path = join(dir, 'groups.yaml');
  writeFileSync(
    path,
    `version: 1
keys:
  hmac: { id: k1, env: CONSENT_GROUPS_HMAC }
userGroups:
  attribute: app.tier
  order: [strict, base]
attributes:
  hash: [user.id]
  allow: [app.tier, app.account, app.plan, otel.scope.note]
consent:
  subject: { attributes: [user.id] }
  optOut: { file: groups.bloom, falsePositiveRate: ${RATE} }
  action: minimize
when:
  - userGroup: strict
    attributes:
      hash: [app.account] # identifying for the strict group only
      drop: [otel.scope.note]
`,
  );
  writeOptOut(join(dir, 'groups.bloom'), KEY, ['fake-optout-7'], RATE);
  return path;
}

beforeAll(() => {
  process.env.CONSENT_GROUPS_HMAC = KEY;
  dir = tempDir();
});
afterAll(() => {
  delete process.env.CONSENT_GROUPS_HMAC;
  rmSync(dir, { recursive: true, force: true });
});

describe('consent minimize under a user group', () => {
  it('removes the keys the group’s rules treat as identifying (spans, their children, log records)', async () => {
    const policy = loadPolicy(policyFile());
    const spans = new InMemorySpanExporter();
    const tracing = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
    });
    const logs = new InMemoryLogRecordExporter();
    const logging = new LoggerProvider({
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
    });
    const tracer = tracing.getTracer('consent-groups');
    const logger = logging.getLogger('consent-groups');
    const item = { 'user.id': 'fake-optout-7', 'app.account': 'fake-acct-9', 'app.plan': 'gold' };
    const strict = tracer.startSpan('strict', { attributes: { ...item, 'app.tier': 'strict' } });
    const inStrict = trace.setSpan(ROOT_CONTEXT, strict);
    tracer.startSpan('child', { attributes: { 'app.account': 'fake-acct-9' } }, inStrict).end();
    logger.emit({ body: 'x', attributes: { ...item, 'app.tier': ' Strict' } });
    strict.end();
    // the control: the base rules allow app.account, so minimize keeps it
    tracer.startSpan('base', { attributes: item }).end();
    const out = Object.fromEntries(spans.getFinishedSpans().map((s) => [s.name, s.attributes]));
    expect(out.strict).toEqual({ 'app.plan': 'gold', 'app.tier': 'strict' });
    expect(out.child).toEqual({});
    expect(out.base).toEqual({ 'app.plan': 'gold', 'app.account': 'fake-acct-9' });
    expect(logs.getFinishedLogRecords()[0]!.attributes).toEqual({ 'app.plan': 'gold', 'app.tier': ' Strict' });
    await Promise.all([tracing.shutdown(), logging.shutdown()]);
  });
});

describe('instrumentation scope attributes under a user group', () => {
  it('a logger’s scope attributes get the record’s group’s rules (one sanitized scope per group)', async () => {
    const policy = loadPolicy(policyFile());
    const logs = new InMemoryLogRecordExporter();
    const logging = new LoggerProvider({
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
    });
    const options = { attributes: { 'otel.scope.note': 'fake-scope-note' } };
    const logger = logging.getLogger('scoped', '1', options as Parameters<LoggerProvider['getLogger']>[2]);
    logger.emit({ body: 'strict', attributes: { 'app.tier': 'strict' } });
    logger.emit({ body: 'base' });
    logger.emit({ body: 'strict again', attributes: { 'app.tier': 'STRICT' } });
    const scopes = logs
      .getFinishedLogRecords()
      .map((r) => (r.instrumentationScope as { attributes?: Record<string, unknown> }).attributes);
    expect(scopes).toEqual([{}, { 'otel.scope.note': 'fake-scope-note' }, {}]);
    await logging.shutdown();
  });
});
