import { describe, it, expect } from 'vitest';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import {
  ConsistentProbabilitySampler,
  MAX_THRESHOLD,
  probabilityToThreshold,
} from '../../../processors/sampling/consistent-probability-sampler';
import { decide, isValidOtValue, randomTraceIds, remoteParent } from './trace-ids';

const KEEP = SamplingDecision.RECORD_AND_SAMPLED;
const DROP = SamplingDecision.NOT_RECORD;
/** Trace id whose low 56 bits are 0xd0000000000000 (kept at 25 %, threshold 0xc...). */
const HIGH_R = '0123456789abcdef00d0000000000000';
/** Trace id whose low 56 bits are 0x10000000000000 (dropped at 25 % and at 50 %). */
const LOW_R = '0123456789abcdef0010000000000000';

describe('ConsistentProbabilitySampler: statistics and consistency', () => {
  const ids = randomTraceIds(100_000, 0x5eed);

  for (const ratio of [0.5, 0.25, 0.01]) {
    it(`keeps ${ratio * 100} % of 100 000 random trace ids within 4 standard deviations`, () => {
      const sampler = new ConsistentProbabilitySampler({ ratio });
      let kept = 0;
      for (const id of ids) if (decide(sampler, id).decision === KEEP) kept += 1;
      const n = ids.length;
      const sd = Math.sqrt(n * ratio * (1 - ratio));
      expect(Math.abs(kept - n * ratio)).toBeLessThanOrEqual(4 * sd);
    });
  }

  it('makes identical decisions and tracestates in two independent instances (two services)', () => {
    const a = new ConsistentProbabilitySampler({ ratio: 0.1 });
    const b = new ConsistentProbabilitySampler({ ratio: 0.1 });
    const outcome = (s: ConsistentProbabilitySampler): string[] =>
      ids.map((id) => {
        const r = decide(s, id);
        return `${r.decision} ${r.traceState?.serialize() ?? '-'}`;
      });
    const fromA = outcome(a);
    expect(outcome(b)).toEqual(fromA);
    expect(fromA.filter((o) => o === `${KEEP} ot=th:e6666`).length).toBeGreaterThan(0);
    expect(fromA.every((o) => o === `${KEEP} ot=th:e6666` || o === `${DROP} -`)).toBe(true);
  });

  it('is consistent across ratios: whatever a lower ratio keeps, a higher ratio keeps too', () => {
    const low = new ConsistentProbabilitySampler({ ratio: 0.1 });
    const high = new ConsistentProbabilitySampler({ ratio: 0.3 });
    for (const id of ids.slice(0, 20_000)) {
      if (decide(low, id).decision === KEEP) expect(decide(high, id).decision).toBe(KEEP);
    }
  });
});

