import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
