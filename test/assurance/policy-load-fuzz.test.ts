import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Policy, PolicyError, loadPolicy } from '../../index';
import { detectorNames } from '../../policy/schema';
import { fuzzParameters } from './fuzz-runs';

let dir: string;
let fileCounter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'otel-privacy-policy-fuzz-'));
  process.env.ASSURANCE_POLICY_FUZZ_KEY = 'fake-hmac-key-for-policy-fuzzing-0123456789';
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.ASSURANCE_POLICY_FUZZ_KEY;
});

/** What loading one document did. */
type Outcome = { kind: 'policy'; message?: undefined } | { kind: 'error'; message: string };

/** Writes `text` to a temporary `.yaml` or `.json` file and loads it: a Policy or a one-line PolicyError, nothing else. */
function load(text: string | Buffer, extension: 'yaml' | 'json'): Outcome {
  const path = join(dir, `policy-${fileCounter++}.${extension}`);
  writeFileSync(path, text);
  try {
    const policy = loadPolicy(path);
    expect(policy).toBeInstanceOf(Policy);
    expect(policy.hash).toMatch(/^[0-9a-f]{16}$/);
    return { kind: 'policy' };
  } catch (error) {
    if (!(error instanceof PolicyError))
      throw new Error(`loadPolicy threw ${(error as Error)?.name ?? typeof error} instead of a PolicyError`, {
        cause: error,
      });
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain(`policy-${fileCounter - 1}.${extension}`);
    expect(error.issues.length).toBeGreaterThan(0);
    return { kind: 'error', message: error.message };
  } finally {
    rmSync(path, { force: true });
  }
}

/** A billion-laughs YAML document: ten levels of nine aliases each. */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++)
    lines.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  return lines.join('\n');
}

// Documents close to valid ones, so the fuzzer reaches the validator and compiler, not only the parser.
const segment = fc.constantFrom(
  'user',
  'id',
  'http',
  'route',
  '*',
  '**',
  '[',
  ']',
  '{',
  '}',
  '!',
  '(',
  ')',
  '?',
  '__proto__',
  'constructor',
  'ü',
  '',
);
const globText = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
const anything = fc.oneof(fc.jsonValue({ maxDepth: 3 }), globText);
const rules = fc.dictionary(
  fc.constantFrom('allow', 'hash', 'encrypt', 'drop', 'generalize', 'default', 'other'),
  fc.oneof(
    fc.array(globText, { maxLength: 3 }),
    // encrypt entries with options, valid and not
    fc.array(
      fc.oneof(
        globText,
        fc.record({ key: fc.oneof(globText, anything), deterministic: fc.oneof(fc.boolean(), anything) }),
      ),
      { maxLength: 3 },
    ),
    fc.constantFrom('drop', 'mask', 'hash', 'keep'),
    fc.dictionary(globText, fc.constantFrom('ip-prefix', 'zip')),
    anything,
  ),
  { maxKeys: 4 },
);
const nearValid = fc.record(
  {
    version: fc.oneof(fc.constant(1), anything),
    name: fc.oneof(fc.string(), anything),
    extends: fc.constantFrom('default', 'other'),
    keys: fc.oneof(
      fc.constant({ hmac: { id: 'k1', env: 'ASSURANCE_POLICY_FUZZ_KEY' } }),
      fc.record(
        { hmac: fc.record({ id: fc.string(), env: fc.string(), file: fc.string() }, { requiredKeys: [] }) },
        { requiredKeys: [] },
      ),
      anything,
    ),
    attributes: fc.oneof(rules, anything),
    resource: rules,
    values: fc.record(
      {
        detectors: fc.oneof(fc.constant('all'), fc.subarray([...detectorNames, 'nope'])),
        custom: fc.array(
          fc.record({
            name: fc.string({ maxLength: 8 }),
            pattern: fc.oneof(
              fc.string({ maxLength: 12 }),
              fc.constantFrom('(a+)+', '(a|a)*', '\\1', '[', 'ORD-[0-9]{8}', '(?i:x)'),
            ),
          }),
          { maxLength: 2 },
        ),
        action: fc.constantFrom('mask', 'hash', 'drop', 'keep'),
        maxScanLength: fc.oneof(fc.integer(), fc.double()),
        allow: fc.oneof(fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.record({ pattern: fc.string() }))), anything),
        ignoreKeys: anything,
        masks: fc.oneof(
          fc.dictionary(
            fc.constantFrom('email', 'payment-card', 'nope'),
            fc.oneof(fc.string(), fc.record({ keepLast: fc.integer() }), anything),
          ),
          anything,
        ),
      },
      { requiredKeys: [] },
    ),
    sanitizers: fc.record(
      { spanName: fc.oneof(fc.boolean(), anything), url: anything, sql: anything, statements: anything },
      { requiredKeys: [] },
    ),
    traces: fc.record(
      {
        attributes: rules,
        sampling: fc.dictionary(fc.constantFrom('ratio', 'rules', 'maxPerSecond', 'keepErrors', 'x'), anything, {
          maxKeys: 3,
        }),
      },
      { requiredKeys: [] },
    ),
    logs: fc.dictionary(fc.constantFrom('body', 'minSeverity', 'sampling', 'attributes'), anything, { maxKeys: 2 }),
    metrics: fc.dictionary(fc.constantFrom('cardinalityLimit', 'kAnonymity', 'attributes'), anything, { maxKeys: 2 }),
    scopes: fc.dictionary(globText, fc.oneof(fc.record({ attributes: rules }), anything), { maxKeys: 2 }),
  },
  { requiredKeys: [] },
);

