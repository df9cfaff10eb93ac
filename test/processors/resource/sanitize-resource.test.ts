import { createHmac } from 'node:crypto';
import { detectResources, resourceFromAttributes } from '@opentelemetry/resources';
import type { ResourceDetector } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
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
