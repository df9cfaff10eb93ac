import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { PrivacySpanProcessor, loadPolicy } from '../../index';
import type { Policy } from '../../index';
import { policyOperationsFromEnv, watchPolicy } from '../../instrumentation/policy-watcher';
import type { PolicyWatcher } from '../../instrumentation/policy-watcher';
import { startPrivacySdk } from '../../instrumentation/start-privacy-sdk';
import { POLICY_PUBLIC_KEY_ENV, signPolicyFile } from '../../policy/policy-signature';

vi.mock('../../instrumentation/esm-loader-hook', () => ({ registerEsmLoaderHook: () => undefined }));

const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-signed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
process.env.SIGNED_TEST_HMAC = `base64:${randomBytes(32).toString('base64')}`;
process.env.SIGNED_TEST_HMAC_2 = `base64:${randomBytes(32).toString('base64')}`;

const signer = generateKeyPairSync('ed25519');
const signerPrivatePem = Buffer.from(signer.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
const publicPem = signer.publicKey.export({ format: 'pem', type: 'spki' }) as string;
const publicFile = join(dir, 'policy-signing.pub.pem');
writeFileSync(publicFile, publicPem);
const stranger = generateKeyPairSync('ed25519');
const strangerPem = Buffer.from(stranger.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);

const text = (allow: string[]) =>
  `version: 1\nkeys: { hmac: { id: s1, env: SIGNED_TEST_HMAC } }\nattributes:\n  allow: ${JSON.stringify(allow)}\n  hash: [user.id]\n`;

/** Signs `file` (identity: its base name) with an explicit, growing serial. */
let serial = 1;
function signFile(file: string, key: Buffer): void {
  writeFileSync(`${file}.sig`, signPolicyFile(file, key, { name: basename(file), serial: serial++ }).text);
}

function write(file: string, body: string, sign: Buffer | null = signerPrivatePem): void {
  writeFileSync(file, body);
  if (sign) signFile(file, sign);
  else rmSync(`${file}.sig`, { force: true });
}

let watcher: PolicyWatcher | undefined;
afterEach(() => {
  watcher?.close();
  watcher = undefined;
});

function baseEnv(file: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OTEL_PRIVACY_POLICY: file,
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
    ...extra,
  };
}

describe('signed policies at start (OTEL_PRIVACY_POLICY_PUBLIC_KEY)', () => {
  it('starts with a valid signature (key as a file or as PEM text); refuses a missing, foreign or stale one in one line', async () => {
    const file = join(dir, 'start.yaml');
    for (const key of [publicFile, publicPem]) {
      write(file, text(['http.route']));
      const notices: string[] = [];
      const running = startPrivacySdk({
        env: baseEnv(file, { [POLICY_PUBLIC_KEY_ENV]: key }),
        notice: (l) => notices.push(l),
        handleSignals: false,
      });
      expect(running, notices.join('\n')).toBeDefined();
      await running!.shutdown();
    }
    const refusals: [string, () => void, RegExp][] = [
      [
        'unsigned',
        () => write(file, text(['http.route']), null),
        /policy is not signed: cannot read .*start\.yaml\.sig \(ENOENT\)/,
      ],
      ['foreign key', () => write(file, text(['http.route']), strangerPem), /start\.yaml\.sig does not verify/],
      [
        'edited after signing',
        () => {
          write(file, text(['http.route']));
          writeFileSync(file, text(['http.route', 'user.email']));
        },
        /policy file start\.yaml differs from the signed manifest start\.yaml\.sig \(changed after signing\)/,
      ],
      ['malformed', () => writeFileSync(`${file}.sig`, 'not a signature\n'), /is malformed/],
    ];
    for (const [name, prepare, message] of refusals) {
      prepare();
      const notices: string[] = [];
      const running = startPrivacySdk({
        env: baseEnv(file, { [POLICY_PUBLIC_KEY_ENV]: publicFile }),
        notice: (l) => notices.push(l),
        handleSignals: false,
      });
      expect(running, name).toBeUndefined();
      expect(notices, name).toHaveLength(1);
      expect(notices[0], name).toMatch(/^not started \(telemetry is off\): /);
      expect(notices[0], name).toMatch(message);
      expect(notices[0]).not.toContain('\n');
    }
  });

  it('any single-byte change to a signed policy is refused (generated edits)', () => {
    const file = join(dir, 'bytes.yaml');
    const body = text(['http.route']);
    write(file, body);
    const publicKey = signer.publicKey;
    expect(loadPolicy(file, { publicKey }).hash).toBeTypeOf('string');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const bytes = Buffer.from(body);
        bytes[at] = (bytes[at]! + delta) % 256;
        writeFileSync(file, bytes);
        expect(() => loadPolicy(file, { publicKey })).toThrow(/\(signature\)/);
      }),
      { numRuns: 60 },
    );
  });

  it('a private key or a non-Ed25519 key in the variable is refused without echoing it', () => {
    const file = join(dir, 'wrongkey.yaml');
    write(file, text(['http.route']));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      format: 'pem',
      type: 'spki',
    }) as string;
    for (const [value, message] of [
      [signerPrivatePem.toString(), /holds a private key/],
      [rsa, /is a rsa key, not Ed25519/],
      ['/nonexistent/key.pem', /expected a PEM public key or the path of a file holding one \(ENOENT\)/],
    ] as const) {
      const notices: string[] = [];
      const running = startPrivacySdk({
        env: baseEnv(file, { [POLICY_PUBLIC_KEY_ENV]: value }),
        notice: (l) => notices.push(l),
        handleSignals: false,
      });
      expect(running).toBeUndefined();
      expect(notices[0]).toMatch(message);
      expect(notices[0]).not.toContain('BEGIN');
    }
  });
});

