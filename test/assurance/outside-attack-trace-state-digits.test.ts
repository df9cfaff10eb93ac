import { ROOT_CONTEXT, createTraceState, trace } from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import {
  DEFAULT_THRESHOLD_PRECISION,
  encodeThreshold,
  parseThreshold,
  probabilityToThreshold,
} from '../../processors/sampling/consistent-probability-sampler';
import { otSamplingFields } from '../../engine/trace-state';
import { luhnCheckDigit } from './canaries';
import { fuzzParameters } from './fuzz-runs';
import { privacyPipelines } from './helpers/outside-attack';

// An outside attack on the default policy: the `ot` tracestate member is the one member it keeps, and its sampling
// fields were kept as written once well formed (`th:` 1-14 hex digits, `rv:` 14). Hex digits are also decimal digits,
// so an upstream service or the application wrote an SSN, a phone or a card number into them and it was exported (in
// the span's and its links' trace states, and propagated on): `ot=rv:00012025550143`, `ot=th:4222222222222`. A run of
// nine or more significant decimal digits in a field now cuts a threshold after the run's third significant digit and
// drops a randomness value. Canaries are generated; every span goes through a real SDK 3.x provider, the privacy processor and
// an in-memory exporter, and the OTLP/JSON request is read whole.

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x6b).toString('base64')}`; // fake test key
const pipelines = privacyPipelines(defaultPolicy());
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** Fake identifiers of 9 to 14 digits: SSNs, North American numbers with and without `1`, 13 and 14-digit cards. */
const identifier = fc.oneof(
  fc
    .tuple(fc.integer({ min: 100, max: 665 }), fc.integer({ min: 10, max: 99 }), fc.integer({ min: 1000, max: 9999 }))
    .map(([a, g, s]) => `${a}${g}${s}`),
  digits(7, 7).map((n) => `202${n}`),
  digits(7, 7).map((n) => `1202${n}`),
  digits(11, 11).map((n) => `4${n}${luhnCheckDigit(`4${n}`)}`),
  digits(11, 11).map((n) => `36${n}${luhnCheckDigit(`36${n}`)}`),
);

const hexDigit = fc.constantFrom(...'0123456789abcdef');
const hex = (min: number, max: number) => fc.array(hexDigit, { minLength: min, maxLength: max }).map((d) => d.join(''));

/** A hex letter: what ends a decimal run around the identifier (padding may add more digits, never fewer). */
const letter = fc.constantFrom(...'abcdef');

/** A well-formed `rv` (14 hex digits) or `th` (1-14, no trailing zero) holding `id`, padded with hex and zeros. */
const field = (id: string) =>
  fc.oneof(
    fc.tuple(fc.nat({ max: 14 - id.length }), hex(14, 14), letter).map(([at, pad, l]) => {
      const padded = `${pad.slice(0, at)}${id}${l}${pad}`.slice(0, 14);
      return `rv:${padded}`;
    }),
    fc.tuple(fc.nat({ max: 14 - id.length }), hex(0, 14)).map(([zeros, tail]) => {
      const th = `${'0'.repeat(zeros)}${id}${tail}`.slice(0, 14).replace(/0+$/, '');
      return `th:${th}`;
    }),
  );

type Carrier = 'remote parent' | 'local parent' | 'link';

/** The application's span under `ot` carried by `carrier`, exported; returns the OTLP/JSON request. */
function exported(ot: string, carrier: Carrier): string {
  const tracer = pipelines.tracerProvider.getTracer('trace-state-digits');
  const state = `ot=${ot}`;
  if (carrier === 'link') {
    const linked: SpanContext = {
      traceId: TRACE_ID,
      spanId: PARENT_ID,
      traceFlags: 1,
      traceState: createTraceState(state),
    };
    tracer.startSpan('op', { links: [{ context: linked }] }).end();
  } else {
    const parent: Context =
      carrier === 'remote parent'
        ? new W3CTraceContextPropagator().extract(
            ROOT_CONTEXT,
            { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate: state },
            { get: (c, k) => (c as Record<string, string>)[k], keys: (c) => Object.keys(c as object) },
          )
        : trace.setSpanContext(ROOT_CONTEXT, {
            traceId: TRACE_ID,
            spanId: PARENT_ID,
            traceFlags: 1,
            traceState: createTraceState(state),
          });
    tracer.startSpan('op', {}, parent).end();
  }
  return pipelines.exportedJson();
}

/** The trace states of an OTLP/JSON trace request (spans' and links'). */
function traceStates(json: string): string[] {
  return [...json.matchAll(/"traceState":"([^"]*)"/g)].map((m) => m[1]!);
}

/** Runs of nine or more decimal digits after leading zeros. */
const IDENTIFIER_RUN = /(?<![0-9])0*[1-9][0-9]{8,}/;

const carriers: Carrier[] = ['remote parent', 'local parent', 'link'];

describe('outside attack: identifiers written as the hex digits of the ot tracestate member (default policy)', () => {
  it.each(carriers)('the exact vectors, through a %s', (carrier) => {
    for (const ot of [
      'rv:00012025550143',
      'th:12025550143',
      'rv:00000123456789',
      'th:4222222222222',
      'th:0;rv:12025550143abc',
    ]) {
      const json = exported(ot, carrier);
      for (const ts of traceStates(json)) expect(ts).not.toMatch(IDENTIFIER_RUN);
      expect(json).not.toContain('2025550143');
      expect(json).not.toContain('123456789');
      expect(json).not.toContain('4222222222222');
    }
  });

  it.each(carriers)('no run of nine significant decimal digits is exported (generated, through a %s)', (carrier) => {
    fc.assert(
      fc.property(
        identifier.chain((id) => fc.tuple(fc.constant(id), field(id), fc.boolean())),
        ([id, f, withOther]) => {
          // A threshold drops trailing zeros (`th:100101` is `100101000…`): an identifier ending in zeros may be left
          // with fewer than nine significant digits, which the rule keeps (docs/detectors.md).
          fc.pre(IDENTIFIER_RUN.test(f.slice(3)));
          const ot = withOther ? (f.startsWith('th:') ? `${f};rv:abcdefabcdefab` : `th:c;${f}`) : f;
          const json = exported(ot, carrier);
          const states = traceStates(json).join(',');
          expect(states).not.toMatch(IDENTIFIER_RUN);
          expect(json).not.toContain(id);
          // no four significant digits in a row of the identifier are left in a trace state (a cut threshold keeps its
          // leading zeros and three significant digits: `th:0202` of `020202000007`)
          const significant = states.replace(/(?<![0-9])0+/g, '');
          for (let i = 0; i + 4 <= id.length; i++) expect(significant).not.toContain(id.slice(i, i + 4));
        },
      ),
      fuzzParameters(60),
    );
  });

  it('a cut threshold is lower by less than 2^44 of 2^56 (samples a superset), and the sampler’s own are kept', () => {
    fc.assert(
      fc.property(identifier, hex(0, 5), (id, tail) => {
        const th = `${id}${tail}`.slice(0, 14).replace(/0+$/, '');
        const kept = otSamplingFields(`th:${th}`);
        expect(kept).toBeDefined();
        const before = parseThreshold(th)!;
        const after = parseThreshold(kept!.slice(3))!;
        expect(after).toBeLessThanOrEqual(before);
        expect(before - after).toBeLessThan(1n << 44n);
      }),
      fuzzParameters(200),
    );
    fc.assert(
      fc.property(fc.double({ min: 2 ** -50, max: 1, noNaN: true }), (p) => {
        const th = encodeThreshold(probabilityToThreshold(p, DEFAULT_THRESHOLD_PRECISION));
        expect(otSamplingFields(`th:${th}`)).toBe(`th:${th}`);
      }),
      fuzzParameters(500),
    );
  });

  it('random-looking values without such a run are kept as written', () => {
    const json = exported('th:fd70a4;rv:01234567abcdef', 'remote parent');
    expect(traceStates(json)).toContain('ot=th:fd70a4;rv:01234567abcdef');
  });
});
