import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, loadPolicy } from '../../../index';
import { BloomFilter } from '../../../engine/consent/bloom-filter';
import { decodeKeyText } from '../../../engine/crypto/key-material';
import { Pseudonymizer } from '../../../engine/crypto/pseudonymizer';

// Two documented edges of the consent gate (docs/consent.md), through a real LoggerProvider: a subject key written
// with the engine's `log.body.` prefix finds the subject in a log body map, and subject bytes that are not valid
// UTF-8 are read (as their text with replacement characters, and as bytes) instead of failing the record.
const dir = mkdtempSync(join(tmpdir(), 'consent-gate-body-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = `base64:${Buffer.from('fake-test-hmac-key-bytes-gate-0123456').toString('base64')}`;
process.env.CONSENT_GATE_BODY_HMAC_KEY = KEY;
const filter = BloomFilter.create(16, 0.001, ['k1']);
filter.add(new Pseudonymizer({ id: 'k1', bytes: decodeKeyText(KEY) } as never).pseudonym('fake-user-13'));
writeFileSync(join(dir, 'optout.bloom'), filter.serialize());

function logsThrough(subject: string, emit: (l: ReturnType<LoggerProvider['getLogger']>) => void): unknown[] {
  const file = join(dir, `${subject.replace(/\W/g, '_')}.yaml`);
  writeFileSync(
    file,
    [
      'version: 1',
      'keys:',
      '  hmac: { id: k1, env: CONSENT_GATE_BODY_HMAC_KEY }',
      'attributes:',
      '  allow: [app.*]',
      'consent:',
      `  subject: { attributes: [${subject}] }`,
      '  optOut: { file: optout.bloom }',
      '  action: drop',
    ].join('\n'),
  );
  const policy = loadPolicy(file, { env: '' });
  const logs = new InMemoryLogRecordExporter();
  const logger = new LoggerProvider({
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  }).getLogger('l');
  emit(logger);
  return logs.getFinishedLogRecords().map((r) => r.attributes['app.n']);
}

describe('consent gate: subject key with the log.body. prefix, subject bytes that are not UTF-8', () => {
  it('drop: `log.body.user.id` finds the subject in the body map { user: { id } }', () => {
    const kept = logsThrough('log.body.user.id', (l) => {
      l.emit({ body: { user: { id: 'fake-user-13' } }, attributes: { 'app.n': 1 } });
      l.emit({ body: { user: { id: 'fake-user-7' } }, attributes: { 'app.n': 2 } });
    });
    expect(kept).toEqual([2]);
  });

  it('drop: subject bytes that are not valid UTF-8 are no error: a subject that did not opt out is kept', () => {
    const kept = logsThrough('user.id', (l) => {
      l.emit({
        body: 'x',
        attributes: { 'app.n': 1, 'user.id': new Uint8Array([0xff, 0xfe, 0x66, 0x61, 0x6b, 0x65]) },
      });
      l.emit({ body: 'x', attributes: { 'app.n': 2, 'user.id': new TextEncoder().encode('fake-user-13') } });
    });
    expect(kept).toEqual([1]);
  });
});
