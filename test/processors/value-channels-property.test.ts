import fc from 'fast-check';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy } from '../../index';

// Property: whatever the shape of a value (keys, bytes, numbers, string arrays, nested maps) and
// whatever the policy, a canary the detectors recognise never reaches the exporter: not as text,
// not as a key, not inside bytes (raw, base64 or hex), not as a number, not split across array
// elements.

beforeAll(() => {
  process.env.VCP_HMAC = 'fake-hmac-key-for-value-channel-property-0123456789';
});
afterAll(() => {
  delete process.env.VCP_HMAC;
});

/** A Visa-like 16-digit number with a valid Luhn check digit, from 14 random digits. */
function card(digits: readonly number[]): string {
  const body = [4, ...digits];
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    // Doubling starts at the digit left of the check digit (rightmost of `body`).
    let d = body[body.length - 1 - i];
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body.join('') + String((10 - (sum % 10)) % 10);
}

type Canary =
  | { kind: 'email'; text: string }
  | { kind: 'card'; text: string }
  | { kind: 'cardNumber'; text: string }
  | { kind: 'split'; text: string };

const word = fc.constantFrom('alpha', 'beta', 'route', 'ok', 'gamma', 'v2', 'node');
const localPart = fc.stringMatching(/^[a-z]{3,8}$/);
const emailCanary = fc
  .tuple(localPart, fc.integer({ min: 0, max: 1e6 }))
  .map(([l, n]): Canary => ({ kind: 'email', text: `${l}.c${n}@canary-mail.example` }));
const cardDigits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 });
const cardCanary = cardDigits.map((d): Canary => ({ kind: 'card', text: card(d) }));
const cardNumberCanary = cardDigits.map((d): Canary => ({ kind: 'cardNumber', text: card(d) }));
const splitCanary = emailCanary.map((c): Canary => ({ kind: 'split', text: c.text }));
const canary = fc.oneof(emailCanary, cardCanary, cardNumberCanary, splitCanary);

/** A clean leaf: words, small numbers, booleans, clean bytes, bytes that are not UTF-8. */
const cleanLeaf: fc.Arbitrary<unknown> = fc.oneof(
  word,
  fc.integer({ min: -999_999, max: 999_999 }),
  fc.boolean(),
  word.map((w) => new TextEncoder().encode(w)),
  fc.constant(new Uint8Array([0xff, 0xfe, 0x80, 0x00])),
);

/** Where a canary sits and how it is written. */
function plant(c: Canary, as: 'string' | 'bytes' | 'inText'): unknown {
  switch (c.kind) {
    case 'cardNumber':
      return Number(c.text);
    case 'split': {
      const at = c.text.indexOf('@');
      return [c.text.slice(0, at), c.text.slice(at)];
    }
    default:
      if (as === 'bytes') return new TextEncoder().encode(`note ${c.text} end`);
      return as === 'inText' ? `see ${c.text} here` : c.text;
  }
}

interface Tree {
  value: unknown;
  canaries: Canary[];
}

/** A random AnyValue tree with canaries in values and in keys, at any depth. */
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    cleanLeaf.map((value) => ({ value, canaries: [] })),
    fc
      .tuple(canary, fc.constantFrom('string' as const, 'bytes' as const, 'inText' as const))
      .map(([c, as]) => ({ value: plant(c, as), canaries: [c] })),
    fc.array(word, { minLength: 2, maxLength: 4 }).map((value) => ({ value, canaries: [] })),
    fc.array(tie('node'), { maxLength: 3 }).map((items) => ({
      value: items.map((t) => t.value),
      canaries: items.flatMap((t) => t.canaries),
    })),
    fc.array(fc.tuple(fc.oneof(word, emailCanary, cardCanary), tie('node')), { maxLength: 4 }).map((entries) => {
      const value: Record<string, unknown> = {};
      const canaries: Canary[] = [];
      for (const [k, t] of entries) {
        const key = typeof k === 'string' ? k : `k.${k.text}`;
        if (typeof k !== 'string') canaries.push(k);
        value[key] = t.value;
        canaries.push(...t.canaries);
      }
      return { value, canaries };
    }),
  ),
})).node;

