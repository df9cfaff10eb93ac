import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, sign as ed25519Sign } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { PrivacySpanProcessor, loadPolicy } from '../../index';
import type { Policy } from '../../index';
import { BloomFilter } from '../../engine/consent/bloom-filter';
import { generateRecipientKeyPair } from '../../engine/crypto/recipient-encryption';
import { policyOperationsFromEnv } from '../../instrumentation/policy-watcher';
import type { PolicyWatcher } from '../../instrumentation/policy-watcher';
import { startPrivacySdk } from '../../instrumentation/start-privacy-sdk';
import { signedManifestOf } from '../../policy/load-policy';
import { parsePolicyText } from '../../policy/policy-source';
import {
  POLICY_IDENTITY_ENV,
  POLICY_PUBLIC_KEY_ENV,
  POLICY_STATE_ENV,
  sha256,
  signPolicyFile,
} from '../../policy/policy-signature';
import { REFERENCED_FILE_FIELDS, referencedFiles } from '../../policy/referenced-files';
import schemaJson from '../../policy/policy.schema.json';

vi.mock('../../instrumentation/esm-loader-hook', () => ({ registerEsmLoaderHook: () => undefined }));

// Signed manifests with real files and keys made here: every file kind a policy names (derived from the schema) is
// swapped at start and on reload and refused, the last good policy staying; rollback, identity, old format, tampering.