describe('ConsistentProbabilitySampler: root decisions and tracestate output', () => {
  it('keeps when R >= T and writes ot=th:<hex>', () => {
    const sampler = new ConsistentProbabilitySampler({ ratio: 0.25 });
    const kept = decide(sampler, HIGH_R);
    expect(kept.decision).toBe(KEEP);
    expect(kept.traceState?.serialize()).toBe('ot=th:c');
    // R exactly equal to T is kept.
    expect(decide(sampler, '0123456789abcdef00c0000000000000').decision).toBe(KEEP);
    expect(decide(sampler, '0123456789abcdef00bfffffffffffff').decision).toBe(DROP);
    const dropped = decide(sampler, LOW_R);
    expect(dropped.decision).toBe(DROP);
    expect(dropped.traceState).toBeUndefined();
  });

  it('writes th:0 at 100 % and keeps nothing at 0 %', () => {
    const all = new ConsistentProbabilitySampler();
    expect(all.ratio).toBe(1);
    const r = decide(all, LOW_R);
    expect(r.decision).toBe(KEEP);
    expect(r.traceState?.serialize()).toBe('ot=th:0');
    const none = new ConsistentProbabilitySampler({ ratio: 0 });
    expect(none.threshold).toBe(MAX_THRESHOLD);
    expect(decide(none, 'ffffffffffffffffffffffffffffffff').decision).toBe(DROP);
    // the SDK's description of the sampler says it never samples (there is no threshold to write)
    expect(none.toString()).toBe('ConsistentProbabilitySampler{ratio=0, th=never, parentBased=true, rules=0}');
    expect(all.toString()).toBe('ConsistentProbabilitySampler{ratio=1, th=0, parentBased=true, rules=0}');
  });

  it('writes the 1 % threshold of the spec', () => {
    const sampler = new ConsistentProbabilitySampler({ ratio: 0.01 });
    expect(decide(sampler, '0123456789abcdef00ffffffffffffff').traceState?.serialize()).toBe('ot=th:fd70a4');
    expect(sampler.toString()).toBe('ConsistentProbabilitySampler{ratio=0.01, th=fd70a4, parentBased=true, rules=0}');
  });

  it('never crashes on an invalid trace id (drops)', () => {
    const sampler = new ConsistentProbabilitySampler({ ratio: 1 });
    expect(decide(sampler, 'zz').decision).toBe(DROP);
    expect(decide(sampler, '00000000000000000000000000000000').decision).toBe(DROP);
  });

  it('rejects invalid configuration at construction', () => {
    expect(() => new ConsistentProbabilitySampler({ ratio: 2 })).toThrow(RangeError);
    expect(() => new ConsistentProbabilitySampler({ rules: [{ ratio: -1 }] })).toThrow(RangeError);
    expect(() => new ConsistentProbabilitySampler({ rules: [{ spanName: '[abc', ratio: 1 }] })).toThrow(
      /invalid glob "\[abc"/,
    );
    expect(() => new ConsistentProbabilitySampler({}, { precision: 20 })).toThrow(RangeError);
  });
});

describe('ConsistentProbabilitySampler: parent-based', () => {
  const sampler = new ConsistentProbabilitySampler({ ratio: 0.25 });

  it('follows a sampled parent and propagates its consistent threshold, vendor entries, rv and other sub-keys', () => {
    const parent = remoteParent(HIGH_R, true, 'vendor=abc,ot=th:8;rv:ff000000000000;xx:yy,other@t=1');
    const r = decide(sampler, HIGH_R, parent);
    expect(r.decision).toBe(KEEP);
    expect(r.traceState?.get('ot')).toBe('th:8;rv:ff000000000000;xx:yy');
    expect(r.traceState?.get('vendor')).toBe('abc');
    expect(r.traceState?.get('other@t')).toBe('1');
  });

  it('follows a sampled parent that has no threshold (unknown probability: no th written)', () => {
    const r = decide(sampler, LOW_R, remoteParent(LOW_R, true, 'vendor=abc'));
    expect(r.decision).toBe(KEEP);
    expect(r.traceState?.serialize()).toBe('vendor=abc');
  });

  it('follows an unsampled parent even when the ratio would keep the trace', () => {
    const r = decide(new ConsistentProbabilitySampler({ ratio: 1 }), HIGH_R, remoteParent(HIGH_R, false));
    expect(r.decision).toBe(DROP);
  });

  it('erases an inconsistent threshold (sampled flag set but R < th) and still follows the flag', () => {
    const r = decide(sampler, LOW_R, remoteParent(LOW_R, true, 'ot=th:c;rv:00000000000001;k:v,vendor=abc'));
    expect(r.decision).toBe(KEEP);
    expect(r.traceState?.get('ot')).toBe('rv:00000000000001;k:v');
    expect(r.traceState?.get('vendor')).toBe('abc');
  });

  it('erases the threshold of an unsampled parent', () => {
    const r = decide(sampler, HIGH_R, remoteParent(HIGH_R, false, 'ot=th:c,vendor=abc'));
    expect(r.decision).toBe(DROP);
    expect(r.traceState?.get('ot')).toBeUndefined();
    expect(r.traceState?.get('vendor')).toBe('abc');
  });

  it('returns the incoming tracestate object when nothing changes', () => {
    const parent = remoteParent(HIGH_R, true, 'vendor=abc,ot=th:c');
    const r = decide(sampler, HIGH_R, parent);
    expect(r.traceState?.serialize()).toBe('vendor=abc,ot=th:c');
  });

  it('decides independently for children when parentBased is false, using the parent rv', () => {
    const independent = new ConsistentProbabilitySampler({ ratio: 0.25, parentBased: false });
    // Trace id says drop (LOW_R), rv says keep: rv wins and survives.
    const r = decide(independent, LOW_R, remoteParent(LOW_R, false, 'ot=rv:f0000000000000;k:v,vendor=abc'));
    expect(r.decision).toBe(KEEP);
    expect(r.traceState?.get('ot')).toBe('th:c;rv:f0000000000000;k:v');
    expect(r.traceState?.get('vendor')).toBe('abc');
    const d = decide(independent, HIGH_R, remoteParent(HIGH_R, true, 'ot=th:0;rv:00000000000002'));
    expect(d.decision).toBe(DROP);
    expect(d.traceState?.get('ot')).toBe('rv:00000000000002');
  });
});