function tracing(policy: Policy) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
  });
  const tracer = provider.getTracer('signed');
  return () => {
    tracer
      .startSpan('op', { attributes: { 'http.route': '/a', 'user.email': 'fake@example.test', 'user.id': 'u-1' } })
      .end();
    return exporter.getFinishedSpans().at(-1)!.attributes;
  };
}

describe('signed policies on hot reload', () => {
  it('an unsigned or badly signed edit is refused and counted, the last good policy stays; a signature written afterwards is picked up', () => {
    const file = join(dir, 'reload.yaml');
    write(file, text(['http.route']));
    const env = { [POLICY_PUBLIC_KEY_ENV]: publicFile, OTEL_PRIVACY_POLICY_RELOAD: 'true' };
    const policy = loadPolicy(file, { publicKey: signer.publicKey });
    const errors: string[] = [];
    watcher = policyOperationsFromEnv(file, policy, env, { onError: (e) => errors.push(e.message) });
    const emit = tracing(policy);
    expect(emit()['user.email']).toBeUndefined();

    // the policy is edited, the signature not yet renewed
    writeFileSync(file, text(['http.route', 'user.email']));
    expect(watcher!.check()).toBe('rejected');
    expect(watcher!.rejections).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/\(signature\): policy file reload\.yaml differs from the signed manifest/);
    expect(emit()['user.email']).toBeUndefined();
    expect(watcher!.check()).toBe('unchanged'); // reported once

    // signed by someone else
    signFile(file, strangerPem);
    expect(watcher!.check()).toBe('rejected');
    expect(watcher!.rejections).toBe(2);
    expect(emit()['user.email']).toBeUndefined();

    // the right signature arrives after the policy: the watcher sees the .sig change and reloads
    signFile(file, signerPrivatePem);
    expect(watcher!.check()).toBe('reloaded');
    expect(emit()['user.email']).toBe('fake@example.test');
    expect(watcher!.rejections).toBe(2);
  });

  it('a new key ring takes effect on reload like any policy change: the active id changes, old pseudonyms stay findable', () => {
    const file = join(dir, 'ring.yaml');
    writeFileSync(file, text(['http.route']));
    const policy = loadPolicy(file);
    watcher = watchPolicy(file, { policy, onError: () => undefined });
    const emit = tracing(policy);
    const before = emit()['user.id'] as string;
    expect(before).toMatch(/^s1:/);
    writeFileSync(
      file,
      text(['http.route']).replace(
        'keys: { hmac: { id: s1, env: SIGNED_TEST_HMAC } }',
        'keys:\n  hmac:\n    - { id: s2, env: SIGNED_TEST_HMAC_2 }\n    - { id: s1, env: SIGNED_TEST_HMAC }',
      ),
    );
    expect(watcher.check()).toBe('reloaded');
    const after = emit()['user.id'] as string;
    expect(after).toMatch(/^s2:/);
    expect(policy.pseudonymsOf('u-1')).toEqual([after, before]);
    // a ring whose new key is missing is refused; the ring in effect stays
    writeFileSync(file, readFileSync(file, 'utf8').replace('SIGNED_TEST_HMAC_2', 'SIGNED_TEST_HMAC_UNSET'));
    expect(watcher.check()).toBe('rejected');
    expect(emit()['user.id']).toBe(after);
  });
});