const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const signer = generateKeyPairSync('ed25519');
const signerPem = Buffer.from(signer.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
const publicFile = join(dir, 'policy-signing.pub.pem');
writeFileSync(publicFile, signer.publicKey.export({ format: 'pem', type: 'spki' }) as string);
const publicKey = signer.publicKey;

const randomKey = () => `base64:${randomBytes(32).toString('base64')}\n`;
/** Everything secret written in this test: no message may contain any of it (or its digest). */
const secrets: string[] = [];
function writeSecret(path: string, text: string): void {
  secrets.push(text.trim(), sha256(text));
  writeFileSync(path, text);
}

/** Each policy gets its own folder: hmac.key, hmac-old.key, enc.key, recipient.pub.pem, optout.bloom. */
function setUp(name: string, allow: string[] = ['http.route']) {
  const home = join(dir, name);
  mkdirSync(home);
  writeSecret(join(home, 'hmac.key'), randomKey());
  writeSecret(join(home, 'hmac-old.key'), randomKey());
  writeSecret(join(home, 'enc.key'), randomKey());
  writeFileSync(join(home, 'recipient.pub.pem'), generateRecipientKeyPair().publicKey);
  const policyFile = join(home, 'privacy.yaml');
  const body = (rules: string[]) =>
    [
      'version: 1',
      `name: ${name}`,
      'keys:',
      '  hmac:',
      '    - { id: h2, file: hmac.key }',
      '    - { id: h1, file: hmac-old.key }',
      '  encryption:',
      '    - { id: r1, recipient: recipient.pub.pem }',
      '    - { id: e1, file: enc.key }',
      'consent:',
      '  subject: { attributes: [user.id] }',
      '  optOut: { file: optout.bloom }',
      'attributes:',
      `  allow: ${JSON.stringify(rules)}`,
      '  hash: [user.id]',
      '  encrypt: [user.email]',
      '',
    ].join('\n');
  // the opt-out filter holds fake-user-1 under both ring keys (pseudonyms from the same key files)
  writeFileSync(policyFile, body(allow).replace(/^consent:[\s\S]*?(?=^attributes:)/m, ''));
  const unsigned = loadPolicy(policyFile);
  // A false-positive rate far below one hit over this file's lookups: the HMAC keys are random per run, so at 0.001
  // an opted-in fake user read as opted out about once in a few hundred runs (seen in CI).
  const filter = (subjects: string[]) => {
    const f = BloomFilter.create(16, 1e-9, ['h2', 'h1']);
    for (const s of subjects) for (const p of unsigned.pseudonymsOf(s)) f.add(p);
    return f.serialize();
  };
  writeFileSync(join(home, 'optout.bloom'), filter(['fake-user-1']));
  writeFileSync(policyFile, body(allow));
  let serial = 100;
  const sign = (opts: { name?: string; serial?: number } = {}) => {
    const signed = signPolicyFile(policyFile, signerPem, { serial: opts.serial ?? ++serial, name: opts.name });
    writeFileSync(`${policyFile}.sig`, signed.text);
    return signed.manifest;
  };
  return { home, policyFile, body, filter, sign, rewrite: (rules: string[]) => writeFileSync(policyFile, body(rules)) };
}

/** A replacement of the same kind for each referenced file field (the attacker's file). */
const swaps: Record<(typeof REFERENCED_FILE_FIELDS)[number], () => string | Buffer> = {
  'keys.hmac.file': randomKey,
  'keys.encryption.file': randomKey,
  'keys.encryption.recipient': () => generateRecipientKeyPair().publicKey,
  'consent.optOut.file': () => BloomFilter.create(16, 0.001, ['h2', 'h1']).serialize(),
};
const kindOf = (field: string) => field.replace(/\[\d+\]/g, '') as keyof typeof swaps;

function tracing(policy: Policy) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  const tracer = provider.getTracer('manifest');
  /** What the policy in effect decides: pseudonym, token key ids, opt-out, allow list. */
  return () => {
    const before = exporter.getFinishedSpans().length;
    tracer.startSpan('op', { attributes: { 'user.id': 'fake-user-1' } }).end();
    const optedOut = exporter.getFinishedSpans().length === before;
    tracer
      .startSpan('op', {
        attributes: { 'http.route': '/a', 'user.agent.original': 'fake-agent', 'user.id': 'fake-user-2' },
      })
      .end();
    const a = exporter.getFinishedSpans().at(-1)!.attributes;
    tracer.startSpan('op', { attributes: { 'user.email': 'fake@example.test' } }).end();
    const token = exporter.getFinishedSpans().at(-1)!.attributes['user.email'] as string;
    return {
      optedOut,
      pseudonym: a['user.id'],
      agent: a['user.agent.original'],
      tokenKey: token.split(':').slice(0, 3).join(':'),
    };
  };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

const messages: string[] = [];
let watcher: PolicyWatcher | undefined;
afterEach(() => {
  watcher?.close();
  watcher = undefined;
});
afterAll(() => {
  for (const m of messages) {
    expect(m).not.toContain('\n');
    for (const s of secrets) expect(m).not.toContain(s);
  }
});

describe('the referenced files are those the schema describes as files', () => {
  it('every string field of the JSON Schema described as a file is in REFERENCED_FILE_FIELDS, and back', () => {
    const found = new Set<string>();
    const walk = (node: Record<string, unknown>, path: string[]): void => {
      for (const alt of (node.anyOf ?? node.oneOf ?? []) as Record<string, unknown>[]) walk(alt, path);
      if (node.items) walk(node.items as Record<string, unknown>, path);
      if (typeof node.additionalProperties === 'object')
        walk(node.additionalProperties as Record<string, unknown>, [...path, '*']);
      for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        const isFile =
          child.type === 'string' && /\b(file|pem)\b/i.test(String(child.description ?? '')) && key !== 'env';
        if (isFile) found.add([...path, key].join('.'));
        walk(child, [...path, key]);
      }
    };
    walk(schemaJson as Record<string, unknown>, []);
    expect([...found].sort()).toEqual([...REFERENCED_FILE_FIELDS].sort());
  });

  it('the test policy names every kind, and referencedFiles lists each with the path as written', () => {
    const { policyFile } = setUp('kinds');
    const files = referencedFiles(parsePolicyText(readFileSync(policyFile, 'utf8'), 'privacy.yaml').value);
    expect(files).toEqual([
      { field: 'keys.hmac[0].file', path: 'hmac.key' },
      { field: 'keys.hmac[1].file', path: 'hmac-old.key' },
      { field: 'keys.encryption[1].file', path: 'enc.key' },
      { field: 'keys.encryption[0].recipient', path: 'recipient.pub.pem' },
      { field: 'consent.optOut.file', path: 'optout.bloom' },
    ]);
    expect(new Set(files.map((f) => kindOf(f.field)))).toEqual(new Set(REFERENCED_FILE_FIELDS));
  });
});