/** Valid policies (so the compiler and key loading are reached), sometimes with one field replaced by junk. */
const simpleGlob = fc
  .array(fc.constantFrom('user', 'id', 'http', 'route', '*', 'app'), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('.'));
const validRules = fc.record(
  {
    allow: fc.array(simpleGlob, { maxLength: 3 }),
    hash: fc.array(simpleGlob, { maxLength: 2 }),
    drop: fc.array(simpleGlob, { maxLength: 2 }),
    default: fc.constantFrom('drop', 'mask', 'hash'),
  },
  { requiredKeys: [] },
);
const valid = fc.record(
  {
    version: fc.constant(1),
    keys: fc.constant({ hmac: { id: 'k1', env: 'ASSURANCE_POLICY_FUZZ_KEY' } }),
    attributes: validRules,
    resource: validRules,
    values: fc.record(
      {
        detectors: fc.oneof(fc.constant('all'), fc.subarray([...detectorNames])),
        action: fc.constantFrom('mask', 'hash', 'drop'),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['version', 'keys'] },
);
const documents = fc.oneof(
  valid,
  nearValid,
  fc
    .tuple(valid, fc.constantFrom('version', 'keys', 'attributes', 'values', 'extends', 'name'), anything)
    .map(([document, key, junk]) => ({ ...document, [key]: junk })),
);

/** Garbles text: truncation, deleted or inserted characters, swapped halves. */
const garble = (text: string) =>
  fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc
      .tuple(fc.nat({ max: text.length }), fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }))
      .map(([n, s]) => text.slice(0, n) + s + text.slice(n)),
    fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 8 })).map(([n, k]) => text.slice(0, n) + text.slice(n + k)),
    fc.nat({ max: text.length }).map((n) => text.slice(n) + text.slice(0, n)),
  );

