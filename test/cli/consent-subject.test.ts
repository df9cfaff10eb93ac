import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, loadPolicy } from '../../index';
import { cliBinary, runCli, testKeys } from './cli-harness';

const keys = testKeys();
const hmac = Buffer.from(keys.OTEL_PRIVACY_HMAC_KEY.slice('base64:'.length), 'base64');
const pseudonym = (v: string) =>
  `k1:${createHmac('sha256', hmac).update(v).digest().subarray(0, 16).toString('base64url')}`;
let bin: string;
let dir: string;
let policyPath: string;

beforeAll(async () => {
  bin = await cliBinary();
  dir = mkdtempSync(join(tmpdir(), 'otel-privacy-cli-consent-'));
  policyPath = join(dir, 'privacy.yaml');
  writeFileSync(
    policyPath,
    `version: 1
keys:
  hmac: { id: k1, env: OTEL_PRIVACY_HMAC_KEY }
  encryption: { id: e1, env: OTEL_PRIVACY_ENC_KEY }
attributes:
  hash: [user.id, "session.*"]
  encrypt: [user.email]
  allow: [app.plan]
consent:
  subject: { attributes: [user.id] }
  optOut: { file: optout.bloom, falsePositiveRate: 0.001 }
`,
  );
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
  delete process.env.OTEL_PRIVACY_ENC_KEY;
});

const env = { ...keys };

describe('otel-privacy consent build', () => {
  it('builds the filter from raw ids and pseudonyms; the policy then loads it and finds every one', async () => {
    const raw = Array.from({ length: 3000 }, (_, i) => `fake-cli-user-${i}`);
    const given = Array.from({ length: 1000 }, (_, i) => pseudonym(`fake-cli-pseudo-${i}`));
    const list = join(dir, 'ids.txt');
    writeFileSync(list, `# opted out\n${raw.join('\n')}\n\n${given.join('\r\n')}\n`);
    const r = await runCli(
      bin,
      ['consent', 'build', '--policy', policyPath, '--in', list, '--out', join(dir, 'optout.bloom'), '--json'],
      { env },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ entries: 4000, bound: 0.001, keyIds: ['k1'] });
    expect(summary.expectedFalsePositiveRate as number).toBeLessThanOrEqual(0.001);
    expect(r.stdout).not.toContain('fake-cli-user');
    process.env.OTEL_PRIVACY_HMAC_KEY = keys.OTEL_PRIVACY_HMAC_KEY;
    process.env.OTEL_PRIVACY_ENC_KEY = keys.OTEL_PRIVACY_ENC_KEY;
    const gate = loadPolicy(policyPath).compiled.consent!;
    expect(raw.filter((id) => !gate.optedOut(id))).toEqual([]);
    expect(Array.from({ length: 1000 }, (_, i) => `fake-cli-pseudo-${i}`).filter((id) => !gate.optedOut(id))).toEqual(
      [],
    );
    // from standard input, plain output
    const piped = await runCli(
      bin,
      ['consent', 'build', '--policy', policyPath, '--in', '-', '--out', join(dir, 'piped.bloom')],
      {
        env,
        input: 'fake-stdin-user\n',
      },
    );
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(
      /^wrote .*piped\.bloom: 1 pseudonyms \(key k1\), \d+ bits, \d+ hashes, \d+ bytes; expected false-positive rate [\d.e-]+ \(bound 0\.001\)\n$/,
    );
  });

  it('refuses a pseudonym of another key id with the line, and bad options with a usage error', async () => {
    const list = join(dir, 'bad.txt');
    writeFileSync(list, `fake-user-a\nk9:${'A'.repeat(22)}\n`);
    const r = await runCli(
      bin,
      ['consent', 'build', '--policy', policyPath, '--in', list, '--out', join(dir, 'bad.bloom')],
      { env },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `otel-privacy consent build: ${list}:2: not a pseudonym of the policy's key id(s) k1 (expected <keyId>:<22 base64url characters>)\n`,
    );
    const u = await runCli(
      bin,
      ['consent', 'build', '--policy', policyPath, '--in', list, '--out', 'x', '--input', 'guess'],
      { env },
    );
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--input must be auto, raw or pseudonyms, got "guess"/);
    const missing = await runCli(
      bin,
      ['consent', 'build', '--policy', policyPath, '--in', join(dir, 'absent.txt'), '--out', 'x'],
      { env },
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*absent\.txt: ENOENT/);
  });
});

