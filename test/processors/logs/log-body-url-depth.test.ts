import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH } from '../../../engine/attribute-redactor';
import { definePolicy } from '../../../index';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';

// The URL rules of log bodies (`sanitizers.url.logBody`) reach every string the engine keeps: a body nested in maps
// and arrays of maps, 1..40 levels, through a real LoggerProvider. The engine decides the maps of an array at the
// array's depth plus one (as a map value's entries), so the walk that rewrites URLs must count depth the same way:
// a string it leaves unrewritten where the engine keeps it is exported with its path ids.

const policy = definePolicy({
  version: 1,
  attributes: { allow: ['log.body', 'log.body.*'] },
  sanitizers: { url: { attributes: ['url.full'] } },
});
const pipes = privacyPipelines(policy);
const URL_TEXT = 'GET /users/5550123/orders failed';

type Nested = string | Nested[] | { [key: string]: Nested };

/** The text under one level per entry: a map `{k: …}`, or an array holding such a map. */
function nest(levels: readonly boolean[], leaf: string): Nested {
  let v: Nested = leaf;
  for (let i = levels.length - 1; i >= 0; i--) {
    v = { k: v };
    if (levels[i]) v = [v];
  }
  return v;
}

describe('log body URL rules at every nesting depth', () => {
  it('a URL-like string is rewritten wherever the engine keeps it; deeper, the body is removed', () => {
    fc.assert(
      fc.property(
        fc
          .oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: MAX_DEPTH - 2, max: MAX_DEPTH + 2 }))
          .chain((n) => fc.array(fc.boolean(), { minLength: n, maxLength: n })),
        (levels) => {
          pipes.loggerProvider.getLogger('body-depth').emit({ body: nest(levels, URL_TEXT) as never });
          const exported = pipes.exportedJson();
          // the engine keeps a body whose innermost map's entries lie above MAX_DEPTH (the body's own at depth 1)
          const kept = levels.length < MAX_DEPTH;
          const label = `${levels.length} maps, ${levels.filter(Boolean).length} in arrays`;
          expect(exported, label).not.toContain('5550123');
          if (kept) expect(exported, label).toContain('/users/{id}/orders');
          else expect(exported, label).not.toContain('/users/');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('values nested deeper than the engine keeps', () => {
  it('are removed whole and counted as too-deep findings (log attributes, log body, span attributes)', () => {
    const scanning = definePolicy({
      version: 1,
      attributes: { allow: ['*'] },
      logs: { attributes: { allow: ['*'] } },
      values: { detectors: 'all' },
    });
    const p = privacyPipelines(scanning);
    fc.assert(
      fc.property(
        fc
          .oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: MAX_DEPTH - 2, max: MAX_DEPTH + 2 }))
          .chain((n) => fc.array(fc.boolean(), { minLength: n, maxLength: n })),
        (levels) => {
          const before = scanning.counters.findings['too-deep'] ?? 0;
          const deep = nest(levels, 'fake-deep-leaf');
          p.loggerProvider.getLogger('deep').emit({ body: deep as never, attributes: { deep: deep as never } });
          p.tracerProvider
            .getTracer('deep')
            .startSpan('deep', { attributes: { deep: deep as never } })
            .end();
          const exported = p.exportedJson();
          // kept while the innermost map's entries lie above MAX_DEPTH (a body is a value, as an attribute's is)
          const attributeKept = levels.length < MAX_DEPTH;
          const bodyKept = attributeKept;
          const label = `${levels.length} maps`;
          expect(exported.split('fake-deep-leaf').length - 1, label).toBe((attributeKept ? 2 : 0) + (bodyKept ? 1 : 0));
          expect((scanning.counters.findings['too-deep'] ?? 0) - before, label).toBe(
            (attributeKept ? 0 : 2) + (bodyKept ? 0 : 1),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
