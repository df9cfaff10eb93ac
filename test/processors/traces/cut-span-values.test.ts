import { ROOT_CONTEXT } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { Span } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskCutSpanInPlace } from '../../../processors/traces/cut-span-values';

// The end pass of cut values skips the keys the start pass wrote (`clean`: key, value, key, value, …). It reads each
// entry a bounded number of times, not once per attribute of the span: counted through a proxy, not timed.
describe('cut span values: the start pass entries', () => {
  it('are read a bounded number of times whatever the attribute count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 1500 }), fc.integer({ min: 0, max: 3 }), (n, changed) => {
        let captured: Span | undefined;
        const provider = new TracerProvider({
          spanLimits: { attributeValueLengthLimit: 16, attributeCountLimit: 1e6 },
          spanProcessors: [
            {
              onStart: (span: Span) => void (captured = span),
              onEnd: () => undefined,
              forceFlush: async () => undefined,
              shutdown: async () => undefined,
            },
          ],
        });
        const attributes: Record<string, string> = {};
        for (let i = 0; i < n; i++) attributes[`k${i}`] = `note ${i} 4111 1111 1111 1111`;
        provider.getTracer('t').startSpan('s', { attributes }, ROOT_CONTEXT);
        const span = captured!;
        // the start pass wrote every key as the SDK holds it now, but `changed` of them
        const entries: unknown[] = [];
        for (const [k, v] of Object.entries(span.attributes)) entries.push(k, v);
        for (let c = 0; c < changed; c++) entries[2 * c + 1] = 'other';
        let reads = 0;
        const clean = new Proxy(entries, {
          get(target, p, receiver) {
            if (typeof p === 'string' && /^\d+$/.test(p)) reads++;
            return Reflect.get(target, p, receiver) as unknown;
          },
        });
        const counts = { traces: 0, metrics: 0, logs: 0 };
        maskCutSpanInPlace(span, { limit: 16, mask: '[cut]' }, counts, clean);
        expect(counts.traces).toBe(changed);
        expect(reads).toBeLessThanOrEqual(4 * entries.length);
      }),
      { numRuns: 10 },
    );
  });
});