describe('otel-privacy subject', () => {
  it('prints the pseudonym per key id, the keys it appears under, and find/erase queries', async () => {
    const r = await runCli(bin, ['subject', 'fake-subject-4711', '--policy', policyPath, '--json'], { env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      pseudonyms: unknown;
      identifierKeys: string[];
      queries: { keyId: string; queries: Record<string, string> }[];
    };
    expect(out.pseudonyms).toEqual([{ keyId: 'k1', pseudonym: pseudonym('fake-subject-4711') }]);
    expect(out.identifierKeys).toEqual(['user.id']);
    const texts = Object.values(out.queries[0]!.queries);
    expect(texts.every((t) => t.includes(pseudonym('fake-subject-4711')))).toBe(true);
    expect(texts.some((t) => /DELETE/.test(t))).toBe(true);
    const plain = await runCli(bin, ['subject', 'fake-subject-4711', '--policy', policyPath], { env });
    expect(plain.stdout).toContain(`  k1           ${pseudonym('fake-subject-4711')}\n`);
  });

  /** Two subjects' spans and log records through real providers, exported as OTLP/JSON lines. */
  async function writeExport(): Promise<string> {
    process.env.OTEL_PRIVACY_HMAC_KEY = keys.OTEL_PRIVACY_HMAC_KEY;
    process.env.OTEL_PRIVACY_ENC_KEY = keys.OTEL_PRIVACY_ENC_KEY;
    writeFileSync(join(dir, 'optout.bloom'), readFileSync(join(dir, 'piped.bloom')));
    const policy = loadPolicy(policyPath);
    const spans = new InMemorySpanExporter();
    const tp = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
    });
    const logs = new InMemoryLogRecordExporter();
    const lp = new LoggerProvider({
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
    });
    const tracer = tp.getTracer('fake');
    for (const [user, email] of [
      ['fake-subject-a', 'subject.a@example.com'],
      ['fake-subject-b', 'subject.b@example.com'],
    ]) {
      tracer
        .startSpan('GET /me', { attributes: { 'user.id': user, 'user.email': email, 'app.plan': 'fake-gold' } })
        .end();
      lp.getLogger('fake').emit({ body: 'x', attributes: { 'user.id': user, 'user.email': email } });
    }
    const file = join(dir, 'export.jsonl');
    writeFileSync(
      file,
      `${Buffer.from(JsonTraceSerializer.serializeRequest(spans.getFinishedSpans())!).toString('utf8')}\n${Buffer.from(JsonLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!).toString('utf8')}\n`,
    );
    await tp.shutdown();
    await lp.shutdown();
    return file;
  }

  it('--decrypt finds the subject in an OTLP JSON export and decrypts only its encrypted fields', async () => {
    const file = await writeExport();
    expect(readFileSync(file, 'utf8')).not.toContain('subject.a@example.com'); // encrypted in the export
    const r = await runCli(bin, ['subject', 'fake-subject-a', '--policy', policyPath, '--decrypt', file, '--json'], {
      env,
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { matches: unknown; fields: { signal: string; key: string; value: string }[] };
    expect(out.matches).toEqual({ traces: 1, logs: 1, metrics: 0 });
    expect(out.fields.map((f) => [f.signal, f.key, f.value])).toEqual([
      ['traces', 'user.email', 'subject.a@example.com'],
      ['logs', 'user.email', 'subject.a@example.com'],
    ]);
    expect(r.stdout).not.toContain('subject.b@example.com');
    // another encryption key: reported per field, exit code 1, nothing decrypted
    const wrong = await runCli(bin, ['subject', 'fake-subject-a', '--policy', policyPath, '--decrypt', file], {
      env: { ...env, OTEL_PRIVACY_ENC_KEY: testKeys().OTEL_PRIVACY_ENC_KEY },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/user\.email = \(not decrypted: encryption token failed authentication/);
    expect(wrong.stdout).not.toContain('subject.a@example.com');
  });

  it("refuses another subject's pseudonym or token as the identifier: nothing of theirs is decrypted", async () => {
    const file = await writeExport();
    const exported = readFileSync(file, 'utf8');
    const victim = pseudonym('fake-subject-b');
    expect(exported).toContain(victim); // visible in the backend under the hashed key
    const token = /"(enc:v1:[^"]+)"/.exec(exported)![1]!;
    for (const identifier of [victim, `k9:${victim.slice(3)}`, token])
      for (const decrypt of [[], ['--decrypt', file]]) {
        const r = await runCli(bin, ['subject', identifier, '--policy', policyPath, ...decrypt], { env });
        expect(r.code, identifier).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(/identifier .*(pseudonym|token)/);
        expect(r.stderr).not.toContain('subject.b@example.com');
      }
  });
});
