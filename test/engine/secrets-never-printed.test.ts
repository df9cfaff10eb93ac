import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canaryOfKind, leakedNeedles, randomText } from '../assurance/canaries';
import { PrivacySpanProcessor, definePolicy, loadPolicy } from '../../index';
import { readKeyArgument } from '../../cli/key-source';
import { readKeyMaterial } from '../../engine/crypto/key-material';

const HMAC = randomBytes(32);
const AES = randomBytes(32);
const RAW_ID = 'raw-identifier-user-4711-of-the-cache';
const KEY_WITH_FINDING = 'app.jane.doe@example.com';

/** Every spelling of a key that must never appear in printed output. */
function spellings(key: Buffer): string[] {
  return [key.toString('base64'), key.toString('base64url'), key.toString('hex'), key.toString('latin1')].concat(
    // a long enough slice of each spelling catches partial prints too
    [key.toString('base64').slice(4, 20), key.toString('hex').slice(8, 40)],
  );
}

function expectClean(text: string): void {
  for (const s of [...spellings(HMAC), ...spellings(AES)]) expect(text).not.toContain(s);
  expect(text).not.toContain(RAW_ID);
  expect(text).not.toContain('jane.doe@example.com');
}

/** Deep prints of `value`; JSON only where the object graph is not circular (providers are). */
function prints(value: unknown): string[] {
  const out = [
    inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    inspect(value, { depth: Infinity }),
  ];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch (err) {
    expect(String(err)).toMatch(/circular/);
  }
  return out;
}

beforeAll(() => {
  process.env.SNP_HMAC = `base64:${HMAC.toString('base64')}`;
  process.env.SNP_AES = `hex:${AES.toString('hex')}`;
});
afterAll(() => {
  delete process.env.SNP_HMAC;
  delete process.env.SNP_AES;
});

describe('objects holding key material or raw-value caches print only a summary', () => {
  it('a used policy, its rule engines, a processor and the provider never print keys, cached ids or keys with findings', async () => {
    const policy = definePolicy({
      version: 1,
      name: 'shop',
      keys: { hmac: { id: 'k1', env: 'SNP_HMAC' }, encryption: { id: 'e1', env: 'SNP_AES' } },
      attributes: { allow: ['app.*', 'url.full'], hash: ['user.id'], encrypt: ['user.email'] },
      sanitizers: { url: { attributes: ['url.full'], sensitiveParams: ['u'] } },
      values: {},
    });
    const exporter = new InMemorySpanExporter();
    const processor = new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) });
    const provider = new TracerProvider({ spanProcessors: [processor] });
    provider
      .getTracer('t')
      .startSpan('op', {
        attributes: {
          'user.id': RAW_ID,
          'user.email': 'x@example.org',
          'url.full': `https://shop.example/a?u=${RAW_ID}`,
          [KEY_WITH_FINDING]: 'v',
        },
      })
      .end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()).toHaveLength(1);

    expect(inspect(policy)).toBe(`Policy { name: 'shop', hash: '${policy.hash}' }`);
    expect(JSON.parse(JSON.stringify(policy))).toEqual({ name: 'shop', hash: policy.hash });
    for (const target of [policy, policy.sanitizer('traces'), policy.sanitizer('traces').rules, processor, provider])
      for (const text of prints(target)) expectClean(text);
  });

  it('key material prints as its id only', () => {
    const m = readKeyMaterial({ id: 'k1', env: 'SNP_HMAC' }, 'hmac', process.cwd());
    expect(inspect(m, { depth: Infinity, showHidden: true })).toBe('[key material: id k1]');
    expect(JSON.stringify({ m })).toBe('{"m":"[key material: id k1]"}');
    expect(Object.keys(m)).toEqual(['id']);
    expect(m.bytes.equals(HMAC)).toBe(true);
    for (const text of [...prints(m), ...prints({ ...m })]) expectClean(text);
  });
});