/** Span attributes are flat (the SDK drops maps and bytes): primitives and arrays, canaries in keys and values. */
const spanAttributes = fc
  .array(
    fc.tuple(
      fc.oneof(word, emailCanary, cardCanary),
      fc.oneof(
        word.map((value): Tree => ({ value, canaries: [] })),
        fc.integer({ min: 0, max: 999_999 }).map((value): Tree => ({ value, canaries: [] })),
        fc.array(word, { minLength: 2, maxLength: 3 }).map((value): Tree => ({ value, canaries: [] })),
        fc
          .tuple(canary, fc.constantFrom('string' as const, 'inText' as const))
          .map(([c, as]): Tree => ({ value: plant(c, as), canaries: [c] })),
      ),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((entries) => {
    const attributes: Record<string, unknown> = {};
    const canaries: Canary[] = [];
    entries.forEach(([k, t], i) => {
      const key = typeof k === 'string' ? `app.${k}${i}` : `app.${k.text}`;
      if (typeof k !== 'string') canaries.push(k);
      attributes[key] = t.value;
      canaries.push(...t.canaries);
    });
    return { attributes, canaries };
  });

const policyArb = fc.record({
  allow: fc.constantFrom(['*'], ['app.*', 'log.body', 'log.body.*'], ['app.*', 'log.body.*']),
  fallback: fc.constantFrom('drop' as const, 'mask' as const, 'hash' as const),
  action: fc.constantFrom('mask' as const, 'drop' as const, 'hash' as const),
  bytes: fc.constantFrom('scan' as const, 'drop' as const),
});

function makePolicy(p: { allow: readonly string[]; fallback: string; action: string; bytes: string }) {
  return definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'VCP_HMAC' } },
    attributes: { allow: [...p.allow], default: p.fallback as 'drop' },
    values: { detectors: 'all', action: p.action as 'mask', bytes: p.bytes as 'scan' },
  });
}

/** JSON of exported items with bytes written as UTF-8 text, base64 and hex, bigints as digits. */
function exportedText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return String(v);
    if (v instanceof Uint8Array) {
      const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      return { utf8: b.toString('utf8'), base64: b.toString('base64'), hex: b.toString('hex') };
    }
    return v;
  });
}

function expectNoCanary(text: string, canaries: readonly Canary[]): void {
  for (const c of canaries) {
    expect(text).not.toContain(c.text);
    expect(text).not.toContain(Buffer.from(c.text).toString('base64'));
    expect(text).not.toContain(Buffer.from(c.text).toString('hex'));
  }
}

describe('property: no canary leaves through keys, bytes, numbers or split arrays', () => {
  it('logs: random AnyValue trees as attributes and body, random policies', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, tree, tree, async (p, attrs, body) => {
        const exporter = new InMemoryLogRecordExporter();
        const provider = new LoggerProvider({
          processors: [
            new PrivacyLogRecordProcessor({
              policy: makePolicy(p),
              next: new SimpleLogRecordProcessor({ exporter }),
            }),
          ],
        });
        const attributes = { 'app.tree': attrs.value, 'app.n': 1 } as never;
        provider.getLogger('prop').emit({ body: body.value as never, attributes });
        await provider.forceFlush();
        const out = exporter.getFinishedLogRecords().map((r) => ({ body: r.body, attributes: r.attributes }));
        expect(out).toHaveLength(1);
        expectNoCanary(exportedText(out), [...attrs.canaries, ...body.canaries]);
        await provider.shutdown();
      }),
      { numRuns: 150 },
    );
  });

  it('spans and events: random flat attributes with canaries in keys and values, random policies', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, spanAttributes, async (p, { attributes, canaries }) => {
        const exporter = new InMemorySpanExporter();
        const provider = new TracerProvider({
          spanProcessors: [
            new PrivacySpanProcessor({ policy: makePolicy(p), next: new SimpleSpanProcessor({ exporter }) }),
          ],
        });
        const span = provider.getTracer('prop').startSpan('op', { attributes: attributes as never });
        span.addEvent('ev', attributes as never);
        span.end();
        await provider.forceFlush();
        const out = exporter.getFinishedSpans().map((s) => ({
          attributes: s.attributes,
          events: s.events.map((e) => e.attributes),
        }));
        expect(out).toHaveLength(1);
        expectNoCanary(exportedText(out), canaries);
        await provider.shutdown();
      }),
      { numRuns: 150 },
    );
  });

  it('the oracle sees canaries: without a values block they do leave (the property can fail)', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [
        new PrivacyLogRecordProcessor({
          policy: definePolicy({ version: 1, attributes: { allow: ['*'] } }),
          next: new SimpleLogRecordProcessor({ exporter }),
        }),
      ],
    });
    const c: Canary = { kind: 'email', text: 'x.c1@canary-mail.example' };
    provider.getLogger('prop').emit({
      body: { [`k.${c.text}`]: new TextEncoder().encode(c.text) } as never,
      attributes: { 'app.n': Number(card([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4])) },
    });
    await provider.forceFlush();
    const text = exportedText(exporter.getFinishedLogRecords().map((r) => ({ body: r.body, a: r.attributes })));
    expect(() => expectNoCanary(text, [c])).toThrow();
    expect(text).toContain(card([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4]));
    await provider.shutdown();
  });
});
