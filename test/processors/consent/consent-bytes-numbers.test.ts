import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, loadPolicy } from '../../../index';
import { BloomFilter } from '../../../engine/consent/bloom-filter';
import { decodeKeyText } from '../../../engine/crypto/key-material';
import { withoutIdsAndTimes } from '../../assurance/helpers/outside-attack';
import { Pseudonymizer } from '../../../engine/crypto/pseudonymizer';

// A subject identifier the application records as bytes (a Uint8Array of its UTF-8) or as a number: the opted-out
// subject must be recognized (drop) and its value must not be exported anywhere in a minimized item, numbers included.
const dir = mkdtempSync(join(tmpdir(), 'consent-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = `base64:${Buffer.from('fake-test-hmac-key-bytes-0123456789ab').toString('base64')}`;
process.env.CONSENT_BYTES_HMAC_KEY = KEY;
const OPTED_OUT = ['fake-user-13', '40713'];
const filter = BloomFilter.create(16, 0.001, ['k1']);
const pseudonymizer = new Pseudonymizer({ id: 'k1', bytes: decodeKeyText(KEY) } as never);
for (const id of OPTED_OUT) filter.add(pseudonymizer.pseudonym(id));
writeFileSync(join(dir, 'optout.bloom'), filter.serialize());

function policyFor(action: 'drop' | 'minimize') {
  const file = join(dir, `${action}.yaml`);
  writeFileSync(
    file,
    [
      'version: 1',
      'keys:',
      '  hmac: { id: k1, env: CONSENT_BYTES_HMAC_KEY }',
      'attributes:',
      '  hash: [user.id]',
      '  allow: [app.*]',
      'consent:',
      '  subject: { attributes: [user.id] }',
      '  optOut: { file: optout.bloom }',
      `  action: ${action}`,
    ].join('\n'),
  );
  return loadPolicy(file, { env: '' });
}

function run(
  action: 'drop' | 'minimize',
  emit: (t: ReturnType<TracerProvider['getTracer']>, l: ReturnType<LoggerProvider['getLogger']>) => void,
) {
  const policy = policyFor(action);
  const spans = new InMemorySpanExporter();
  const logs = new InMemoryLogRecordExporter();
  const tracer = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  }).getTracer('t');
  const logger = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  }).getLogger('l');
  emit(tracer, logger);
  const json = [
    new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())),
    new TextDecoder().decode(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())),
  ].join('\n');
  return { json, spans: spans.getFinishedSpans(), logs: logs.getFinishedLogRecords() };
}

const bytes = (s: string) => new TextEncoder().encode(s);
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('consent: subject identifiers as bytes and numbers', () => {
  it('drop: a subject key holding the identifier as UTF-8 bytes is the subject (log records; spans take no bytes)', () => {
    const out = run('drop', (_t, l) => {
      l.emit({ body: 'x', attributes: { 'user.id': bytes('fake-user-13') } });
      l.emit({ body: 'kept', attributes: { 'user.id': bytes('fake-user-7') } });
    });
    expect(out.logs.map((r) => r.body)).toEqual(['kept']);
  });

  it('minimize: the bytes identifier is masked in the text of the item', () => {
    const out = run('minimize', (_t, l) => {
      l.emit({
        body: 'FAKE-USER-13 did x',
        attributes: { 'user.id': bytes('fake-user-13'), 'app.note': 'for fake-user-13' },
      });
    });
    expect(out.logs).toHaveLength(1);
    expect(out.json).not.toMatch(/fake-user-13/i);
    expect(out.json).not.toContain(b64('fake-user-13'));
  });

  it('minimize: the identifier percent-encoded in any form (unreserved characters too, any hex case, mixed)', () => {
    const forms = ['fake%2Duser%2D13', '%66%61%6B%65%2d%75%73%65%72%2d%31%33', 'fake-user%2d13', 'FAKE%2DUSER-13'];
    const out = run('minimize', (_t, l) => {
      for (const f of forms)
        l.emit({ body: `GET /u/${f}/orders`, attributes: { 'user.id': 'fake-user-13', 'app.url': f } });
    });
    expect(out.logs).toHaveLength(forms.length);
    for (const r of out.logs) expect(r.body).toBe('GET /u/[REDACTED:subject]/orders');
    expect(out.json).not.toMatch(/user(%2d|-)13|%31%33/i);
  });

  it('minimize: the identifier in the spellings the value scanner normalizes (fullwidth, invisibles, dashes, escapes, entities)', () => {
    const forms = [
      'ｆａｋｅ－ｕｓｅｒ－１３', // fullwidth
      'fake-us\u200ber-13', // zero-width space inside
      'fake-us\u00ader-13', // soft hyphen inside
      'fake\u2013user\u201113', // typographic dashes
      'fake\\u002duser\\u002d13', // JSON escape written into the text
      'fake&#45;user&#x2d;13', // HTML references
    ];
    const out = run('minimize', (_t, l) => {
      for (const f of forms)
        l.emit({ body: `lookup ${f} done`, attributes: { 'user.id': 'fake-user-13', 'app.note': f } });
    });
    expect(out.logs).toHaveLength(forms.length);
    for (const r of out.logs) {
      expect(r.body).toBe('lookup [REDACTED:subject] done');
      expect(r.attributes['app.note']).toBe('[REDACTED:subject]');
    }
  });

  it('minimize: a numeric identifier is removed from number attributes, arrays and maps too', () => {
    const out = run('minimize', (t, l) => {
      t.startSpan('s', { attributes: { 'user.id': 40713, 'app.num': 40713, 'app.nums': [1, 40713] } }).end();
      l.emit({
        body: { customer: 40713 },
        attributes: { 'user.id': '40713', 'app.num': 40713, 'app.big': 40713n as never },
      });
    });
    expect(out.spans).toHaveLength(1);
    expect(out.logs).toHaveLength(1);
    expect(withoutIdsAndTimes(out.json)).not.toContain('40713');
  });
});
