import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliBinary, runCli, testKeys, testdata } from './cli-harness';

let bin: string;
const env = testKeys();
const tmp = mkdtempSync(join(tmpdir(), 'otel-privacy-cli-'));
const fixture = (name: string) => join(testdata, name);

beforeAll(async () => {
  bin = await cliBinary();
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('otel-privacy (dispatcher)', () => {
  it('without a command prints the usage and exits 2; --help lists every command and exits 0', async () => {
    const none = await runCli(bin, []);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no command given/);
    const help = await runCli(bin, ['--help']);
    expect(help.code).toBe(0);
    for (const c of [
      'validate',
      'scan',
      'explain',
      'keygen',
      'decrypt',
      'collector-config',
      'audit verify',
      'spool inspect',
      'spool purge',
    ])
      expect(help.stdout).toContain(c);
  });

  it('an unknown command or option is a one-line usage error (exit 2), never a stack trace', async () => {
    const unknown = await runCli(bin, ['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const option = await runCli(bin, ['validate', '--frob', fixture('basic.yaml')]);
    expect(option.code).toBe(2);
    expect(option.stderr.split('\n')[0]).toMatch(/^otel-privacy validate: Unknown option '--frob'/);
    const missing = await runCli(bin, ['scan', '--in', 'x.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--policy is required/);
    for (const r of [unknown, option, missing]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('every command answers --help with exit 0', async () => {
    for (const c of [
      ['validate'],
      ['scan'],
      ['explain'],
      ['keygen'],
      ['decrypt'],
      ['collector-config'],
      ['audit', 'verify'],
    ]) {
      const r = await runCli(bin, [...c, '--help']);
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.stdout, c.join(' ')).toMatch(new RegExp(`^usage: otel-privacy ${c.join(' ')}`));
    }
  });
});

describe('otel-privacy validate', () => {
  it('a clean policy: exit 0 and its hash', async () => {
    const r = await runCli(bin, ['validate', fixture('basic.yaml')], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^basic\.yaml: ok \(policy hash [0-9a-f]{16}\)$/m);
  });

  it('schema errors name file:line and path; exit 1', async () => {
    const r = await runCli(bin, ['validate', fixture('invalid.yaml')], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('invalid.yaml:4: error: attributes.hash[1]: expected a string');
    expect(r.stdout).toContain('invalid.yaml:5: error: attributes.defualt: unknown key "defualt"');
    const json = JSON.parse((await runCli(bin, ['validate', '--json', fixture('invalid.yaml')], { env })).stdout);
    expect(json.ok).toBe(false);
    expect(json.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'invalid.yaml', line: 4, path: 'attributes.hash[1]' })]),
    );
  });

  it('lint warnings: match-everything allow, allowed and hashed, never-matching glob, default mask without rules, dead sanitizer key; exit 1', async () => {
    const r = await runCli(bin, ['validate', '--json', fixture('lint-warnings.yaml')], { env });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.errors).toEqual([]);
    const byPath = Object.fromEntries(
      json.warnings.map((w: { path: string; message: string; line: number }) => [w.path, w]),
    );
    expect(byPath['resource.allow[0]'].message).toMatch(/matches every key/);
    expect(byPath['resource.allow[0]'].line).toBe(12);
    expect(byPath['traces.attributes.allow[0]'].message).toMatch(/allowed and also hashed/);
    expect(byPath['traces.attributes.allow[1]'].message).toMatch(/can never match a semantic-convention key/);
    expect(byPath['attributes.default'].message).toMatch(/every attribute is masked/);
    expect(byPath['sanitizers.sql.attributes[0]'].message).toMatch(/never reaches the statement sanitizer/);
    expect(json.warnings).toHaveLength(5);
  });

  it('minimization: allowed keys named like times are warned about unless values.timestamps coarsens them', async () => {
    const r = await runCli(bin, ['validate', '--json', fixture('time-keys.yaml')], { env });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.warnings.map((w: { path: string; line: number }) => [w.path, w.line])).toEqual([
      ['attributes.allow[0]', 5],
      ['logs.attributes.allow[0]', 10],
    ]);
    expect(json.warnings[0].message).toMatch(/"app\.created_at" looks like a time: .*values\.timestamps: coarsen/);
    const coarse = await runCli(bin, ['validate', fixture('time-keys-coarsen.yaml')], { env });
    expect(coarse.stdout).not.toContain('warning');
    expect(coarse.code).toBe(0);
  });

  it('keys: a missing variable is an error, --ignore-missing-keys checks with a throwaway key, a short key is an error, a raw-text key a warning', async () => {
    const noKey = { OTEL_PRIVACY_HMAC_KEY: '', OTEL_PRIVACY_ENC_KEY: env.OTEL_PRIVACY_ENC_KEY };
    const missing = await runCli(bin, ['validate', fixture('basic.yaml')], { env: noKey });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(
      /basic\.yaml:5: error: keys\.hmac\.env: environment variable OTEL_PRIVACY_HMAC_KEY is not set/,
    );
    const ignored = await runCli(bin, ['validate', '--ignore-missing-keys', fixture('basic.yaml')], { env: noKey });
    expect(ignored.code).toBe(0);
    expect(ignored.stderr).toMatch(/OTEL_PRIVACY_HMAC_KEY is not set; checked with a throwaway key/);
    const short = await runCli(bin, ['validate', fixture('basic.yaml')], {
      env: { ...env, OTEL_PRIVACY_HMAC_KEY: 'fake-short-key' },
    });
    expect(short.code).toBe(1);
    expect(short.stdout).toMatch(/holds 14 bytes; an HMAC key needs at least 32/);
    const raw = await runCli(bin, ['validate', fixture('basic.yaml')], {
      env: { ...env, OTEL_PRIVACY_HMAC_KEY: 'a-long-but-memorable-fake-secret-for-tests' },
    });
    expect(raw.code).toBe(1);
    expect(raw.stdout).toMatch(/warning: keys\.hmac\.env: the hmac key is raw text/);
  });

  it('a missing file is one line and exit 1', async () => {
    const r = await runCli(bin, ['validate', join(tmp, 'nope.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/cannot read policy file .*nope\.yaml: ENOENT/);
  });
});

describe('otel-privacy explain', () => {
  it('names the deciding rule and the rules it beat, per signal and scope', async () => {
    const metrics = await runCli(
      bin,
      ['explain', '--policy', fixture('globs.yaml'), '--signal', 'metrics', 'http.route'],
      { env },
    );
    expect(metrics.code).toBe(0);
    expect(metrics.stdout).toMatch(/decision: drop, by drop "http\.route"/);
    expect(metrics.stdout).toMatch(/allow "http\.\*" \(your policy\) \(loses\)/);
    const traces = JSON.parse(
      (await runCli(bin, ['explain', '--json', '--policy', fixture('globs.yaml'), 'http.route'], { env })).stdout,
    );
    expect(traces).toMatchObject({ action: 'allow', rule: 'allow "http.*"', ruleSet: 'traces' });
    const scoped = JSON.parse(
      (
        await runCli(
          bin,
          [
            'explain',
            '--json',
            '--policy',
            fixture('globs.yaml'),
            '--scope',
            '@opentelemetry/instrumentation-pg',
            'db.statement',
          ],
          { env },
        )
      ).stdout,
    );
    expect(scoped).toMatchObject({
      action: 'allow',
      rule: 'allow "db.*"',
      ruleSet: 'traces @opentelemetry/instrumentation-pg',
    });
    const unscoped = JSON.parse(
      (await runCli(bin, ['explain', '--json', '--policy', fixture('globs.yaml'), 'db.statement'], { env })).stdout,
    );
    expect(unscoped).toMatchObject({ action: 'mask', rule: 'default: mask', matches: [] });
    const resource = JSON.parse(
      (
        await runCli(
          bin,
          ['explain', '--json', '--policy', fixture('basic.yaml'), '--signal', 'resource', 'host.name'],
          { env },
        )
      ).stdout,
    );
    expect(resource).toMatchObject({ action: 'hash', rule: 'hash "host.name"' });
    const url = await runCli(bin, ['explain', '--policy', fixture('basic.yaml'), 'url.full'], { env });
    expect(url.stdout).toMatch(/URL sanitizer/);
  });

  it('usage errors: no key, bad signal (exit 2); a bad policy (exit 1)', async () => {
    expect((await runCli(bin, ['explain', '--policy', fixture('basic.yaml')], { env })).code).toBe(2);
    expect(
      (await runCli(bin, ['explain', '--policy', fixture('basic.yaml'), '--signal', 'spans', 'x'], { env })).code,
    ).toBe(2);
    const bad = await runCli(bin, ['explain', '--policy', fixture('invalid.yaml'), 'x'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'otel-privacy explain: invalid policy: invalid.yaml:4 attributes.hash[1]: expected a string (and 1 more)',
    );
  });
});

describe('otel-privacy keygen and decrypt', () => {
  it('keygen prints keys a policy accepts; --json; a bad --type is a usage error', async () => {
    const hmac = await runCli(bin, ['keygen']);
    expect(hmac.code).toBe(0);
    expect(hmac.stdout).toMatch(/^base64:[A-Za-z0-9+/]{43}=\n$/);
    const enc = JSON.parse((await runCli(bin, ['keygen', '--type', 'encryption', '--json'])).stdout);
    expect(enc).toMatchObject({ type: 'encryption', bytes: 32 });
    expect(Buffer.from(enc.key.slice(7), 'base64')).toHaveLength(32);
    expect(hmac.stdout).not.toBe((await runCli(bin, ['keygen'])).stdout);
    // The generated keys load: validate with them passes (no raw-text warning, no length error).
    const v = await runCli(bin, ['validate', fixture('basic.yaml')], {
      env: { OTEL_PRIVACY_HMAC_KEY: hmac.stdout.trim(), OTEL_PRIVACY_ENC_KEY: enc.key },
    });
    expect(v.code).toBe(0);
    expect((await runCli(bin, ['keygen', '--type', 'rsa'])).code).toBe(2);
  });

  it('decrypt recovers what scan encrypted, from env: or a key file; wrong attribute or key fails with exit 1', async () => {
    const input = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [] },
          scopeSpans: [
            {
              scope: { name: 't' },
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  name: 'GET',
                  attributes: [{ key: 'user.email', value: { stringValue: 'jane.doe@example.com' } }],
                },
              ],
            },
          ],
        },
      ],
    });
    const scan = await runCli(bin, ['scan', '--policy', fixture('basic.yaml'), '--in', '-', '--out', '-'], {
      env,
      input,
    });
    expect(scan.code).toBe(0);
    const token = JSON.parse(scan.stdout).resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value
      .stringValue as string;
    expect(token).toMatch(/^enc:v1:e1:/);
    const viaEnv = await runCli(
      bin,
      ['decrypt', '--key', 'env:OTEL_PRIVACY_ENC_KEY', '--attribute', 'user.email', token],
      { env },
    );
    expect(viaEnv).toMatchObject({ code: 0, stdout: 'jane.doe@example.com\n' });
    const keyFile = join(tmp, 'enc.key');
    writeFileSync(keyFile, `${env.OTEL_PRIVACY_ENC_KEY}\n`, { mode: 0o600 });
    const viaFile = JSON.parse(
      (await runCli(bin, ['decrypt', '--json', '--key', keyFile, '--attribute', 'user.email', token])).stdout,
    );
    expect(viaFile).toEqual([{ token, value: 'jane.doe@example.com' }]);
    const wrongAttr = await runCli(bin, ['decrypt', '--key', keyFile, '--attribute', 'note', token]);
    expect(wrongAttr.code).toBe(1);
    expect(wrongAttr.stderr).toMatch(/token 1: encryption token failed authentication/);
    const wrongKey = await runCli(bin, ['decrypt', '--key', 'env:OTHER', '--attribute', 'user.email', token], {
      env: { OTHER: testKeys().OTEL_PRIVACY_ENC_KEY },
    });
    expect(wrongKey.code).toBe(1);
    expect((await runCli(bin, ['decrypt', '--key', keyFile, token])).code).toBe(2);
    expect(readFileSync(keyFile, 'utf8')).toContain('base64:');
  });
});

