import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, loadPolicy } from '../../../index';
import type { Policy } from '../../../index';
import { fakeHmacKey, tempDir, writeOptOut } from './consent-kit';

// `minimize` masks the subject's identifier however the application wrote it into free text. The spellings are
// derived, not listed: transformation operators (separator swaps, case, percent-encoding; hex and base64/base64url
// of the identifier alone or inside a longer encoded payload) composed by fast-check over identifiers with
// separators, placed in a span name, attributes and a log body. After export, every hex or base64 run of the output
// is decoded too, and the identifier must be in none of it.

const KEY = fakeHmacKey('consent-subject-encodings');
const SUBJECTS = ['fake-user-13', 'fake.person+x@example.test', 'Fake Person 4711', 'fake_acct:0042-zz'];
const SEPARATORS = ['-', '_', '.', ':', '+', ' ', '~', ''];
let dir: string;
let policy: Policy;

beforeAll(() => {
  process.env.CONSENT_ENCODINGS_HMAC = KEY;
  dir = tempDir();
  writeOptOut(join(dir, 'optout.bloom'), KEY, SUBJECTS, 0.000001);
  const path = join(dir, 'minimize.yaml');
  writeFileSync(
    path,
    `version: 1
keys:
  hmac: { id: k1, env: CONSENT_ENCODINGS_HMAC }
attributes:
  hash: [user.id]
  allow: [app.note, app.token, url.path]
consent:
  subject: { attributes: [user.id] }
  optOut: { file: optout.bloom, falsePositiveRate: 0.000001 }
  action: minimize
`,
  );
  policy = loadPolicy(path);
});
afterAll(() => {
  delete process.env.CONSENT_ENCODINGS_HMAC;
  rmSync(dir, { recursive: true, force: true });
});

/** Text operators: each separator of the identifier replaced by one of `SEPARATORS`, case, percent-encoding. */
const textual = (id: string) =>
  fc
    .tuple(
      fc.array(fc.constantFrom(...SEPARATORS), { minLength: 8, maxLength: 8 }),
      fc.constantFrom<(s: string) => string>(
        (s) => s,
        (s) => s.toUpperCase(),
        (s) => s.toLowerCase(),
      ),
      fc.constantFrom<(s: string) => string>(
        (s) => s,
        (s) => encodeURIComponent(s),
        (s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
      ),
    )
    .map(([seps, kase, pct]) => {
      let n = 0;
      return pct(kase(id.replace(/[-_.:+ ~]/g, () => seps[n++ % seps.length])));
    });

/** Binary operators: hex or base64/base64url of the identifier, alone or inside a payload at any byte offset. */
const binary = (id: string) =>
  fc
    .tuple(
      fc.string({ maxLength: 5 }),
      fc.string({ maxLength: 5 }),
      fc.constantFrom<(b: Buffer) => string>(
        (b) => b.toString('hex'),
        (b) => b.toString('hex').toUpperCase(),
        (b) => b.toString('base64'),
        (b) => b.toString('base64url'),
        (b) => b.toString('base64').replace(/=+$/, ''),
      ),
    )
    .map(([before, after, encode]) => encode(Buffer.from(`${before}{"user":"${id}"}${after}`, 'utf8')));

/** Where the spelling goes: span name, attributes, log body. */
function emit(spelling: string, id: string) {
  const spans = new InMemorySpanExporter();
  const tracing = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  const logs = new InMemoryLogRecordExporter();
  const logging = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  });
  tracing
    .getTracer('t')
    .startSpan(`GET /u/${spelling}`, {
      attributes: {
        'user.id': id,
        'app.note': `for ${spelling}.`,
        'app.token': spelling,
        'url.path': `/u/${spelling}`,
      },
    })
    .end();
  logging.getLogger('l').emit({ body: `session ${spelling} opened`, attributes: { 'user.id': id } });
  return [
    Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString(),
    Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!).toString(),
  ].join('\n');
}

/** The exported text, plus every hex and base64 run in it decoded. */
function decodedViews(json: string): string {
  const views = [json];
  for (const run of json.match(/[0-9a-f]{12,}/gi) ?? []) views.push(Buffer.from(run, 'hex').toString('latin1'));
  for (const run of json.match(/[A-Za-z0-9+/_-]{8,}={0,2}/g) ?? [])
    for (let cut = 0; cut < 4; cut++) views.push(Buffer.from(run.slice(cut), 'base64').toString('latin1'));
  return views.join('\n');
}

/** The identifier reduced to its letters and digits, lower case: what must not appear in any view. */
const core = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

describe('consent minimize: derived spellings of the identifier', () => {
  it('separator swaps, case and percent-encoding of the identifier are masked everywhere', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SUBJECTS).chain((id) => fc.tuple(fc.constant(id), textual(id))),
        ([id, spelling]) => {
          const json = emit(spelling, id);
          expect(json).toContain('[REDACTED:subject]');
          expect(core(decodeURIComponent(json.replace(/%(?![0-9a-f]{2})/gi, '%25')))).not.toContain(core(id));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('hex and base64/base64url of the identifier, also inside a longer payload, are masked', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SUBJECTS).chain((id) => fc.tuple(fc.constant(id), binary(id))),
        ([id, spelling]) => {
          const json = emit(spelling, id);
          expect(json).toContain('[REDACTED:subject]');
          expect(decodedViews(json)).not.toContain(id);
        },
      ),
      { numRuns: 60 },
    );
  });
});