describe('errors about key configuration never echo a value that looks like key material', () => {
  const b64 = `base64:${HMAC.toString('base64')}`;

  it.each([
    ['env', 'base64', b64],
    ['env', 'hex', HMAC.toString('hex')],
    ['env', 'raw', 'not-an-env-name-but-a-raw-secret-key-0123456789'],
    ['file', 'base64', b64],
    ['file', 'hex', `hex:${HMAC.toString('hex')}`],
    ['file', 'bare base64', HMAC.toString('base64')],
  ])('keys.hmac.%s holding a %s key', (field, _kind, value) => {
    let message = '';
    try {
      definePolicy({ version: 1, keys: { hmac: { id: 'k1', [field]: value } }, attributes: { hash: ['user.id'] } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`keys.hmac.${field}: value not shown: looks like key material`);
    expect(message).not.toContain(value);
    expect(message).not.toContain(HMAC.toString('base64').slice(0, 12));
  });

  it('still names ordinary variable names and paths', () => {
    expect(() =>
      definePolicy({
        version: 1,
        keys: { hmac: { id: 'k1', env: 'OTEL_PRIVACY_HMAC_KEY_FOR_THE_BILLING_SERVICE' } },
        attributes: { hash: ['user.id'] },
      }),
    ).toThrow(/environment variable OTEL_PRIVACY_HMAC_KEY_FOR_THE_BILLING_SERVICE is not set/);
    const dir = mkdtempSync(join(tmpdir(), 'snp-'));
    try {
      writeFileSync(
        join(dir, 'p.yaml'),
        'version: 1\nkeys:\n  hmac: { id: k1, file: ./keys/hmac.key }\nattributes: { hash: [user.id] }\n',
      );
      expect(() => loadPolicy(join(dir, 'p.yaml'))).toThrow(/cannot read key file .*keys\/hmac\.key: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a key file whose path has the mixed letters and digits of a key, and withholds such text when no file is there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snp-'));
    try {
      // no dot, 20+ characters, upper and lower case and digits: the shape of a key, but a file that exists
      mkdirSync(join(dir, 'runSecrets'));
      const keyFile = join(dir, 'runSecrets', 'hmacKey1ForBilling2');
      writeFileSync(keyFile, `base64:${HMAC.toString('base64')}\n`);
      for (const file of [keyFile, 'runSecrets/hmacKey1ForBilling2']) {
        writeFileSync(
          join(dir, 'p.yaml'),
          `version: 1\nkeys:\n  hmac: { id: k1, file: ${file} }\nattributes: { hash: [user.id] }\n`,
        );
        const policy = loadPolicy(join(dir, 'p.yaml'));
        expect(policy.compiled.keys.hmac).toEqual({ id: 'k1', file });
      }
      const absent = join(dir, 'runSecrets', 'hmacKey9ForBilling8');
      writeFileSync(
        join(dir, 'p.yaml'),
        `version: 1\nkeys:\n  hmac: { id: k1, file: ${absent} }\nattributes: { hash: [user.id] }\n`,
      );
      let message = '';
      try {
        loadPolicy(join(dir, 'p.yaml'));
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toContain('value not shown: looks like key material');
      expect(message).not.toContain('hmacKey9ForBilling8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decrypt --key with the key itself (or env:<key>) is refused without echoing it', () => {
    for (const ref of [b64, `hex:${AES.toString('hex')}`, AES.toString('base64'), `env:${AES.toString('hex')}`]) {
      let message = '';
      try {
        readKeyArgument(ref);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/--key.*value not shown: looks like key material/);
      expect(message).not.toContain(ref.replace(/^env:/, ''));
    }
  });
});

/**
 * Secrets and personal data where a name belongs: generated canaries of every detector kind and generated keys in
 * every key format, each placed as a policy mapping key, a file path or a CLI argument. What is printed (an error, a
 * rejected reload's audit entry, CLI output) names what is wrong and where on one line, and never the value.
 */
describe('a secret or personal value where a name or path belongs is never echoed', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'otel-privacy-snp-names-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** A generated value and the fragments of it that must not be printed. */
  interface Needle {
    readonly text: string;
    readonly needles: readonly string[];
  }
  const keyFormats: ((key: Buffer) => string)[] = [
    (k) => `base64:${k.toString('base64')}`,
    (k) => `hex:${k.toString('hex')}`,
    (k) => k.toString('base64'),
    (k) => k.toString('base64url'),
    (k) => k.toString('hex'),
  ];
  const secretValue: fc.Arbitrary<Needle> = fc.oneof(
    fc.nat(1000).map((i) => {
      const c = canaryOfKind(i);
      return { text: c.text, needles: c.needles };
    }),
    fc.tuple(fc.nat(keyFormats.length - 1), fc.integer({ min: 16, max: 48 })).map(([f, n]) => {
      const text = keyFormats[f]!(randomBytes(n));
      return { text, needles: [text, text.slice(-16)] };
    }),
  );
  const clean = (text: string, value: Needle) => {
    for (const n of value.needles) expect(text).not.toContain(n);
    expect(text.toLowerCase()).not.toContain(value.text.toLowerCase());
  };
  /** YAML-quotes a value (canaries hold spaces, `:` and `/`). */
  const q = (s: string) => JSON.stringify(s);
  const positions: { name: string; yaml: (v: string) => string; where: RegExp }[] = [
    {
      name: 'an unknown key in keys.hmac',
      yaml: (v) => `keys:\n  hmac: { id: k1, env: SNP_HMAC, ${q(v)}: x }\n`,
      where:
        /^privacy\.yaml:\d+ keys\.hmac\[<key not shown: (looks like key material|holds an? [\w, -]+)>\]: unknown key <key not shown/,
    },
    {
      name: 'an unknown top-level key',
      yaml: (v) => `${q(v)}: 1\n`,
      where: /^privacy\.yaml:\d+ \[<key not shown: [^>]+>\]: unknown key <key not shown: [^>]+>/,
    },
    {
      name: 'a key under attributes',
      yaml: (v) => `attributes:\n  ${q(v)}: [x]\n`,
      where: /^privacy\.yaml:\d+ attributes\[<key not shown: [^>]+>\]: unknown key <key not shown/,
    },
  ];

  it('loadPolicy errors and a rejected reload (stderr line and hash-chained audit log) mask mapping keys', async () => {
    const { watchPolicy } = await import('../../instrumentation/policy-watcher');
    const file = join(tmp, 'privacy.yaml');
    const good = 'version: 1\nname: shop\nkeys:\n  hmac: { id: k1, env: SNP_HMAC }\n';
    writeFileSync(file, good);
    const audit = join(tmp, 'audit.jsonl');
    const errors: string[] = [];
    const watcher = watchPolicy(file, {
      policy: loadPolicy(file),
      audit,
      onError: (e) => errors.push(e.message),
      debounceMillis: 1_000_000,
      pollIntervalMillis: 1_000_000,
    });
    try {
      fc.assert(
        fc.property(secretValue, fc.constantFrom(...positions), (value, position) => {
          const doc =
            position.name === 'an unknown key in keys.hmac'
              ? `version: 1\nname: shop\n${position.yaml(value.text)}`
              : `${good}${position.yaml(value.text)}`;
          writeFileSync(file, doc);
          let message = '';
          try {
            loadPolicy(file);
          } catch (err) {
            message = (err as Error).message;
          }
          expect(message).toMatch(position.where);
          expect(message).not.toContain('\n');
          clean(message, value);
          expect(watcher.check()).toBe('rejected');
          clean(errors.join('\n'), value);
          clean(readFileSync(audit, 'utf8'), value);
        }),
        { numRuns: 40 },
      );
    } finally {
      watcher.close();
    }
  });

  it('a base64 key without digits or padding is key material too; camel-case names are still named', () => {
    // Random base64 with neither digits nor `+/=` (about one 16-byte key in a thousand in CI's draws was printed).
    for (const key of ['VIZygtEMfsGGDAZwvVvEKIM', 'baksQFqrEBEvVVwvqqVwbPHrinY', 'hzagdaqBc-izsZrZmrEticI']) {
      const file = join(tmp, 'nodigits.yaml');
      writeFileSync(file, `version: 1\nname: shop\nattributes:\n  ${key}: [x]\n`);
      expect(() => loadPolicy(file)).toThrow(/unknown key <key not shown: looks like key material>/);
      expect(() => loadPolicy(file)).not.toThrow(key);
    }
    const file = join(tmp, 'camel.yaml');
    writeFileSync(file, 'version: 1\nname: shop\nattributes:\n  customerBillingAddressLine: [x]\n');
    expect(() => loadPolicy(file)).toThrow('unknown key "customerBillingAddressLine"');
  });

  it('ordinary keys are still named', () => {
    const file = join(tmp, 'plain.yaml');
    writeFileSync(file, 'version: 1\nname: shop\nattributes:\n  alow: [x]\n');
    expect(() => loadPolicy(file)).toThrow('plain.yaml:4 attributes.alow: unknown key "alow"');
  });

  it('the CLI (validate, decrypt --key) prints neither a mapping key nor a short secret given where a file belongs', async () => {
    const { cliBinary, runCli } = await import('../cli/cli-harness');
    const bin = await cliBinary();
    const runs: Promise<void>[] = [];
    for (const value of fc.sample(secretValue, 12)) {
      const doc = `version: 1\nname: shop\n${q(value.text)}: 1\nattributes:\n  ${q(value.text)}: [x]\n`;
      const path = join(tmp, `cli-${runs.length}.yaml`);
      writeFileSync(path, doc);
      runs.push(
        (async () => {
          const validate = await runCli(bin, ['validate', '--ignore-missing-keys', path]);
          expect(validate.code).toBe(1);
          expect(validate.stdout + validate.stderr).toMatch(/unknown key <key not shown/);
          clean(validate.stdout + validate.stderr, value);
          const json = await runCli(bin, ['validate', '--json', '--ignore-missing-keys', path]);
          clean(json.stdout + json.stderr, value);
          // `--key=<value>`: a base64url key may start with `-`, which `--key <value>` reads as another option
          const decrypt = await runCli(bin, [
            'decrypt',
            `--key=${value.text}`,
            '--attribute',
            'user.email',
            'enc:v1:k1:AA',
          ]);
          expect(decrypt.code).toBe(2);
          expect(decrypt.stderr.split('\n')[0]).toMatch(/^otel-privacy decrypt: --key: value not shown: /);
          clean(decrypt.stdout + decrypt.stderr, value);
        })(),
      );
    }
    await Promise.all(runs);
    // 36 CLI processes: seconds alone, more beside other test workers
  }, 120_000);
});

describe('otel-privacy scan never reports a dropped key raw', () => {
  it('keys the rules drop (holding a canary, or unknown keys) are reported by finding or by rule, in the table and --json', async () => {
    const { cliBinary, runCli, testKeys } = await import('../cli/cli-harness');
    const bin = await cliBinary();
    const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-snp-scan-'));
    try {
      const policy = join(dir, 'privacy.yaml');
      writeFileSync(
        policy,
        'version: 1\nname: shop\nextends: default\nkeys:\n  hmac: { id: k1, env: OTEL_PRIVACY_HMAC_KEY }\n',
      );
      const canaries = fc.sample(fc.nat(1000), 9).map((i) => canaryOfKind(i));
      const person = `customer.${randomText(8)}_${1950 + (canaries.length % 50)}.visits`;
      const keys = [...canaries.flatMap((c) => [c.text, `app.${c.text}`]), person];
      const attributes = keys.map((key) => ({ key, value: { stringValue: 'a' } }));
      const request = {
        resourceSpans: [
          {
            resource: { attributes: [{ key: `owner.${canaries[0]!.text}`, value: { stringValue: 'o' } }] },
            scopeSpans: [
              {
                scope: { name: 's' },
                spans: [
                  {
                    traceId: '913017ebc8cb130a546c861bb22b765d',
                    spanId: 'b86ac059dc94a42a',
                    name: 'x',
                    kind: 1,
                    startTimeUnixNano: '1',
                    endTimeUnixNano: '2',
                    attributes,
                  },
                ],
              },
            ],
          },
        ],
      };
      const input = join(dir, 'in.json');
      writeFileSync(input, JSON.stringify(request));
      const needles = [...canaries, { needles: [person] }];
      for (const json of [false, true]) {
        const run = await runCli(
          bin,
          ['scan', '--policy', policy, '--in', input, '--out', join(dir, 'out.json'), ...(json ? ['--json'] : [])],
          { env: testKeys() },
        );
        expect(run.code, run.stderr).toBe(0);
        expect(leakedNeedles(run.stdout + run.stderr, needles)).toEqual([]);
        expect(run.stdout).toMatch(/\(key holding [a-z-]+/);
        expect(run.stdout).toContain('(dropped by default: drop)');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