describe('otel-privacy collector-config', () => {
  const config = async (name: string) => {
    const r = await runCli(bin, ['collector-config', '--policy', fixture(name)], { env });
    expect(r.code, r.stderr).toBe(0);
    return { text: r.stdout, doc: parse(r.stdout) as { processors: Record<string, Record<string, unknown>> } };
  };

  it('basic.yaml: exact allowlist as allowed_keys, hashing with hmac-sha256 keyed from an env var, detectors as blocked_values, url/db sanitizers', async () => {
    const { text, doc } = await config('basic.yaml');
    const p = doc.processors;
    expect(Object.keys(p)).toEqual(['transform/otel-privacy', 'redaction/otel-privacy-hash', 'redaction/otel-privacy']);
    expect(p['redaction/otel-privacy']).toMatchObject({
      allow_all_keys: false,
      allowed_keys: [
        'db.query.text',
        'http.request.method',
        'http.response.status_code',
        'http.route',
        'note',
        'order.total',
        'session.id',
        'url.full',
        'user.id',
      ],
      url_sanitizer: { enabled: true, attributes: ['url.full'], sanitize_span_name: true },
      db_sanitizer: { sql: { enabled: true, attributes: ['db.query.text'] } },
    });
    const blocked = p['redaction/otel-privacy']!.blocked_values as string[];
    expect(blocked.some((b) => b.includes('@'))).toBe(true);
    expect(blocked.some((b) => b.includes('token'))).toBe(true);
    expect(p['redaction/otel-privacy-hash']).toMatchObject({
      hash_function: 'hmac-sha256',
      hmac_key: '${env:OTEL_PRIVACY_HMAC_KEY}',
      blocked_key_patterns: ['^(?:user\\.id|session\\.id)$'],
    });
    const transform = p['transform/otel-privacy'] as Record<string, { context: string; statements: string[] }[]>;
    expect(transform.trace_statements!.map((s) => s.context)).toEqual(['resource', 'span', 'spanevent']);
    expect(transform.trace_statements![1]!.statements[0]).toBe(
      'delete_matching_keys(attributes, "^(?:http\\\\.request\\\\.header\\\\.authorization|user\\\\.email)$")',
    );
    expect(text).toMatch(/# NOT EXPRESSED: traces: encrypt \["user.email"\]: the Collector cannot encrypt/);
    // No key material, only the reference.
    expect(text).not.toContain(env.OTEL_PRIVACY_HMAC_KEY.slice(7));
    expect(text).not.toContain(env.OTEL_PRIVACY_ENC_KEY.slice(7));
  });

  it('globs.yaml: glob allowlists become keep_matching_keys, per-signal drops, log bodies cleared, scopes and default: mask as comments', async () => {
    const { text, doc } = await config('globs.yaml');
    const p = doc.processors;
    expect(p['redaction/otel-privacy']).toMatchObject({
      allow_all_keys: true,
      ignored_key_patterns: ['^(?:enduser\\..*)$'],
    });
    expect(p['redaction/otel-privacy']).not.toHaveProperty('allowed_keys');
    const t = p['transform/otel-privacy'] as Record<string, { context: string; statements: string[] }[]>;
    const span = t.trace_statements!.find((s) => s.context === 'span')!.statements;
    expect(span).toContain(
      'keep_matching_keys(attributes, "^(?:server\\\\..*|http\\\\..*|rpc\\\\..*|enduser\\\\..*)$")',
    );
    const point = t.metric_statements!.find((s) => s.context === 'datapoint')!.statements;
    expect(point[0]).toContain('http\\\\.route');
    expect(span[0]).not.toContain('http\\\\.route');
    expect(t.log_statements!.find((s) => s.context === 'log')!.statements).toContain('set(body, "")');
    expect(text).toMatch(/# NOT EXPRESSED: scopes \["@opentelemetry\/instrumentation-pg"\]/);
    expect(text).toMatch(/# NOT EXPRESSED: traces: default: mask/);
  });

  it("extends-default.yaml: the default policy's rules, custom patterns, span-name sanitizers; --out and --json", async () => {
    const { doc } = await config('extends-default.yaml');
    const red = doc.processors['redaction/otel-privacy']!;
    expect(red.blocked_values as string[]).toContain('ORD-[0-9]{8}');
    expect(red.db_sanitizer).toMatchObject({
      sql: { enabled: true, attributes: ['db.query.summary', 'db.query.text', 'db.statement'] },
      sanitize_span_name: true,
    });
    const hash = doc.processors['redaction/otel-privacy-hash']!;
    expect((hash.blocked_key_patterns as string[])[0]).toContain('payment\\.account\\.id');
    expect(hash.allowed_values).toEqual(['^k0:[A-Za-z0-9_-]{22}$']);
    const out = join(tmp, 'collector.yaml');
    const r = await runCli(
      bin,
      ['collector-config', '--json', '--policy', fixture('extends-default.yaml'), '--out', out],
      { env },
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.pipelines.traces).toEqual([
      'transform/otel-privacy',
      'redaction/otel-privacy-hash',
      'redaction/otel-privacy',
    ]);
    expect(summary.notExpressed.length).toBeGreaterThan(0);
    expect(parse(readFileSync(out, 'utf8')).processors).toEqual(doc.processors);
  });
});
