import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyError, definePolicy, loadPolicy } from '../../index';
import type { PolicyDocument } from '../../index';

const dir = resolve(__dirname, 'testdata/invalid');
const HMAC = 'OTEL_PRIVACY_TEST_HMAC';

beforeAll(() => {
  process.env[HMAC] = 'h'.repeat(40);
  process.env.OTEL_PRIVACY_TEST_SHORT = 'short-key!';
  delete process.env.OTEL_PRIVACY_TEST_UNSET;
});
afterAll(() => {
  delete process.env[HMAC];
  delete process.env.OTEL_PRIVACY_TEST_SHORT;
});

// Each malformed file and the exact one-line error it must produce: file, line, path, reason.
const cases: [string, string][] = [
  ['hash-not-string.yaml', 'hash-not-string.yaml:8 attributes.hash[2]: expected a string'],
  ['unknown-top-key.yaml', 'unknown-top-key.yaml:3 atributes: unknown key "atributes"'],
  ['missing-version.yaml', 'missing-version.yaml:1 version: required: expected 1'],
  ['wrong-version.yaml', 'wrong-version.yaml:2 version: expected 1'],
  ['bad-default.yaml', 'bad-default.yaml:4 attributes.default: expected one of "drop", "mask", "hash"'],
  [
    'bad-glob.yaml',
    'bad-glob.yaml:5 attributes.allow[1]: invalid glob "http.[route": Missing closing: "]" - use "\\\\]" to match literal characters',
  ],
  ['missing-env.yaml', 'missing-env.yaml:5 keys.hmac.env: environment variable OTEL_PRIVACY_TEST_UNSET is not set'],
  [
    'short-key.yaml',
    'short-key.yaml:3 keys.hmac.env: environment variable OTEL_PRIVACY_TEST_SHORT holds 10 bytes; an HMAC key needs at least 32',
  ],
  [
    'short-encryption-key.yaml',
    'short-encryption-key.yaml:3 keys.encryption.env: environment variable OTEL_PRIVACY_TEST_HMAC holds 40 bytes; an encryption key must be exactly 32 bytes (AES-256)',
  ],
  [
    'unreadable-key-file.yaml',
    `unreadable-key-file.yaml:5 keys.encryption.file: cannot read key file ${join(dir, 'no-such-key-file')}: ENOENT`,
  ],
  [
    'env-and-file.yaml',
    'env-and-file.yaml:3 keys.hmac: expected exactly one of "env" or "file" (secrets are never inline)',
  ],
  ['inline-secret.yaml', 'inline-secret.yaml:5 keys.hmac.value: unknown key "value" (and 1 more)'],
  ['hash-without-key.yaml', 'hash-without-key.yaml:1 keys: attributes.hash hashes values but keys.hmac is not set'],
  [
    'encrypt-without-key.yaml',
    'encrypt-without-key.yaml:2 keys: logs.attributes.encrypt encrypts values but keys.encryption is not set',
  ],
  ['bad-generalizer.yaml', 'bad-generalizer.yaml:4 attributes.generalize["client.address"]: expected "ip-prefix"'],
  ['ratio-out-of-range.yaml', 'ratio-out-of-range.yaml:4 traces.sampling.ratio: expected a ratio between 0 and 1'],
  [
    'unknown-detector.yaml',
    'unknown-detector.yaml:5 values.detectors[1]: expected one of "email", "payment-card", "iban", "us-ssn", "phone", "ipv4", "ipv6", "jwt", "bearer-token", "aws-access-key", "api-token", "private-key", "url-credentials", "labeled-secret"',
  ],
  [
    'bad-syntax.yaml',
    'bad-syntax.yaml:4 (document): Flow sequence in block collection must be sufficiently indented and end with a ]',
  ],
  ['duplicate-key.yaml', 'duplicate-key.yaml:4 (document): Map keys must be unique'],
  ['bad-extends.yaml', 'bad-extends.yaml:2 extends: expected "default"'],
  [
    'bad-custom-pattern.yaml',
    'bad-custom-pattern.yaml:7 values.custom[1].pattern: does not compile: /TCK-(\\d+/g: Unterminated group',
  ],
  [
    'backtracking-custom-pattern.yaml',
    'backtracking-custom-pattern.yaml:6 values.custom[0].pattern: nested quantifiers ((a+)+ style) can backtrack catastrophically',
  ],
  [
    'scope-unknown-key.yaml',
    'scope-unknown-key.yaml:4 scopes["@opentelemetry/instrumentation-pg"].allow: unknown key "allow"',
  ],
  ['bad-allow.json', 'bad-allow.json:4 attributes.allow: expected an array'],
  [
    'bad-sampling-glob.yaml',
    'bad-sampling-glob.yaml:7 traces.sampling.rules[1].spanName: invalid glob "GET [users": Missing closing: "]" - use "\\\\]" to match literal characters',
  ],
  [
    'proto-key.yaml',
    'proto-key.yaml:5 attributes.generalize.__proto__: "__proto__" cannot be a key in a policy (a JavaScript object would lose it, and the rule with it); match it with a glob such as "__proto_?"',
  ],
  ['unscanned-tail-keep.yaml', 'unscanned-tail-keep.yaml:6 values.unscannedTail: expected one of "mask", "drop"'],
  ['bad-key-id.yaml', 'bad-key-id.yaml:3 keys.hmac.id: expected a key id of 1-32 letters, digits, "_", "." or "-"'],
  [
    'url-keep-with-denylist.yaml',
    'url-keep-with-denylist.yaml:7 sanitizers.url.params.keep: params.keep (or keepParams) needs params.mode allowlist; with denylist every value not sensitive is kept',
  ],
  ['url-max-segments.yaml', 'url-max-segments.yaml:5 sanitizers.url.maxSegments: expected at least 1'],
];

describe('loadPolicy errors name file, line and path on one line', () => {
  it.each(cases)('%s', (file, expected) => {
    let error: unknown;
    try {
      loadPolicy(join(dir, file));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as PolicyError).message).toBe(expected);
    expect((error as PolicyError).message).not.toContain('\n');
  });

  it('reports a missing policy file', () => {
    expect(() => loadPolicy(join(dir, 'does-not-exist.yaml'))).toThrow(
      /^does-not-exist\.yaml \(file\): cannot read policy file .*ENOENT$/,
    );
  });

  it('lists every issue, not just the first', () => {
    try {
      loadPolicy(join(dir, 'inline-secret.yaml'));
      expect.unreachable();
    } catch (err) {
      expect((err as PolicyError).issues.map((i) => `${i.line} ${i.path}`)).toEqual([
        '5 keys.hmac.value',
        '3 keys.hmac',
      ]);
    }
  });
});

describe('definePolicy errors name the path', () => {
  const bad: [string, unknown, string][] = [
    ['non-string glob', { version: 1, attributes: { allow: ['a', 7] } }, 'attributes.allow[1]: expected a string'],
    ['empty glob', { version: 1, attributes: { drop: [''] } }, 'attributes.drop[0]: expected a non-empty glob pattern'],
    ['not an object', 'version: 1', '(root): expected a map'],
    [
      'unknown nested key',
      { version: 1, traces: { sampling: { ratio: 0.5, burst: 3 } } },
      'traces.sampling.burst: unknown key "burst"',
    ],
    ['k-anonymity too small', { version: 1, metrics: { kAnonymity: 1 } }, 'metrics.kAnonymity: expected at least 2'],
  ];
  it.each(bad)('%s', (_name, doc, expected) => {
    let error: unknown;
    try {
      definePolicy(doc as PolicyDocument);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toBe(expected);
  });
});
