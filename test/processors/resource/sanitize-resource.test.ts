import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { detectResources, resourceFromAttributes } from '@opentelemetry/resources';
import type { ResourceDetector } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ENCRYPTION_DATA_KEY_ATTRIBUTE,
  POLICY_HASH_ATTRIBUTE,
  PrivacySpanProcessor,
  definePolicy,
  privacyResourceDetector,
  sanitizeResource,
} from '../../../index';

const KEY = 'fake-hmac-key-for-resource-tests-0123456789';
const pseudonym = (v: string) =>
  `k1:${createHmac('sha256', KEY).update(v).digest().subarray(0, 16).toString('base64url')}`;

beforeEach(() => {
  process.env.TEST_RES_HMAC = KEY;
});
afterEach(() => {
  delete process.env.TEST_RES_HMAC;
});

const policy = () =>
  definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'TEST_RES_HMAC' } },
    resource: {
      allow: ['service.*', 'cloud.region'],
      hash: ['host.name', 'k8s.pod.name'],
      drop: ['process.command_line'],
    },
  });

/** An attribute value (an allowed array) whose second element throws when read, so sanitizing it fails part-way. */
function explodingArray(): string[] {
  const a = ['fake-tag'];
  Object.defineProperty(a, 1, {
    enumerable: true,
    get() {
      throw new Error('getter exploded');
    },
  });
  return a;
}