describe('ConsistentProbabilitySampler: malformed and oversized tracestate', () => {
  const independent = new ConsistentProbabilitySampler({ ratio: 0.25, parentBased: false });
  const parentBased = new ConsistentProbabilitySampler({ ratio: 0.25 });
  const malformed = [
    'ot=th:',
    'ot=th:xyz',
    'ot=th:123456789abcdef',
    'ot=th:8;th:c',
    'ot=rv:123',
    'ot=rv:zzzzzzzzzzzzzz',
    'ot=rv:00000000000001;rv:00000000000002',
    'ot=;;th',
    'ot=:x;TH:c;th:8:9;k:v;k:w',
    'ot=th:c.5',
    'ot=th:8,vendor=x',
    `ot=${'k:v;'.repeat(63)}kk:v`,
  ];

  for (const raw of malformed) {
    it(`treats ${JSON.stringify(raw.slice(0, 40))} as unknown, never crashes, writes a spec-valid ot`, () => {
      for (const sampled of [true, false]) {
        for (const sampler of [independent, parentBased]) {
          for (const id of [HIGH_R, LOW_R]) {
            const r = decide(sampler, id, remoteParent(id, sampled, raw));
            const ot = r.traceState?.get('ot');
            if (ot !== undefined) expect(isValidOtValue(ot), ot).toBe(true);
            if (sampler === parentBased) {
              expect(r.decision).toBe(sampled ? KEEP : DROP);
              // A malformed th is never propagated: the only th that can appear is a consistent incoming one.
              if (ot?.includes('th:')) expect(ot.startsWith('th:8')).toBe(true);
            } else {
              expect(r.decision).toBe(id === HIGH_R ? KEEP : DROP);
            }
          }
        }
      }
    });
  }

  it('keeps the well-formed sub-keys of a partly malformed entry', () => {
    const r = decide(independent, HIGH_R, remoteParent(HIGH_R, true, 'ot=:x;TH:c;th:8:9;k:v;k:w;rv:00d0000000000000'));
    // rv has 16 digits (invalid) so the trace id is the randomness; th:8:9 is malformed.
    expect(r.traceState?.get('ot')).toBe('th:c;k:v');
  });

  it('respects the 256-character limit: th is not written when it would not fit, the rest is preserved', () => {
    const rest = `${'a'.repeat(250)}:1`; // 252 characters
    const r = decide(independent, HIGH_R, remoteParent(HIGH_R, false, `ot=${rest},vendor=abc`));
    expect(r.decision).toBe(KEEP);
    expect(r.traceState?.get('ot')).toBe(rest);
    expect(r.traceState?.get('vendor')).toBe('abc');
    const fits = `${'a'.repeat(245)}:1`; // 247 + ';' + 'th:c' = 252
    const f = decide(independent, HIGH_R, remoteParent(HIGH_R, false, `ot=${fits}`));
    expect(f.traceState?.get('ot')).toBe(`th:c;${fits}`);
    expect(f.traceState?.get('ot')?.length).toBeLessThanOrEqual(256);
  });

  it('keeps its decision when the tracestate is full (32 entries) and cannot take an ot entry', () => {
    const full = Array.from({ length: 32 }, (_, i) => `v${i}=x`).join(',');
    const r = decide(independent, HIGH_R, remoteParent(HIGH_R, false, full));
    expect(r.decision).toBe(KEEP);
    expect(r.traceState?.get('ot')).toBeUndefined();
    expect(r.traceState?.serialize()).toBe(full);
  });
});