describe('a swapped referenced file is refused', () => {
  it('at start: each file kind (loadPolicy and the register path), naming the field and file only', () => {
    const t = setUp('start-swap');
    t.sign();
    expect(loadPolicy(t.policyFile, { publicKey, identity: 'start-swap' }).name).toBe('start-swap');
    const refs = referencedFiles(parsePolicyText(readFileSync(t.policyFile, 'utf8'), 'p').value);
    for (const ref of refs) {
      const path = join(t.home, ref.path);
      const original = readFileSync(path);
      writeFileSync(path, swaps[kindOf(ref.field)]());
      const message = refusal(() => loadPolicy(t.policyFile, { publicKey }));
      messages.push(message);
      expect(message).toContain(
        `${ref.field}: file ${ref.path} differs from the signed manifest privacy.yaml.sig (changed or replaced after signing)`,
      );
      const notices: string[] = [];
      const running = startPrivacySdk({
        env: {
          OTEL_PRIVACY_POLICY: t.policyFile,
          [POLICY_PUBLIC_KEY_ENV]: publicFile,
          OTEL_TRACES_EXPORTER: 'none',
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
          OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
        },
        notice: (l) => notices.push(l),
        handleSignals: false,
      });
      expect(running, ref.field).toBeUndefined();
      expect(notices[0]).toMatch(/^not started \(telemetry is off\): /);
      expect(notices[0]).toContain(`${ref.field}: file ${ref.path} differs`);
      messages.push(...notices);
      writeFileSync(path, original);
    }
    // the policy itself
    writeFileSync(
      t.policyFile,
      readFileSync(t.policyFile, 'utf8').replace('http.route', 'http.route", "user.agent.original'),
    );
    expect(refusal(() => loadPolicy(t.policyFile, { publicKey }))).toMatch(
      /privacy\.yaml \(signature\): policy file privacy\.yaml differs from the signed manifest privacy\.yaml\.sig/,
    );
  });

  it('on reload: each file kind is refused at once, the last good policy stays; a restored file is fine again', () => {
    const t = setUp('reload-swap');
    t.sign();
    const env = { [POLICY_PUBLIC_KEY_ENV]: publicFile, OTEL_PRIVACY_POLICY_RELOAD: 'true' };
    const policy = loadPolicy(t.policyFile, { publicKey });
    const errors: string[] = [];
    watcher = policyOperationsFromEnv(t.policyFile, policy, env, { onError: (e) => errors.push(e.message) });
    const emit = tracing(policy);
    const good = emit();
    expect(good.optedOut).toBe(true);
    expect(good.pseudonym).toMatch(/^h2:/);
    expect(good.tokenKey).toMatch(/^enc:v2:/);
    const refs = referencedFiles(parsePolicyText(readFileSync(t.policyFile, 'utf8'), 'p').value);
    let rejections = 0;
    for (const ref of refs) {
      const path = join(t.home, ref.path);
      const original = readFileSync(path);
      writeFileSync(path, swaps[kindOf(ref.field)]());
      expect(watcher!.check(), ref.field).toBe('rejected');
      expect(watcher!.rejections).toBe(++rejections);
      expect(errors.at(-1)).toContain(`file ${ref.path} differs from the signed manifest`);
      expect(emit(), ref.field).toEqual(good);
      writeFileSync(path, original);
      expect(watcher!.check(), ref.field).not.toBe('rejected');
      expect(emit(), ref.field).toEqual(good);
    }
    messages.push(...errors);
  });
});

describe('the opt-out filter without policy reload', () => {
  it('a swapped filter is refused by the opt-out watcher alone; the subject stays opted out', () => {
    const t = setUp('optout-only');
    t.sign();
    const policy = loadPolicy(t.policyFile, { publicKey });
    const errors: string[] = [];
    watcher = policyOperationsFromEnv(
      t.policyFile,
      policy,
      { [POLICY_PUBLIC_KEY_ENV]: publicFile },
      { onError: (e) => errors.push(e.message) },
    );
    const emit = tracing(policy);
    expect(emit().optedOut).toBe(true);
    writeFileSync(join(t.home, 'optout.bloom'), swaps['consent.optOut.file']());
    expect(watcher!.check()).toBe('rejected');
    expect(errors).toEqual([expect.stringContaining('file optout.bloom differs from the signed manifest')]);
    expect(emit().optedOut).toBe(true);
  });
});

describe('legitimate changes, re-signed', () => {
  it('a new recipient key, a new opt-out filter and a policy edit are accepted once signed', () => {
    const t = setUp('resign');
    t.sign();
    const policy = loadPolicy(t.policyFile, { publicKey });
    watcher = policyOperationsFromEnv(
      t.policyFile,
      policy,
      { [POLICY_PUBLIC_KEY_ENV]: publicFile, OTEL_PRIVACY_POLICY_RELOAD: 'true' },
      { onError: () => undefined },
    );
    const emit = tracing(policy);
    const before = emit();
    // rotation of the recipient key: the new public key, then the signature
    writeFileSync(join(t.home, 'recipient.pub.pem'), generateRecipientKeyPair().publicKey);
    writeFileSync(join(t.home, 'optout.bloom'), t.filter([]));
    t.rewrite(['http.route', 'user.agent.original']);
    t.sign();
    expect(watcher!.check()).toBe('reloaded');
    const after = emit();
    expect(after.tokenKey).not.toBe(before.tokenKey);
    expect(after.optedOut).toBe(false);
    expect(after.agent).toBe('fake-agent');
    expect(before.agent).toBeUndefined();
    expect(after.pseudonym).toBe(before.pseudonym);
  });
});