describe('sanitizeResource', () => {
  it('applies the resource rules once, adds the policy hash and leaves the input untouched', () => {
    const p = policy();
    const raw = resourceFromAttributes(
      {
        'service.name': 'cart',
        'host.name': 'fake-host-7',
        'process.command_line': 'node --token=abc',
        'os.type': 'linux',
      },
      { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' },
    );
    const clean = sanitizeResource(p, raw);
    expect(clean.attributes).toEqual({
      'service.name': 'cart',
      'host.name': pseudonym('fake-host-7'),
      [POLICY_HASH_ATTRIBUTE]: p.hash,
    });
    expect(clean.schemaUrl).toBe('https://opentelemetry.io/schemas/1.30.0');
    expect(raw.attributes['host.name']).toBe('fake-host-7');
    expect(sanitizeResource(p, raw)).toBe(clean); // cached per resource
    expect(sanitizeResource(p, clean)).toBe(clean); // never hashed twice
  });

  it('fails closed: a resource that cannot be sanitized keeps only the policy hash, never its raw attributes', () => {
    const p = policy();
    const raw = resourceFromAttributes({
      'service.name': 'cart',
      'host.name': 'fake-host-7',
      'process.command_line': 'node --token=abc',
      'service.tags': explodingArray(),
    });
    const clean = sanitizeResource(p, raw);
    expect(clean.attributes).toEqual({ [POLICY_HASH_ATTRIBUTE]: p.compiled.hash });
    expect(p.counters.dropped.resource.failed).toBe(1);
  });

  it('fails closed in the detector wrapper too: detected attributes that cannot be sanitized are all dropped and counted', () => {
    const p = policy();
    const detector: ResourceDetector = {
      detect: () => ({ attributes: { 'host.name': 'fake-host-7', 'service.tags': explodingArray() } }),
    };
    const detected = privacyResourceDetector(p, [detector]).detect();
    expect(detected.attributes).toEqual({ [POLICY_HASH_ATTRIBUTE]: p.compiled.hash });
    expect(p.counters.dropped.resource.failed).toBe(1);
  });

  it('sanitizes async attributes once they settle', async () => {
    const p = policy();
    const raw = resourceFromAttributes({
      'service.name': 'cart',
      'host.name': Promise.resolve('fake-host-async'),
      'process.command_line': Promise.resolve('secret'),
      'k8s.pod.name': Promise.reject(new Error('no k8s')),
    });
    const clean = sanitizeResource(p, raw);
    expect(clean.asyncAttributesPending).toBe(true);
    await clean.waitForAsyncAttributes?.();
    expect(clean.attributes).toEqual({
      'service.name': 'cart',
      'host.name': pseudonym('fake-host-async'),
      [POLICY_HASH_ATTRIBUTE]: p.hash,
    });
  });
});

describe('privacyResourceDetector', () => {
  it('sanitizes what real detectors detect, sync and async, before the SDK sees it', async () => {
    const p = policy();
    const fakeCloud: ResourceDetector = {
      detect: () => ({
        attributes: {
          'cloud.region': 'eu-fake-1',
          'k8s.pod.name': Promise.resolve('fake-pod-1'),
          'cloud.account.id': '123456789012',
        },
      }),
    };
    const fakeHost: ResourceDetector = {
      detect: () => ({ attributes: { 'host.name': 'fake-host-9', 'process.command_line': 'node app --password=x' } }),
    };
    const broken: ResourceDetector = {
      detect: () => {
        throw new Error('detector broke');
      },
    };
    const resource = detectResources({ detectors: [privacyResourceDetector(p, [fakeCloud, broken, fakeHost])] });
    await resource.waitForAsyncAttributes?.();
    expect(resource.attributes).toEqual({
      'cloud.region': 'eu-fake-1',
      'k8s.pod.name': pseudonym('fake-pod-1'),
      'host.name': pseudonym('fake-host-9'),
      [POLICY_HASH_ATTRIBUTE]: p.hash,
    });
  });
});

describe('privacyResourceDetector with a span processor on the same policy', () => {
  it('hashes detected values once, and still sanitizes what the SDK merged in from elsewhere', async () => {
    const p = policy();
    const detector: ResourceDetector = {
      detect: () => ({ attributes: { 'host.name': 'fake-host-3', 'k8s.pod.name': Promise.resolve('fake-pod-3') } }),
    };
    const detected = detectResources({ detectors: [privacyResourceDetector(p, [detector])] });
    await detected.waitForAsyncAttributes?.();
    // What the SDK does with OTEL_RESOURCE_ATTRIBUTES and its defaults: merge raw attributes in.
    const merged = detected.merge(
      resourceFromAttributes({
        'service.name': 'cart',
        'process.command_line': 'node app --password=fake',
        'host.name.extra': 'x',
      }),
    );
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      resource: merged,
      spanProcessors: [new PrivacySpanProcessor({ policy: p, next: new SimpleSpanProcessor({ exporter }) })],
    });
    provider.getTracer('t').startSpan('s').end();
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    await span.resource.waitForAsyncAttributes?.();
    expect(span.resource.attributes).toEqual({
      'service.name': 'cart',
      'host.name': pseudonym('fake-host-3'),
      'k8s.pod.name': pseudonym('fake-pod-3'),
      [POLICY_HASH_ATTRIBUTE]: p.hash,
    });
    await provider.shutdown();
  });

  it('follows a replaced policy: the next resource sanitized carries the new rules and hash', () => {
    const p = policy();
    const raw = resourceFromAttributes({
      'service.name': 'cart',
      'cloud.region': 'eu-fake-1',
      'host.name': 'fake-host-4',
    });
    const before = sanitizeResource(p, raw);
    expect(before.attributes['cloud.region']).toBe('eu-fake-1');
    const next = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'TEST_RES_HMAC' } },
      resource: { allow: ['service.*'] },
    });
    p.replaceWith(next);
    const after = sanitizeResource(p, raw);
    expect(after).not.toBe(before);
    expect(after.attributes).toEqual({ 'service.name': 'cart', [POLICY_HASH_ATTRIBUTE]: next.hash });
    expect(p.hash).toBe(next.hash);
  });

  it('after a reload, a resource produced under the old rules (what providers hold) is sanitized again from its raw origin', async () => {
    const p = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'TEST_RES_HMAC' } },
      resource: { allow: ['service.*', 'host.name'] },
    });
    const detector: ResourceDetector = { detect: () => ({ attributes: { 'host.name': 'fake-laptop-1' } }) };
    const providerResource = sanitizeResource(
      p,
      detectResources({ detectors: [privacyResourceDetector(p, [detector])] }).merge(
        resourceFromAttributes({ 'service.name': 'cart' }),
      ),
    );
    expect(providerResource.attributes['host.name']).toBe('fake-laptop-1');
    expect(sanitizeResource(p, providerResource)).toBe(providerResource);
    const next = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'TEST_RES_HMAC' } },
      resource: { allow: ['service.*'], hash: ['host.name'] },
    });
    p.replaceWith(next);
    const after = sanitizeResource(p, providerResource);
    expect(after.attributes).toEqual({
      'service.name': 'cart',
      'host.name': pseudonym('fake-laptop-1'),
      [POLICY_HASH_ATTRIBUTE]: next.hash,
    });
  });
});