describe('ConsistentProbabilitySampler: rules', () => {
  const sampler = new ConsistentProbabilitySampler({
    ratio: 1,
    rules: [
      { spanName: 'GET /health*', ratio: 0 },
      { kind: 'consumer', attributes: { 'messaging.system': 'kafka' }, ratio: 0.25 },
      { attributes: { 'http.route': '/internal/*', retry: true, 'http.response.status_code': 503 }, ratio: 0 },
      { attributes: { 'tenant.tier': 'free' }, ratio: 0.5 },
      { attributes: { 'tenant.tier': 'free' }, ratio: 1 },
    ],
  });
  const at = (name: string, kind: SpanKind, attributes: Record<string, string | number | boolean>) =>
    decide(sampler, HIGH_R, ROOT_CONTEXT, name, kind, attributes);

  it('matches span names by glob (a "/" is an ordinary character)', () => {
    expect(at('GET /health', SpanKind.SERVER, {}).decision).toBe(DROP);
    expect(at('GET /healthz/live', SpanKind.SERVER, {}).decision).toBe(DROP);
    expect(at('GET /users', SpanKind.SERVER, {}).traceState?.serialize()).toBe('ot=th:0');
  });

  it('requires the kind and every attribute of a rule', () => {
    expect(at('poll', SpanKind.CONSUMER, { 'messaging.system': 'kafka' }).traceState?.serialize()).toBe('ot=th:c');
    expect(
      decide(sampler, LOW_R, ROOT_CONTEXT, 'poll', SpanKind.CONSUMER, { 'messaging.system': 'kafka' }).decision,
    ).toBe(DROP);
    expect(at('poll', SpanKind.PRODUCER, { 'messaging.system': 'kafka' }).traceState?.serialize()).toBe('ot=th:0');
    expect(at('poll', SpanKind.CONSUMER, { 'messaging.system': 'rabbitmq' }).traceState?.serialize()).toBe('ot=th:0');
  });

  it('compares attribute values strictly (string, number, boolean) and string globs', () => {
    const all = { 'http.route': '/internal/jobs/run', retry: true, 'http.response.status_code': 503 };
    expect(at('x', SpanKind.SERVER, all).decision).toBe(DROP);
    expect(at('x', SpanKind.SERVER, { ...all, 'http.response.status_code': '503' }).decision).toBe(KEEP);
    expect(at('x', SpanKind.SERVER, { ...all, retry: false }).decision).toBe(KEEP);
    expect(at('x', SpanKind.SERVER, { ...all, 'http.route': '/public/jobs' }).decision).toBe(KEEP);
  });

  it('uses the first matching rule', () => {
    // tenant.tier=free matches rules 4 (0.5) and 5 (1): 0.5 applies.
    expect(at('x', SpanKind.SERVER, { 'tenant.tier': 'free' }).traceState?.serialize()).toBe('ot=th:8');
    expect(decide(sampler, LOW_R, ROOT_CONTEXT, 'x', SpanKind.SERVER, { 'tenant.tier': 'free' }).decision).toBe(DROP);
  });

  it('applies to root decisions only when parent-based; to every span otherwise', () => {
    const child = decide(sampler, HIGH_R, remoteParent(HIGH_R, true, 'ot=th:0'), 'GET /health', SpanKind.SERVER);
    expect(child.decision).toBe(KEEP);
    const independent = new ConsistentProbabilitySampler({
      parentBased: false,
      rules: [{ spanName: 'GET /health', ratio: 0 }],
    });
    expect(
      decide(independent, HIGH_R, remoteParent(HIGH_R, true, 'ot=th:0'), 'GET /health', SpanKind.SERVER).decision,
    ).toBe(DROP);
  });

  it('writes the rule threshold, computed once', () => {
    const s = new ConsistentProbabilitySampler({ rules: [{ spanName: '*', ratio: 0.01 }] });
    expect(decide(s, 'ffffffffffffffffffffffffffffffff').traceState?.get('ot')).toBe('th:fd70a4');
    expect(probabilityToThreshold(0.01)).toBe(0xfd70a400000000n);
  });
});
