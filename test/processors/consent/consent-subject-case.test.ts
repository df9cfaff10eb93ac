import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentBuildCommand } from '../../../cli/commands/consent-build';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, loadPolicy } from '../../../index';
import type { Policy } from '../../../index';
import { fuzzParameters } from '../../assurance/fuzz-runs';
import { fakeHmacKey } from './consent-kit';

// A subject's identifier written in another case than the opt-out list has it (`Jane.Doe@Example.com` listed,
// `jane.doe@example.com` in the telemetry, or `FAKE-USER-13` for `fake-user-13`): the subject opted out all the same.
// The filter is built by `consent build` from raw identifiers; spans and log records go through real providers with
// the consent action `drop`, and nothing of the subject may be exported.

const KEY = fakeHmacKey('consent-subject-case');
let dir: string;
let policy: Policy;

/** Obviously fake identifiers in mixed case: e-mail addresses, user names with a number, account codes. */
const subject = fc.oneof(
  fc
    .tuple(fc.constantFrom('Jane', 'Max', 'Ana'), fc.constantFrom('Doe', 'Roe'), fc.integer({ min: 1, max: 9999 }))
    .map(([a, b, n]) => `${a}.${b}${n}@Example.com`),
  fc.integer({ min: 1, max: 99999 }).map((n) => `Fake-User-${n}`),
  fc.integer({ min: 1, max: 99999 }).map((n) => `ACCT-${n}-zq`),
);
/** How the identifier is written, in the opt-out list or in the telemetry (case operators). */
const casing = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toLowerCase(),
  (s: string) => s.toUpperCase(),
  (s: string) => [...s].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join(''),
);

const listed: string[] = [];
beforeAll(async () => {
  process.env.CONSENT_CASE_HMAC = KEY;
  dir = mkdtempSync(join(tmpdir(), 'otel-privacy-consent-case-'));
  writeFileSync(
    join(dir, 'privacy.yaml'),
    `version: 1
keys:
  hmac: { id: k1, env: CONSENT_CASE_HMAC }
attributes:
  hash: [user.id]
  allow: [app.plan]
logs:
  attributes:
    allow: [log.body]
consent:
  subject: { attributes: [user.id] }
  optOut: { file: optout.bloom, falsePositiveRate: 0.001 }
  action: drop
`,
  );
  // the list: generated subjects, each written in one of the case forms
  const samples = fc.sample(fc.tuple(subject, casing), { numRuns: 300, seed: 20261206 });
  for (const [s, c] of samples) listed.push(c(s));
  writeFileSync(join(dir, 'ids.txt'), `${listed.join('\n')}\n`);
  const err = new PassThrough();
  let stderr = '';
  err.on('data', (c) => (stderr += String(c)));
  const code = await consentBuildCommand.run(
    ['--policy', join(dir, 'privacy.yaml'), '--in', join(dir, 'ids.txt'), '--out', join(dir, 'optout.bloom')],
    { stdin: new PassThrough(), stdout: new PassThrough(), stderr: err },
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
  policy = loadPolicy(join(dir, 'privacy.yaml'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.CONSENT_CASE_HMAC;
});

async function exported(id: string): Promise<string> {
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  const tracing = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  const logging = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  });
  tracing
    .getTracer('case')
    .startSpan('checkout', { attributes: { 'user.id': id, 'app.plan': 'gold' } })
    .end();
  logging.getLogger('case').emit({ body: 'checkout done', attributes: { 'user.id': id, 'app.plan': 'gold' } });
  await Promise.all([tracing.forceFlush(), logging.forceFlush()]);
  const out =
    Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString() +
    Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!).toString();
  await Promise.all([tracing.shutdown(), logging.shutdown()]);
  return out;
}

describe('consent: a subject identifier in another case than the opt-out list', () => {
  it('an opted-out subject written in any case is not exported (spans and log records)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...listed), casing, async (id, c) => {
        const out = await exported(c(id));
        expect(out, `${id} written ${c(id)}`).not.toContain('checkout');
      }),
      fuzzParameters(60),
    );
  });

  it('a subject not on the list is exported (pseudonymized)', async () => {
    const out = await exported('Fake-Opted-In-Subject-77');
    expect(out).toContain('checkout');
    expect(out).not.toContain('Fake-Opted-In-Subject-77');
  });
});
