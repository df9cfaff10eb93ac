import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ENCRYPTION_DATA_KEY_ATTRIBUTE,
  PrivacySpanProcessor,
  decryptRecipientToken,
  decryptToken,
  loadPolicy,
  unwrapDataKey,
} from '../../index';
import { PolicyError } from '../../policy/policy-error';
import { RecipientFieldEncryptor, parseRecipientKey } from '../../engine/crypto/recipient-encryption';
import { runNode } from '../helpers/run-node';
import { buildCollectorConfig } from '../../cli/collector-config-builder';

const root = resolve(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-recipient-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A recipient key pair written as PEM files: the public key where the policy is, the private key elsewhere. */
function recipientPair(kind: 'x25519' | 'rsa', name: string) {
  const pair =
    kind === 'x25519'
      ? generateKeyPairSync('x25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const pub = join(dir, `${name}.pub.pem`);
  const privDir = mkdtempSync(join(tmpdir(), 'otel-privacy-recipient-private-'));
  const priv = join(privDir, `${name}.pem`);
  writeFileSync(pub, pair.publicKey.export({ format: 'pem', type: 'spki' }));
  writeFileSync(priv, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
  return { pub, priv, privDir, privateKey: pair.privateKey };
}

function writePolicy(name: string, recipientFile: string, id = 'ops'): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `version: 1\nkeys:\n  encryption:\n    - { id: ${id}, recipient: ${JSON.stringify(recipientFile)} }\nattributes:\n  encrypt: ["user.email", "user.name"]\n`,
  );
  return file;
}

function exportOne(file: string, attributes: Record<string, string>) {
  const policy = loadPolicy(file);
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  provider.getTracer('t').startSpan('op', { attributes }).end();
  const span = exporter.getFinishedSpans()[0]!;
  return { policy, span, dataKey: span.resource.attributes[ENCRYPTION_DATA_KEY_ATTRIBUTE] as string };
}

describe('public-key field encryption (keys.encryption[].recipient)', () => {
  for (const kind of ['x25519', 'rsa'] as const) {
    it(`${kind}: tokens are enc:v2 under the data key the resource carries; only the private key opens them`, () => {
      const r = recipientPair(kind, `r-${kind}`);
      const { span, dataKey } = exportOne(writePolicy(`p-${kind}`, r.pub), {
        'user.email': 'jane.fake@example.test',
        'user.name': 'Jane Fake',
      });
      const token = span.attributes['user.email'] as string;
      expect(token).toMatch(/^enc:v2:[A-Za-z0-9_-]{12}:[A-Za-z0-9_-]+$/);
      expect(dataKey).toMatch(
        new RegExp(`^ekw:v2:ops:${token.split(':')[2]}:${kind === 'x25519' ? 'x25519-hkdf-sha256' : 'rsa-oaep-256'}:`),
      );
      expect(JSON.stringify(span.attributes)).not.toContain('Jane');
      const { id, bytes } = unwrapDataKey(dataKey, r.privateKey);
      const keys = new Map([[id, bytes]]);
      expect(decryptRecipientToken(token, keys, 'user.email')).toBe('jane.fake@example.test');
      expect(decryptRecipientToken(span.attributes['user.name'] as string, keys, 'user.name')).toBe('Jane Fake');
      // bound to the attribute key
      expect(() => decryptRecipientToken(token, keys, 'user.name')).toThrow(/failed authentication/);
      // another recipient's private key does not open the data key
      const other = recipientPair(kind, `other-${kind}`);
      expect(() => unwrapDataKey(dataKey, other.privateKey)).toThrow();
      // a v2 token is not a v1 token: the shared-key path refuses it with a reason
      expect(() => decryptToken(token, randomBytes(32), 'user.email')).toThrow(/enc:v2 token/);
    });
  }

  it('any tampering with a token or the wrapped key is detected (generated single-character edits)', () => {
    const r = recipientPair('x25519', 'tamper');
    const { span, dataKey } = exportOne(writePolicy('tamper', r.pub), { 'user.email': 'fake@example.test' });
    const token = span.attributes['user.email'] as string;
    const { id, bytes } = unwrapDataKey(dataKey, r.privateKey);
    const keys = new Map([[id, bytes]]);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const body = token.lastIndexOf(':') + 1;
    fc.assert(
      fc.property(fc.integer({ min: body, max: token.length - 2 }), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(token[at] !== ch);
        const edited = token.slice(0, at) + ch + token.slice(at + 1);
        expect(() => decryptRecipientToken(edited, keys, 'user.email')).toThrow();
      }),
      { numRuns: 200 },
    );
    const wrappedBody = dataKey.lastIndexOf(':') + 1;
    fc.assert(
      fc.property(fc.integer({ min: wrappedBody, max: dataKey.length - 2 }), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(dataKey[at] !== ch);
        const edited = dataKey.slice(0, at) + ch + dataKey.slice(at + 1);
        let opened: Buffer | undefined;
        try {
          opened = unwrapDataKey(edited, r.privateKey).bytes;
        } catch {
          return; // refused
        }
        // X25519: another ephemeral key derives another data key, which then fails authentication
        expect(() => decryptRecipientToken(token, new Map([[id, opened!]]), 'user.email')).toThrow();
      }),
      { numRuns: 100 },
    );
  });

  it('a recipient file holding a private key, a weak RSA key or a signing key is refused in one line naming the field', () => {
    const x = generateKeyPairSync('x25519');
    const cases: [string, string | Buffer, RegExp][] = [
      [
        'private',
        x.privateKey.export({ format: 'pem', type: 'pkcs8' }),
        /holds a private key; give the recipient's public key only/,
      ],
      [
        'rsa1024',
        generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }),
        /RSA key of 1024 bits; at least 2048/,
      ],
      [
        'ed25519',
        generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }),
        /ed25519 key; a recipient key is X25519 or RSA/,
      ],
      ['garbage', 'not a key at all', /is not a public key/],
    ];
    for (const [name, content, message] of cases) {
      const keyFile = join(dir, `bad-${name}.pem`);
      writeFileSync(keyFile, content);
      let err: unknown;
      try {
        loadPolicy(writePolicy(`bad-${name}`, keyFile));
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(PolicyError);
      const text = (err as Error).message;
      expect(text).toMatch(/keys\.encryption\[0\]\.recipient/);
      expect(text).toMatch(message);
      expect(text.split('\n')).toHaveLength(1);
      expect(text).not.toContain('BEGIN');
    }
  });

  it('tokens from two real processes decrypt with the private key; neither process read a private key', async () => {
    const r = recipientPair('x25519', 'two-procs');
    const file = writePolicy('two-procs', r.pub);
    const runs = await Promise.all(
      ['Fake Person One <one@example.test>', 'Fake Person Two <two@example.test>'].map((value) =>
        runNode(
          ['--import', 'tsx', join(__dirname, 'testdata/recipient-producer.ts')],
          { POLICY: file, VALUE: value },
          root,
        ),
      ),
    );
    const outs = runs.map((run) => {
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as { token: string; dataKey: string; reads: string[]; privateKeyCalls: number };
    });
    // Each process has its own data key.
    expect(outs[0]!.dataKey).not.toBe(outs[1]!.dataKey);
    expect(outs[0]!.token.split(':')[2]).not.toBe(outs[1]!.token.split(':')[2]);
    for (const out of outs) {
      // The recording works (the policy and the public key were read) ...
      expect(out.reads).toContain(file);
      expect(out.reads.some((p) => p.endsWith('two-procs.pub.pem'))).toBe(true);
      // ... and nothing under the private key's folder was ever opened, nor any private key imported.
      expect(out.reads.filter((p) => p.includes(r.privDir))).toEqual([]);
      expect(out.privateKeyCalls).toBe(0);
    }
    // The holder of the private key decrypts both with the two wrapped data keys.
    const keys = new Map(
      outs.map(
        (o) => Object.values(unwrapDataKey(o.dataKey, createPrivateKey(readFileSync(r.priv)))) as [string, Buffer],
      ),
    );
    expect(decryptRecipientToken(outs[0]!.token, keys, 'user.email')).toBe('Fake Person One <one@example.test>');
    expect(decryptRecipientToken(outs[1]!.token, keys, 'user.email')).toBe('Fake Person Two <two@example.test>');
  }, 60_000);

  it('reloading a policy with the same recipient keeps the data key; another recipient gets a new one', () => {
    const a = recipientPair('x25519', 'reload-a');
    const b = recipientPair('x25519', 'reload-b');
    const one = exportOne(writePolicy('reload-1', a.pub), { 'user.email': 'x@example.test' }).dataKey;
    const again = exportOne(writePolicy('reload-2', a.pub), { 'user.email': 'x@example.test' }).dataKey;
    const other = exportOne(writePolicy('reload-3', b.pub), { 'user.email': 'x@example.test' }).dataKey;
    expect(again).toBe(one);
    expect(other).not.toBe(one);
  });

  it('a Collector configuration built from a recipient policy keeps the data key attribute (and only then)', () => {
    const r = recipientPair('x25519', 'collector');
    const withRecipient = buildCollectorConfig(loadPolicy(writePolicy('collector', r.pub)), 'collector.yaml').yaml;
    expect(withRecipient).toMatch(/keep_matching_keys\(attributes, "[^"]*privacy\\+\.encryption\\+\.data_key/);
    process.env.COLLECTOR_SHARED_ENC = `base64:${randomBytes(32).toString('base64')}`;
    const shared = join(dir, 'collector-shared.yaml');
    writeFileSync(
      shared,
      'version: 1\nkeys: { encryption: { id: e1, env: COLLECTOR_SHARED_ENC } }\nattributes: { encrypt: [user.email] }\n',
    );
    expect(buildCollectorConfig(loadPolicy(shared), 'shared.yaml').yaml).not.toContain('data_key');
  });

  it('the encryptor prints only ids, never the data key', () => {
    const r = recipientPair('x25519', 'inspect');
    const enc = new RecipientFieldEncryptor(parseRecipientKey('ops', readFileSync(r.pub), 'test'));
    const text = inspect(enc, { showHidden: true, depth: 10 }) + JSON.stringify(enc);
    expect(text).toContain('ops');
    expect(text).toContain(enc.keyId);
    const key = unwrapDataKey(enc.wrappedDataKey, r.privateKey).bytes;
    for (const form of [key.toString('hex'), key.toString('base64'), key.toString('base64url')])
      expect(text).not.toContain(form);
  });
});