describe('fuzz: loadPolicy on random YAML/JSON documents', () => {
  it('near-valid documents (as YAML and as JSON): a validated policy or a one-line PolicyError naming the file', () => {
    const seen = { policy: 0, error: 0 };
    fc.assert(
      fc.property(documents, (document) => {
        for (const outcome of [load(stringify(document), 'yaml'), load(JSON.stringify(document), 'json')])
          seen[outcome.kind]++;
      }),
      fuzzParameters(150),
    );
    // the generator must reach both ends, or the property says little
    expect(seen.error).toBeGreaterThan(0);
    expect(seen.policy).toBeGreaterThan(0);
  });

  it('garbled and truncated documents: never a crash', () => {
    fc.assert(
      fc.property(
        documents.chain((document) => fc.tuple(garble(stringify(document)), garble(JSON.stringify(document)))),
        ([yamlText, jsonText]) => {
          load(yamlText, 'yaml');
          load(jsonText, 'json');
        },
      ),
      fuzzParameters(150),
    );
  });

  it('random text, random bytes and random JSON values: never a crash', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
          fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
          fc.jsonValue().map((value) => stringify(value)),
        ),
        fc.constantFrom('yaml' as const, 'json' as const),
        (text, extension) => {
          load(text, extension);
        },
      ),
      fuzzParameters(200),
    );
  });

  it('hostile documents: deep nesting, huge scalars and lists, tags, BOMs, NUL bytes, several documents, duplicate keys, brace and backtracking patterns', () => {
    const hostile: Array<[string, 'yaml' | 'json']> = [
      ['['.repeat(100_000) + ']'.repeat(100_000), 'json'],
      ['- '.repeat(5_000) + 'x', 'yaml'],
      [`{"version":1,"name":"${'n'.repeat(2_000_000)}"}`, 'json'],
      [
        `version: 1\nattributes: { allow: [${Array.from({ length: 20_000 }, (_, i) => `"k${i}.*"`).join(',')}] }`,
        'yaml',
      ],
      ['version: !!js/function "function () { return 1 }"', 'yaml'],
      ['version: !custom 1', 'yaml'],
      ['\uFEFFversion: 1\nattributes: { allow: ["a"] }', 'yaml'],
      ['version: 1\u0000\nattributes: {}', 'yaml'],
      ['version: 1\n---\nversion: 1', 'yaml'],
      ['{"version":1,"__proto__":{"polluted":true}}', 'json'],
      ['version: 1\nattributes:\n  allow: ["a"]\n  allow: ["b"]', 'yaml'],
      [
        'version: 1\nattributes: { allow: ["{a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p}{a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p}{a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p}"] }',
        'yaml',
      ],
      ['version: 1\nvalues: { custom: [{ name: "x", pattern: "(a*)*b" }] }', 'yaml'],
    ];
    const outcomes = hostile.map(([text, extension]) => load(text, extension).kind);
    expect(outcomes).toContain('error');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('YAML aliases (found by the fuzzer: they used to escape loadPolicy as a yaml ReferenceError)', () => {
  it('an unquoted glob starting with "*" is a one-line PolicyError that says to quote it', () => {
    const out = load('version: 1\nattributes:\n  drop: [*password*]\n', 'yaml');
    expect(out.kind).toBe('error');
    expect(out.message).toMatch(
      /policy-\d+\.yaml:3 \(document\): unknown YAML alias \*password\*; a glob that starts with "\*" must be quoted, e\.g\. "\*password\*"$/,
    );
  });

  it('an alias bomb is a one-line PolicyError', () => {
    const out = load(aliasBomb(), 'yaml');
    expect(out.kind).toBe('error');
    expect(out.message).toMatch(/YAML aliases refused: .* \(at most 50 alias uses\)$/);
  });

  it('a document with more than 50 alias uses is a one-line PolicyError', () => {
    const text = `version: 1\nattributes: &r { allow: ["a"] }\nresource: *r\n${Array.from({ length: 60 }, (_, i) => `x${i}: *r`).join('\n')}`;
    const out = load(text, 'yaml');
    expect(out.kind).toBe('error');
    expect(out.message).toMatch(/:3 \(document\): YAML aliases refused/);
  });
});