describe('rollback and identity', () => {
  it('an older signed policy copied back is refused (in this process), the newer one stays', () => {
    const t = setUp('rollback');
    const old = t.sign({ serial: 5 });
    const aside = join(t.home, 'aside');
    mkdirSync(aside);
    copyFileSync(t.policyFile, join(aside, 'privacy.yaml'));
    copyFileSync(`${t.policyFile}.sig`, join(aside, 'privacy.yaml.sig'));
    const policy = loadPolicy(t.policyFile, { publicKey });
    expect(signedManifestOf(policy)?.serial).toBe(old.serial);
    watcher = policyOperationsFromEnv(
      t.policyFile,
      policy,
      { [POLICY_PUBLIC_KEY_ENV]: publicFile, OTEL_PRIVACY_POLICY_RELOAD: 'true' },
      { onError: (e) => messages.push(e.message) },
    );
    const emit = tracing(policy);
    // the newer policy drops the opt-out filter's subject less… it allows user.agent.original
    t.rewrite(['http.route', 'user.agent.original']);
    t.sign({ serial: 6 });
    expect(watcher!.check()).toBe('reloaded');
    expect(emit().agent).toBe('fake-agent');
    copyFileSync(join(aside, 'privacy.yaml'), t.policyFile);
    copyFileSync(join(aside, 'privacy.yaml.sig'), `${t.policyFile}.sig`);
    expect(watcher!.check()).toBe('rejected');
    expect(messages.at(-1)).toMatch(
      /\(signature\): policy "rollback" serial 5 is older than serial 6 already accepted in this process \(rollback refused/,
    );
    expect(emit().agent).toBe('fake-agent');
    expect(refusal(() => loadPolicy(t.policyFile, { publicKey }))).toMatch(/serial 5 is older than serial 6/);
    // the same serial with other content is refused too (every signing needs a new serial)
    t.rewrite(['http.route', 'user.agent.original', 'url.path']);
    t.sign({ serial: 6 });
    expect(refusal(() => loadPolicy(t.policyFile, { publicKey }))).toMatch(
      /serial 6 was already accepted in this process with another manifest/,
    );
  });

  it('a state file that is not ours, or cannot be written, refuses the policy', () => {
    const t = setUp('state');
    const state = join(t.home, 'policy-state.json');
    t.sign({ serial: 41 });
    loadPolicy(t.policyFile, { publicKey, stateFile: state });
    const written = JSON.parse(readFileSync(state, 'utf8'));
    expect(written.policies.state.serial).toBe(41);
    // a state file that is not ours is refused rather than forgotten
    writeFileSync(state, '{"serials": {}}');
    expect(refusal(() => loadPolicy(t.policyFile, { publicKey, stateFile: state }))).toMatch(
      /policy state file .* is not one otel-privacy wrote/,
    );
    // a state file that cannot be written refuses the policy
    const unwritable = join(t.home, 'missing-dir', 'state.json');
    t.sign({ serial: 42 });
    expect(refusal(() => loadPolicy(t.policyFile, { publicKey, stateFile: unwritable }))).toMatch(
      /cannot write the policy state file .*\(ENOENT\); the policy is refused/,
    );
  });

  it('a policy signed for another identity is refused (configured, and pinned on reload)', () => {
    const a = setUp('checkout');
    a.sign();
    const b = setUp('billing');
    b.sign();
    expect(refusal(() => loadPolicy(b.policyFile, { publicKey, identity: 'checkout' }))).toMatch(
      /\(signature\): the policy is signed for "billing", this process expects "checkout"/,
    );
    const notices: string[] = [];
    const running = startPrivacySdk({
      env: {
        OTEL_PRIVACY_POLICY: b.policyFile,
        [POLICY_PUBLIC_KEY_ENV]: publicFile,
        [POLICY_IDENTITY_ENV]: 'checkout',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
      },
      notice: (l) => notices.push(l),
      handleSignals: false,
    });
    expect(running).toBeUndefined();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/signed for "billing", this process expects "checkout"/);
    // without a configured identity, a reload keeps the identity of the policy in effect
    const policy = loadPolicy(a.policyFile, { publicKey });
    const errors: string[] = [];
    watcher = policyOperationsFromEnv(
      a.policyFile,
      policy,
      { [POLICY_PUBLIC_KEY_ENV]: publicFile, OTEL_PRIVACY_POLICY_RELOAD: 'true' },
      { onError: (e) => errors.push(e.message) },
    );
    for (const f of ['privacy.yaml', 'privacy.yaml.sig', 'hmac.key', 'hmac-old.key', 'enc.key', 'recipient.pub.pem'])
      copyFileSync(join(b.home, f), join(a.home, f));
    b.sign({ serial: 10_000 });
    copyFileSync(`${b.policyFile}.sig`, `${a.policyFile}.sig`);
    expect(watcher!.check()).toBe('rejected');
    expect(errors.at(-1)).toMatch(/signed for "billing", this process expects "checkout"/);
    // an identity or a state file without the public key is a configuration error, not a silent no-op
    const lone: string[] = [];
    expect(
      startPrivacySdk({
        env: {
          OTEL_PRIVACY_POLICY: a.policyFile,
          [POLICY_STATE_ENV]: join(a.home, 's.json'),
          OTEL_TRACES_EXPORTER: 'none',
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
          OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
        },
        notice: (l) => lone.push(l),
        handleSignals: false,
      }),
    ).toBeUndefined();
    expect(lone[0]).toMatch(/OTEL_PRIVACY_POLICY_STATE is set but OTEL_PRIVACY_POLICY_PUBLIC_KEY is not/);
  });
});

