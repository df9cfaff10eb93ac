import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBinary, runCli, testKeys, testdata } from './cli-harness';

// Privacy leaks of `otel-privacy scan` a review found: raw data must never reach --out or the error line.
let bin: string;
const env = testKeys();
const tmp = mkdtempSync(join(tmpdir(), 'otel-privacy-scan-leaks-'));
const policy = join(testdata, 'basic.yaml');
const SECRET = 'leak-canary jane@example.com';

beforeAll(async () => {
  bin = await cliBinary();
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type KV = { key: string; value: Record<string, unknown> };
const str = (key: string, v: string): KV => ({ key, value: { stringValue: v } });
const resourceSpans = (spanAttrs: KV[], scope: Record<string, unknown> = { name: 'manual' }) => [
  {
    resource: { attributes: [str('service.name', 'svc')] },
    scopeSpans: [
      {
        scope,
        spans: [
          {
            traceId: '5b8efff798038103d269b633813fc60c',
            spanId: 'eee19b7ec3c1b174',
            name: 'GET',
            attributes: spanAttrs,
          },
        ],
      },
    ],
  },
];
const resourceLogs = (scope: Record<string, unknown> = { name: 'l' }) => [
  {
    resource: { attributes: [str('service.name', 'svc'), str('secret.resource', SECRET)] },
    scopeLogs: [
      {
        scope,
        logRecords: [
          {
            timeUnixNano: '1',
            severityNumber: 9,
            body: { stringValue: 'hello' },
            attributes: [str('secret.attr', SECRET)],
          },
        ],
      },
    ],
  },
];
const resourceMetrics = (scope: Record<string, unknown> = { name: 'm' }) => [
  {
    resource: { attributes: [str('service.name', 'svc')] },
    scopeMetrics: [
      {
        scope,
        metrics: [{ name: 'x', gauge: { dataPoints: [{ asInt: '1', attributes: [str('secret.attr', SECRET)] }] } }],
      },
    ],
  },
];

/** Runs scan with --out into a fresh directory; returns the run, the output text (or undefined) and the directory. */
async function scan(input: string, extra: string[] = []) {
  const dir = mkdtempSync(join(tmp, 'run-'));
  const out = join(dir, 'out.jsonl');
  const r = await runCli(bin, ['scan', '--policy', policy, '--in', '-', '--out', out, ...extra], { env, input });
  return { r, out: existsSync(out) ? readFileSync(out, 'utf8') : undefined, dir };
}

describe('scan: every top-level key is sanitized or refused (fail closed)', () => {
  it('a request carrying resourceSpans and resourceLogs has both sanitized', async () => {
    const { r, out } = await scan(
      JSON.stringify({ resourceSpans: resourceSpans([str('http.route', '/a')]), resourceLogs: resourceLogs() }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(out).toBeDefined();
    expect(out).not.toContain('jane@example.com');
    const request = JSON.parse(out!);
    expect(request.resourceSpans[0].scopeSpans[0].spans[0].attributes).toEqual([str('http.route', '/a')]);
    expect(request.resourceLogs[0].scopeLogs[0].logRecords[0].attributes).toEqual([]);
    expect(request.resourceLogs[0].resource.attributes.map((a: KV) => a.key)).not.toContain('secret.resource');
  });

  it('all three signals in one request are sanitized', async () => {
    const { r, out } = await scan(
      JSON.stringify({
        resourceMetrics: resourceMetrics(),
        resourceSpans: resourceSpans([str('secret.attr', SECRET)]),
        resourceLogs: resourceLogs(),
      }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(out).not.toContain('leak-canary');
  });

  it('--signal traces refuses a request that also carries resourceLogs: one line, exit 1, no output file', async () => {
    const { r, out, dir } = await scan(
      JSON.stringify({ resourceSpans: resourceSpans([]), resourceLogs: resourceLogs() }),
      ['--signal', 'traces'],
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/\(stdin\):1: .*resourceLogs.*--signal traces/);
    expect(r.stderr).not.toContain('leak-canary');
    expect(out).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unknown top-level key is refused, not copied through: one line, exit 1, no output file', async () => {
    const { r, out, dir } = await scan(
      JSON.stringify({ resourceSpans: resourceSpans([]), resourceProfiles: [{ note: SECRET }] }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/\(stdin\):1: .*unknown top-level field "resourceProfiles"/);
    expect(out).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
    // A key that is itself data is not echoed.
    const odd = await scan(JSON.stringify({ resourceSpans: resourceSpans([]), [SECRET]: 1 }));
    expect(odd.r.code).toBe(1);
    expect(odd.r.stderr).toMatch(/unknown top-level field/);
    expect(odd.r.stderr).not.toContain('leak-canary');
    expect(odd.out).toBeUndefined();
  });
});

describe('scan: a kept value is written as a fresh single-field AnyValue', () => {
  it('extra fields beside the one the engine read are not copied through', async () => {
    const secret64 = Buffer.from(SECRET).toString('base64');
    const { r, out } = await scan(
      JSON.stringify({
        resourceSpans: resourceSpans([
          { key: 'http.route', value: { stringValue: 'fine', bytesValue: secret64 } },
          { key: 'http.response.status_code', value: { intValue: '200', bytesValue: secret64 } },
          { key: 'order.total', value: { doubleValue: 3, kvlistValue: { values: [str('a', SECRET)] }, extra: SECRET } },
          { key: 'note', value: { bytesValue: Buffer.from('fake bytes').toString('base64'), other: SECRET } },
          { key: 'http.request.method', value: { boolValue: true, arrayValue: { values: [{ stringValue: SECRET }] } } },
          { key: 'url.full', value: { unknownField: SECRET } },
          {
            key: 'db.query.text',
            value: { arrayValue: { values: [{ stringValue: 'a', bytesValue: secret64 }], extra: SECRET } },
          },
        ]),
      }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(out).not.toContain(secret64);
    expect(out).not.toContain('leak-canary');
    const attrs = JSON.parse(out!).resourceSpans[0].scopeSpans[0].spans[0].attributes;
    expect(attrs).toEqual([
      { key: 'http.route', value: { stringValue: 'fine' } },
      { key: 'http.response.status_code', value: { intValue: '200' } },
      { key: 'order.total', value: { doubleValue: 3 } },
      { key: 'note', value: { bytesValue: Buffer.from('fake bytes').toString('base64') } },
      { key: 'http.request.method', value: { boolValue: true } },
      { key: 'url.full', value: {} },
      { key: 'db.query.text', value: { arrayValue: { values: [{ stringValue: 'a' }] } } },
    ]);
  });

  it('bytes that are not canonical base64 are written re-encoded, never as the original text', async () => {
    const { r, out } = await scan(
      JSON.stringify({ resourceSpans: resourceSpans([{ key: 'note', value: { bytesValue: 'bob@example.com' } }]) }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(out).not.toContain('bob@example.com');
  });
});

describe('scan: scope attributes go through the signal rules', () => {
  const scope = {
    name: 'manual',
    version: '1.0.0',
    attributes: [str('secret.attr', SECRET), str('http.route', '/kept'), str('user.id', 'fake-user-1')],
  };

  it('traces, metrics and logs: a dropped key is gone, an allowed key kept, a hashed key hashed', async () => {
    const { r, out } = await scan(
      JSON.stringify({
        resourceSpans: resourceSpans([], scope),
        resourceMetrics: resourceMetrics(scope),
        resourceLogs: resourceLogs(scope),
      }),
      ['--json'],
    );
    expect(r.code, r.stderr).toBe(0);
    expect(out).not.toContain('leak-canary');
    expect(out).not.toContain('fake-user-1');
    const request = JSON.parse(out!);
    for (const s of [
      request.resourceSpans[0].scopeSpans[0].scope,
      request.resourceMetrics[0].scopeMetrics[0].scope,
      request.resourceLogs[0].scopeLogs[0].scope,
    ]) {
      expect(s.name).toBe('manual');
      expect(s.version).toBe('1.0.0');
      expect(s.attributes.map((a: KV) => a.key)).toEqual(['http.route', 'user.id']);
      expect(s.attributes[1].value.stringValue).toMatch(/^k1:/);
    }
    const report = JSON.parse(r.stdout);
    const tally = (where: string, key: string) =>
      report.keys.find((k: { where: string; key: string }) => k.where === where && k.key === key);
    expect(tally('traces', '(dropped by default: drop)')).toMatchObject({ dropped: 1 });
  });

  it('a scope attributes value that is not a list is a one-line shape error naming the path', async () => {
    const { r, out } = await scan(
      JSON.stringify({ resourceSpans: resourceSpans([], { name: 'x', attributes: { a: SECRET } }) }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/resourceSpans\[0\]\.scopeSpans\[0\]\.scope\.attributes: expected a list/);
    expect(out).toBeUndefined();
  });
});

describe('scan: a malformed-JSON error never echoes the input', () => {
  it('line-delimited: file:line and column, the kind of error, no excerpt', async () => {
    const inFile = join(tmp, 'in.jsonl');
    const good = JSON.stringify({ resourceSpans: resourceSpans([]) });
    writeFileSync(inFile, `${good}\n${good}\n{"resourceSpans": [], "email": bob@example.com}\n`);
    const r = await runCli(bin, ['scan', '--policy', policy, '--in', inFile], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('bob');
    expect(r.stderr).not.toContain('example');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/in\.jsonl:3: malformed JSON at column 32 \(unexpected character\)$/m);
  });

  it('short lines, unterminated strings and the end of input: the column, never the text', async () => {
    for (const [line, column, kind] of [
      ['{"a": bob}', 7, 'unexpected character'],
      ['{"a": "bob@example.com', 23, 'unterminated string'],
      ['{"a": 1 "bob@example.com"}', 9, "expected ',' or '}' after property value"],
      ['{"a": [x, "bob@example.com and more text after it"]}', 8, 'unexpected character'],
      ['{"a": "long text before the error, and then", "b": bob}', 52, 'unexpected character'],
      ['{"a": "bob"} {"b": "bob@example.com"}', 14, 'unexpected non-whitespace character after JSON'],
    ] as const) {
      const r = await runCli(bin, ['scan', '--policy', policy, '--in', '-'], { env, input: `${line}\n` });
      expect(r.code).toBe(1);
      expect(r.stderr).not.toContain('bob');
      expect(r.stderr).toContain(`(stdin):1: malformed JSON at column ${column} (${kind})`);
    }
  });

  it('one pretty-printed document: the line and column of the error inside it', async () => {
    const inFile = join(tmp, 'in.json');
    writeFileSync(
      inFile,
      '{\n  "resourceSpans": [\n    {"resource": {"attributes": [{"key": "user.email", "value": jane@example.com}]}}\n  ]\n}\n',
    );
    const r = await runCli(bin, ['scan', '--policy', policy, '--in', inFile], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('jane');
    expect(r.stderr).toMatch(/in\.json:3: malformed JSON at column 65 \(unexpected character\)$/m);
  });
});

describe('scan: a card joined to a version in schema URLs and scope versions (default policy)', () => {
  it('no digits of the card are written', async () => {
    const card = '4111111111111111';
    const grouped = '4111 1111 1111 1111';
    const [rs] = resourceSpans([str('error.type', `v2-${card}`)], { name: 'lib', version: `1.0-${grouped}` });
    const scopeSpans = [{ ...rs.scopeSpans[0], schemaUrl: `https://example.com/schemas/1.0-${grouped}` }];
    const request = { resourceSpans: [{ ...rs, scopeSpans, schemaUrl: `https://example.com/schemas/v2-${card}` }] };
    const dir = mkdtempSync(join(tmp, 'run-'));
    const out = join(dir, 'out.jsonl');
    const r = await runCli(
      bin,
      ['scan', '--policy', join(__dirname, '../../policy/default-policy.yaml'), '--in', '-', '--out', out],
      { env, input: JSON.stringify(request) },
    );
    expect(r.code, r.stderr).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(written).toContain('[REDACTED:payment-card]');
    expect(written.replace(/\D/g, '')).not.toMatch(/4111\d*1111\d*1111/);
    expect(written).not.toContain('1111');
  });
});