describe('sanitizeResource on merged resources', () => {
  it('keeps the value the SDK itself would report for a duplicated key (the updating resource wins)', () => {
    const p = policy();
    const defaults = resourceFromAttributes({ 'service.name': 'unknown_service:node', 'host.name': 'fake-host-old' });
    const merged = defaults.merge(resourceFromAttributes({ 'service.name': 'cart', 'host.name': 'fake-host-new' }));
    expect(merged.attributes['service.name']).toBe('cart');
    expect(sanitizeResource(p, merged).attributes).toEqual({
      'service.name': 'cart',
      'host.name': pseudonym('fake-host-new'),
      [POLICY_HASH_ATTRIBUTE]: p.hash,
    });
  });
});

/** Every `diag` line written while `run` runs (debug and up). */
async function diagLines(run: () => unknown): Promise<string[]> {
  const lines: string[] = [];
  const log = (m: string) => lines.push(m);
  diag.setLogger({ error: log, warn: log, info: log, debug: log, verbose: log }, DiagLogLevel.DEBUG);
  try {
    await run();
  } finally {
    diag.disable();
  }
  return lines;
}

describe('resource sanitizing: pending values, odd values, caches and failures', () => {
  it('an async detector value that settles after the resource reached a processor is hashed once, not twice', async () => {
    const p = policy();
    let settle!: (v: string) => void;
    const late = new Promise<string>((resolve) => (settle = resolve));
    const detected = detectResources({
      detectors: [privacyResourceDetector(p, [{ detect: () => ({ attributes: { 'host.name': late } }) }])],
    });
    const clean = sanitizeResource(p, detected);
    settle('fake-host-late');
    await clean.waitForAsyncAttributes?.();
    expect(clean.attributes).toEqual({ 'host.name': pseudonym('fake-host-late'), [POLICY_HASH_ATTRIBUTE]: p.hash });
  });

  it('a raw value merged in under a key the detector produced is sanitized (only the produced value passes)', async () => {
    const p = policy();
    const detected = detectResources({
      detectors: [privacyResourceDetector(p, [{ detect: () => ({ attributes: { 'host.name': 'fake-host-3' } }) }])],
    });
    // OTEL_RESOURCE_ATTRIBUTES-style raw value for the same key: the updating resource wins in the SDK.
    const merged = detected.merge(resourceFromAttributes({ 'host.name': 'fake-raw-host' }));
    expect(sanitizeResource(p, merged).attributes).toEqual({
      'host.name': pseudonym('fake-raw-host'),
      [POLICY_HASH_ATTRIBUTE]: p.hash,
    });
    expect(sanitizeResource(p, detected).attributes['host.name']).toBe(pseudonym('fake-host-3'));
  });

  it('a null or undefined value neither fails the resource nor hides the value under it', () => {
    const p = policy();
    const detected = privacyResourceDetector(p, [
      { detect: () => ({ attributes: { 'service.name': 'cart', 'cloud.region': null as unknown as string } }) },
    ]).detect();
    expect(detected.attributes?.['service.name']).toBe('cart');
    expect(p.counters.dropped.resource.failed).toBe(0);
    const merged = resourceFromAttributes({ 'service.name': 'cart', 'service.version': '1.2.3' }).merge(
      resourceFromAttributes({ 'service.name': undefined, 'cloud.region': null as unknown as string }),
    );
    // what the SDK itself reports for the merged resource: the value under the undefined one
    expect(merged.attributes['service.name']).toBe('cart');
    expect(sanitizeResource(p, merged).attributes).toEqual({
      'service.name': 'cart',
      'service.version': '1.2.3',
      [POLICY_HASH_ATTRIBUTE]: p.hash,
    });
    expect(p.counters.dropped.resource.failed).toBe(0);
  });

  it('a dropped attribute is not in the resource at all, and a pending one never holds the resource pending', () => {
    const p = policy();
    const raw = resourceFromAttributes({
      'service.name': 'cart',
      'os.type': 'linux',
      'process.command_line': new Promise<string>(() => {}), // never settles
    });
    const clean = sanitizeResource(p, raw);
    expect(clean.asyncAttributesPending).toBe(false);
    expect(clean.getRawAttributes().map(([key]) => key)).toEqual(['service.name', POLICY_HASH_ATTRIBUTE]);
    expect(p.ruleStats()).toContainEqual(
      expect.objectContaining({ signal: 'resource', action: 'drop', rule: 'drop "process.command_line"', count: 1 }),
    );
  });

  it('a pending value the rules drop once it settles leaves nothing in the resource, not even a placeholder', async () => {
    const p = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'TEST_RES_HMAC' } },
      resource: { allow: ['service.*'], generalize: { 'host.ip': 'ip-prefix' } },
    });
    const clean = sanitizeResource(
      p,
      resourceFromAttributes({ 'service.name': 'cart', 'host.ip': Promise.resolve('fake-not-an-address') }),
    );
    await clean.waitForAsyncAttributes?.();
    expect(clean.attributes).toEqual({ 'service.name': 'cart', [POLICY_HASH_ATTRIBUTE]: p.hash });
    expect(clean.getRawAttributes().filter(([, value]) => value !== undefined)).toEqual([
      ['service.name', 'cart'],
      [POLICY_HASH_ATTRIBUTE, p.hash],
    ]);
  });

  it('a rejected pending value under a dropped key is never left unhandled', async () => {
    const p = policy();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const detected = privacyResourceDetector(p, [
        { detect: () => ({ attributes: { 'process.command_line': Promise.reject(new Error('fake: no proc')) } }) },
      ]).detect();
      expect(Object.keys(detected.attributes ?? {})).toEqual([POLICY_HASH_ATTRIBUTE]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('with a recipient public key, the resource carries the wrapped data key (sanitized and detected resources)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-resource-recipient-'));
    try {
      const pub = join(dir, 'ops.pub.pem');
      writeFileSync(pub, generateKeyPairSync('x25519').publicKey.export({ format: 'pem', type: 'spki' }));
      const p = definePolicy({
        version: 1,
        keys: { encryption: [{ id: 'ops', recipient: pub }] },
        resource: { allow: ['service.name'] },
      });
      const wrapped = sanitizeResource(p, resourceFromAttributes({ 'service.name': 'cart' })).attributes[
        ENCRYPTION_DATA_KEY_ATTRIBUTE
      ];
      expect(wrapped).toMatch(/^ekw:v2:ops:/);
      expect(privacyResourceDetector(p, []).detect().attributes?.[ENCRYPTION_DATA_KEY_ATTRIBUTE]).toBe(wrapped);
      // without one, no such attribute at all
      const plain = sanitizeResource(policy(), resourceFromAttributes({ 'service.name': 'cart' }));
      expect(plain.getRawAttributes().map(([key]) => key)).toEqual(['service.name', POLICY_HASH_ATTRIBUTE]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('one raw resource sanitized under many policy generations gives each generation its own result', () => {
    const p = policy();
    const raw = resourceFromAttributes({ 'service.name': 'cart', 'cloud.region': 'eu-fake-1' });
    const allows = [['service.*'], ['cloud.region'], ['service.*', 'cloud.region'], [], ['service.*'], ['cloud.*']];
    for (const allow of allows) {
      p.replaceWith(
        definePolicy({ version: 1, keys: { hmac: { id: 'k1', env: 'TEST_RES_HMAC' } }, resource: { allow } }),
      );
      const expected: Record<string, unknown> = { [POLICY_HASH_ATTRIBUTE]: p.hash };
      if (allow.includes('service.*')) expected['service.name'] = 'cart';
      if (allow.some((a) => a.startsWith('cloud.'))) expected['cloud.region'] = 'eu-fake-1';
      expect(sanitizeResource(p, raw).attributes).toEqual(expected);
    }
  });

  it('says what failed: a resource that cannot be sanitized and a detector that throws are logged', async () => {
    const p = policy();
    const lines = await diagLines(() => {
      sanitizeResource(p, resourceFromAttributes({ 'service.tags': explodingArray() }));
      privacyResourceDetector(policy(), [
        { detect: () => ({ attributes: { 'service.tags': explodingArray() } }) },
        {
          detect: () => {
            throw new Error('fake detector broke');
          },
        },
      ]).detect();
    });
    expect(lines).toContainEqual(expect.stringMatching(/^otel-privacy: resource attributes were dropped because/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^otel-privacy: detected resource attributes were dropped because/),
    );
    expect(lines).toContain('otel-privacy: resource detector failed: fake detector broke');
  });
});
