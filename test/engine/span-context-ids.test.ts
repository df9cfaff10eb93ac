import * as api from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacySpanProcessor } from '../../processors/traces/privacy-span-processor';
import { definePolicy } from '../../policy/load-policy';
import { TraceStateFilter, checkedSpanContext, isLowerHexId } from '../../engine/trace-state';

// The full path the id checks replaced: a regular expression per id.
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

const hexId = (length: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: length, maxLength: length }).map((a) => a.join(''));

/**
 * Characters next to the hex ranges, upper-case hex, separators, non-ASCII look-alikes, any code unit, and code units
 * that equal a hex digit in their low bits (a digit plus a multiple of 128 or 256: a check that reads a table by a
 * truncated code unit would take them for digits).
 */
const NEAR_HEX = fc.oneof(
  fc.constantFrom('/', ':', '`', 'g', 'A', 'F', 'G', '@', ' ', '\n', '\u0000', '\uff10', '\uff41', 'é'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc
    .tuple(fc.constantFrom(...'0123456789abcdef'), fc.integer({ min: 1, max: 511 }))
    .map(([h, k]) => String.fromCharCode(h.charCodeAt(0) + 128 * k)),
);

/** A valid id, or one changed where a check that skips characters, cases or lengths would miss it. */
const idLike = (length: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    hexId(length),
    fc.tuple(hexId(length), fc.nat(), NEAR_HEX).map(([id, at, c]) => {
      const i = at % length;
      return id.slice(0, i) + c + id.slice(i + 1);
    }),
    fc.tuple(hexId(length), fc.nat()).map(([id, at]) => {
      const i = at % length;
      return id.slice(0, i) + id[i]!.toUpperCase() + id.slice(i + 1);
    }),
    hexId(length).map((id) => id.slice(1)),
    fc.tuple(hexId(length), fc.constantFrom('0', 'a', 'f', ' ')).map(([id, c]) => id + c),
    hexId(length).map((id) => id.slice(0, length / 2) + '\u0000' + id.slice(length / 2 + 1)),
    fc.constantFrom(undefined, null, 0, 1234567890123456, ['0'.repeat(length)], { toString: () => 'a'.repeat(length) }),
  );

const filter = new TraceStateFilter(['ot']);

/** Whether `checkedSpanContext` accepted the context (it throws on an id that is not one). */
function accepted(traceId: unknown, spanId: unknown): boolean {
  try {
    checkedSpanContext({ traceId, spanId, traceFlags: 1 } as unknown as api.SpanContext, filter);
    return true;
  } catch {
    return false;
  }
}

describe('span context ids are checked without a regular expression', () => {
  it('isLowerHexId agrees with /^[0-9a-f]{n}$/ on ids and near misses', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32).chain((length) => idLike(length).map((id) => [length, id] as const)),
        ([length, id]) => {
          const regex = length === 16 ? SPAN_ID : TRACE_ID;
          expect(isLowerHexId(id, length)).toBe(typeof id === 'string' && regex.test(id));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a sequence of contexts is accepted exactly where both ids match the expressions (remembered ids never let a near miss through)', () => {
    // each step: new ids, the previous ids again (a parent checked at its child's end, then at its own), or the
    // previous ids with one character changed (a near miss right after the id it resembles was remembered)
    const step = fc.oneof(
      fc.tuple(idLike(32), idLike(16)).map(
        ([t, s]) =>
          () =>
            [t, s] as [unknown, unknown],
      ),
      fc.constant((prev: [unknown, unknown]) => prev),
      fc.tuple(fc.boolean(), fc.nat(), NEAR_HEX).map(([trace, at, c]) => (prev: [unknown, unknown]) => {
        const change = (id: unknown): unknown => {
          if (typeof id !== 'string' || id.length === 0) return id;
          const i = at % id.length;
          return id.slice(0, i) + c + id.slice(i + 1);
        };
        return (trace ? [change(prev[0]), prev[1]] : [prev[0], change(prev[1])]) as [unknown, unknown];
      }),
    );
    fc.assert(
      fc.property(fc.tuple(hexId(32), hexId(16)), fc.array(step, { minLength: 1, maxLength: 12 }), (first, steps) => {
        let prev: [unknown, unknown] = first;
        expect(accepted(...prev)).toBe(true);
        for (const next of steps) {
          const [traceId, spanId] = (prev = next(prev));
          const expected =
            typeof traceId === 'string' && TRACE_ID.test(traceId) && typeof spanId === 'string' && SPAN_ID.test(spanId);
          expect(accepted(traceId, spanId)).toBe(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('through a real provider: a span under a parent whose id is a near miss of the parent checked before is never exported', () => {
    fc.assert(
      fc.property(hexId(32), hexId(16), fc.nat(), (traceId, parentId, at) => {
        const exporter = new InMemorySpanExporter();
        const provider = new TracerProvider({
          spanProcessors: [
            new PrivacySpanProcessor({
              policy: definePolicy({ version: 1, attributes: { allow: ['*'] } }),
              next: new SimpleSpanProcessor({ exporter }),
            }),
          ],
        });
        const tracer = provider.getTracer('ids');
        // a letter of the parent's id upper-cased (W3C ids are lowercase; the SDK accepts either case)
        const letters = [...parentId].flatMap((c, i) => (c >= 'a' ? [i] : []));
        const i = letters.length === 0 ? -1 : letters[at % letters.length]!;
        const nearMiss =
          i === -1 ? parentId + '0' : parentId.slice(0, i) + parentId[i]!.toUpperCase() + parentId.slice(i + 1);
        for (const spanId of [parentId, nearMiss, parentId]) {
          const parent = api.trace.setSpanContext(api.ROOT_CONTEXT, { traceId, spanId, traceFlags: 1, isRemote: true });
          tracer.startSpan('child', {}, parent).end();
        }
        const exported = exporter.getFinishedSpans();
        for (const s of exported) {
          expect(s.spanContext().spanId).toMatch(SPAN_ID);
          if (s.parentSpanContext !== undefined) expect(s.parentSpanContext.spanId).toMatch(SPAN_ID);
        }
        // the two children of the well-formed parent are exported under it
        expect(exported.filter((s) => s.parentSpanContext?.spanId === parentId)).toHaveLength(2);
      }),
      { numRuns: 100 },
    );
  });
});