describe('signature files that are not a valid manifest', () => {
  it('the old format (policy bytes only) is refused with a migration hint', () => {
    const t = setUp('legacy');
    const legacy = `ed25519:${ed25519Sign(null, readFileSync(t.policyFile), signer.privateKey).toString('base64')}\n`;
    writeFileSync(`${t.policyFile}.sig`, legacy);
    expect(refusal(() => loadPolicy(t.policyFile, { publicKey }))).toMatch(
      /privacy\.yaml\.sig is in the old format .* sign the policy again with otel-privacy sign/,
    );
  });

  it('a forged manifest naming a FIFO is refused without reading the FIFO (at start and by the watcher)', () => {
    const t = setUp('forged');
    t.sign();
    const policy = loadPolicy(t.policyFile, { publicKey });
    watcher = policyOperationsFromEnv(
      t.policyFile,
      policy,
      { [POLICY_PUBLIC_KEY_ENV]: publicFile, OTEL_PRIVACY_POLICY_RELOAD: 'true' },
      { onError: () => undefined },
    );
    // reading a FIFO without a writer blocks forever: this test hangs if anything reads it
    const fifo = join(t.home, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const sig = readFileSync(`${t.policyFile}.sig`, 'utf8');
    const manifest = JSON.parse(sig.slice(0, sig.lastIndexOf('\ned25519:') + 1));
    manifest.serial += 1;
    manifest.files.push({ field: 'keys.hmac[0].file', path: fifo, sha256: '0'.repeat(64) });
    writeFileSync(
      `${t.policyFile}.sig`,
      `${JSON.stringify(manifest, null, 2)}\n${sig.slice(sig.lastIndexOf('ed25519:'))}`,
    );
    expect(watcher!.check()).toBe('rejected');
    expect(refusal(() => loadPolicy(t.policyFile, { publicKey }))).toMatch(/privacy\.yaml\.sig does not verify/);
    expect(watcher!.check()).toBe('unchanged');
  });

  it('any byte change to a signed manifest is refused (generated edits)', () => {
    const t = setUp('tamper');
    t.sign();
    const sig = readFileSync(`${t.policyFile}.sig`);
    expect(loadPolicy(t.policyFile, { publicKey }).name).toBe('tamper');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sig.length - 2 }), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const bytes = Buffer.from(sig);
        bytes[at] = (bytes[at]! + delta) % 256;
        writeFileSync(`${t.policyFile}.sig`, bytes);
        expect(refusal(() => loadPolicy(t.policyFile, { publicKey }))).toMatch(
          /\(signature\): policy signature privacy\.yaml\.sig (does not verify|is malformed|is in the old format)/,
        );
      }),
      { numRuns: 80 },
    );
  });
});
