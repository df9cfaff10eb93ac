import { describe, it, expect } from 'vitest';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';

import type { Sampler } from '@opentelemetry/sdk-trace';
import {
  ConsistentProbabilitySampler,
  parseThreshold,
  probabilityToThreshold,
} from '../../../processors/sampling/consistent-probability-sampler';
import { randomTraceIds, remoteParent, seededRandom } from './trace-ids';
import { loadPeer } from '../../helpers/peers';

// The reference implementation pins the 2.x SDK line, so it lives in its own install (test/peers).
// The part of its API used here, typed locally so the type check does not need that install.
type Composable = { readonly __composable?: never };
type Predicate = (context: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes) => boolean;
interface Composite {
  createComposableAlwaysOffSampler(): Composable;
  createComposableParentThresholdSampler(root: Composable): Composable;
  createComposableProbabilitySampler(ratio: number): Composable;
  createComposableRuleBasedSampler(rules: [Predicate, Composable][]): Composable;
  createCompositeSampler(sampler: Composable): Pick<Sampler, 'shouldSample'>;
}
const {
  createComposableAlwaysOffSampler,
  createComposableParentThresholdSampler,
  createComposableProbabilitySampler,
  createComposableRuleBasedSampler,
  createCompositeSampler,
} = loadPeer<Composite>('@opentelemetry/sampler-composite');

/**
 * Side by side with @opentelemetry/sampler-composite (the OpenTelemetry JS implementation of the spec's
 * CompositeSampler): same trace ids, same ratios → same decisions and thresholds.
 */

const ids = randomTraceIds(10_000, 0xc0ffee);
const RATIOS = [1, 0.5, 0.25, 0.125, 0.1, 1 / 3, 0.01, 0.001, 0];
const DYADIC = new Set([1, 0.5, 0.25, 0.125, 0]);

interface Outcome {
  decision: number;
  ot: string | undefined;
}

function run(
  sampler: Pick<Sampler, 'shouldSample'>,
  traceId: string,
  context: Context = ROOT_CONTEXT,
  name = 'span',
  kind = SpanKind.INTERNAL,
  attributes: Attributes = {},
): Outcome {
  const r = sampler.shouldSample(context, traceId, name, kind, attributes, []);
  return { decision: r.decision, ot: r.traceState?.get('ot') };
}

const thOf = (ot: string | undefined): bigint | undefined => {
  const m = ot === undefined ? null : /(?:^|;)th:([0-9a-f]+)/.exec(ot);
  return m === null ? undefined : parseThreshold(m[1]);
};

describe('side by side with @opentelemetry/sampler-composite (10 000 trace ids)', () => {
  for (const ratio of RATIOS) {
    it(`root decisions agree at ratio ${ratio}`, () => {
      const ours = new ConsistentProbabilitySampler({ ratio });
      const exact = new ConsistentProbabilitySampler({ ratio }, { precision: 14 });
      const theirs = createCompositeSampler(createComposableProbabilitySampler(ratio));
      let kept = 0;
      for (const id of ids) {
        const t = run(theirs, id);
        const o = run(ours, id);
        const e = run(exact, id);
        expect(o.decision, id).toBe(t.decision);
        // Full precision: identical thresholds and tracestate for every ratio.
        expect(e, id).toEqual(t);
        if (t.decision === 2) {
          kept += 1;
          // Default precision: the spec's rounding; identical for exactly representable ratios.
          expect(thOf(o.ot)).toBe(probabilityToThreshold(ratio));
          expect(thOf(t.ot)).toBe(probabilityToThreshold(ratio, 14));
          if (DYADIC.has(ratio)) expect(o.ot).toBe(t.ot);
        }
      }
      if (ratio === 0) expect(kept).toBe(0);
      if (ratio === 1) expect(kept).toBe(ids.length);
    });
  }

  it('parent-based decisions and propagated tracestate agree for sampled/unsampled parents with and without th/rv', () => {
    const ours = new ConsistentProbabilitySampler({ ratio: 0.25 }, { precision: 14 });
    const theirs = createCompositeSampler(
      createComposableParentThresholdSampler(createComposableProbabilitySampler(0.25)),
    );
    const upstream = new ConsistentProbabilitySampler({ ratio: 0.1 }, { precision: 14 });
    const next = seededRandom(7);
    const rv = (): string =>
      Math.floor(next() * 2 ** 28)
        .toString(16)
        .padStart(7, '0') +
      Math.floor(next() * 2 ** 28)
        .toString(16)
        .padStart(7, '0');
    let compared = 0;
    for (const id of ids) {
      // A consistent upstream decision (with an explicit rv for half the ids), as a remote parent would send it.
      const incoming = compared % 2 === 0 ? `ot=rv:${rv()};k:v,vendor=abc` : 'vendor=abc';
      const up = upstream.shouldSample(remoteParent(id, false, incoming), id, 'up', SpanKind.CLIENT, {}, []);
      const sampled = up.decision === 2;
      const parents = [
        remoteParent(id, sampled, up.traceState?.serialize()),
        remoteParent(id, true, 'vendor=abc'),
        remoteParent(id, false, 'vendor=abc'),
        remoteParent(id, true),
      ];
      for (const parent of parents) {
        expect(run(ours, id, parent), id).toEqual(run(theirs, id, parent));
        compared += 1;
      }
    }
    expect(compared).toBe(40_000);
  });

  it('rule-based decisions agree (first match wins)', () => {
    const ours = new ConsistentProbabilitySampler(
      {
        ratio: 0.25,
        parentBased: false,
        rules: [
          { spanName: 'GET /health*', ratio: 0 },
          { kind: 'server', attributes: { 'tenant.tier': 'free' }, ratio: 0.01 },
          { kind: 'server', ratio: 0.5 },
        ],
      },
      { precision: 14 },
    );
    const theirs = createCompositeSampler(
      createComposableRuleBasedSampler([
        [(_c, _t, name) => name.startsWith('GET /health'), createComposableAlwaysOffSampler()],
        [
          (_c, _t, _n, kind, attrs) => kind === SpanKind.SERVER && attrs['tenant.tier'] === 'free',
          createComposableProbabilitySampler(0.01),
        ],
        [(_c, _t, _n, kind) => kind === SpanKind.SERVER, createComposableProbabilitySampler(0.5)],
        [() => true, createComposableProbabilitySampler(0.25)],
      ]),
    );
    const cases: [string, SpanKind, Attributes][] = [
      ['GET /healthz', SpanKind.SERVER, {}],
      ['GET /cart', SpanKind.SERVER, { 'tenant.tier': 'free' }],
      ['GET /cart', SpanKind.SERVER, { 'tenant.tier': 'pro' }],
      ['db.query', SpanKind.CLIENT, {}],
    ];
    for (const id of ids) {
      for (const [name, kind, attributes] of cases) {
        expect(run(ours, id, ROOT_CONTEXT, name, kind, attributes), `${id} ${name}`).toEqual(
          run(theirs, id, ROOT_CONTEXT, name, kind, attributes),
        );
      }
    }
  });
});
