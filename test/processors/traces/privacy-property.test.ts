import fc from 'fast-check';
import picomatch from 'picomatch';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy } from '../../../index';

// An independent oracle for the decision order (drop > encrypt > hash > generalize > allow > default),
// written with picomatch directly rather than through the engine under test.
type Lists = { allow: string[]; hash: string[]; encrypt: string[]; drop: string[] };
function oracle(lists: Lists, fallback: 'drop' | 'mask' | 'hash', key: string): string {
  const hit = (globs: string[]) => globs.some((g) => picomatch.isMatch(key, g, { dot: true }));
  if (hit(lists.drop)) return 'drop';
  if (hit(lists.encrypt)) return 'encrypt';
  if (hit(lists.hash)) return 'hash';
  if (hit(lists.allow)) return 'allow';
  return fallback;
}

const segment = fc.constantFrom('user', 'id', 'email', 'http', 'route', 'db', 'password', 'app', 'x');
const attrKey = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.'));
const glob = fc.oneof(
  attrKey,
  attrKey.map((k) => `${k}.*`),
  segment.map((s) => `*${s}*`),
  segment.map((s) => `${s}*`),
);
const globs = fc.array(glob, { maxLength: 4 });

beforeAll(() => {
  process.env.PROP_HMAC = 'fake-hmac-key-for-property-tests-0123456789';
  process.env.PROP_ENC = `hex:${'ab'.repeat(32)}`;
});
afterAll(() => {
  delete process.env.PROP_HMAC;
  delete process.env.PROP_ENC;
});

describe('property: nothing outside the policy is exported', () => {
  it('every exported key is permitted and no raw value of a hashed, encrypted or dropped key appears anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ allow: globs, hash: globs, encrypt: globs, drop: globs }),
        fc.constantFrom('drop' as const, 'mask' as const, 'hash' as const),
        fc.uniqueArray(attrKey, { minLength: 1, maxLength: 8 }),
        fc.array(fc.oneof(fc.constant('str'), fc.constant('num'), fc.constant('arr'), fc.constant('map')), {
          minLength: 8,
          maxLength: 8,
        }),
        // Both paths: in place at `onEnding`, and the sanitized copy `onEnd` makes when the SDK has no `onEnding`.
        fc.boolean(),
        async (lists, fallback, keys, shapes, copyPath) => {
          const policy = definePolicy({
            version: 1,
            keys: { hmac: { id: 'k1', env: 'PROP_HMAC' }, encryption: { id: 'e1', env: 'PROP_ENC' } },
            attributes: { ...lists, default: fallback },
          });
          const exporter = new InMemorySpanExporter();
          const privacy = new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) });
          const noOnEnding: SpanProcessor = {
            onStart: (s, c) => privacy.onStart(s, c),
            onEnd: (s) => privacy.onEnd(s),
            forceFlush: () => privacy.forceFlush(),
            shutdown: () => privacy.shutdown(),
          };
          const provider = new TracerProvider({ spanProcessors: [copyPath ? noOnEnding : privacy] });
          // Every value carries a unique canary so a leak is unambiguous.
          const canary = (i: number) => `CANARY${i}Q${Math.random().toString(36).slice(2, 8)}`;
          const attributes: Record<string, unknown> = {};
          const canaries: Record<string, string> = {};
          keys.forEach((k, i) => {
            const c = canary(i);
            canaries[k] = c;
            attributes[k] =
              shapes[i] === 'str'
                ? c
                : shapes[i] === 'num'
                  ? 1000 + i
                  : shapes[i] === 'arr'
                    ? [c, `${c}b`]
                    : { inner: c };
          });
          const link = {
            context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
            attributes: attributes as never,
          };
          const span = provider.getTracer('prop').startSpan('op', { attributes: attributes as never, links: [link] });
          span.addEvent('ev', attributes as never);
          span.end();
          await provider.forceFlush();
          const [out] = exporter.getFinishedSpans();
          const exported = JSON.stringify({
            a: out.attributes,
            e: out.events.map((e) => e.attributes),
            l: out.links.map((l) => l.attributes),
            n: out.name,
          });
          expect(out.links).toHaveLength(1);
          const linked = out.links[0].attributes ?? {};
          for (const key of Object.keys(linked)) expect(oracle(lists, fallback, key)).not.toBe('drop');
          for (const key of Object.keys(out.attributes)) expect(oracle(lists, fallback, key)).not.toBe('drop');
          keys.forEach((k, i) => {
            const decision = oracle(lists, fallback, k);
            if (decision === 'allow' && shapes[i] !== 'map') {
              expect(out.attributes[k]).toEqual(attributes[k]);
              expect(linked[k]).toEqual(attributes[k]);
            }
            // A map under an allowed key is decided child by child (`key.inner`).
            const effective =
              decision === 'allow' && shapes[i] === 'map' ? oracle(lists, fallback, `${k}.inner`) : decision;
            if (effective !== 'allow' && shapes[i] !== 'num') expect(exported).not.toContain(canaries[k]);
            if (effective === 'allow' && shapes[i] !== 'num') expect(exported).toContain(canaries[k]);
            for (const where of [out.attributes, linked]) {
              if (decision === 'drop') expect(where).not.toHaveProperty(k);
              if (decision === 'hash') expect(where[k]).toMatch(/^k1:[A-Za-z0-9_-]{22}$/);
              if (decision === 'encrypt') expect(where[k]).toMatch(/^enc:v1:e1:/);
            }
          });
          await provider.shutdown();
        },
      ),
      { numRuns: 200 },
    );
  });
});
