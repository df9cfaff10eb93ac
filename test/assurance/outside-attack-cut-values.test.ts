import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { fuzzParameters } from './fuzz-runs';
import { appValuesPolicy, privacyPipelines } from './helpers/outside-attack';

// An outside attack on the default policy with the SDK's attribute length limit set (`OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`,
// `spanLimits` / `logRecordLimits`): the SDK cuts a string value at the limit before any processor sees it, so an
// identifier at the cut arrived as a part no detector reads as one and was exported: `paid with 4111 1111 1111 11`
// (14 digits, no Luhn check digit), `k=AKIAIOSFODNN7EXAMP`, `call +1 202 55`, `mail jane.doe@example.` (no top-level
// domain). A value of exactly the limit's length now has its last word masked (`[REDACTED:unscanned]`). The cut is
// generated (every position inside every canary, each written in several ways); the values go through a real SDK 3.x
// provider with that limit (span attributes, event and link attributes, log record attributes), the privacy processors
// and in-memory exporters, and every exported string is read.

const LIMIT = 48;

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x4e).toString('base64')}`; // fake test key
const policy = defaultPolicy();
const cut = privacyPipelines(policy, { attributeValueLengthLimit: LIMIT });
const uncut = privacyPipelines(defaultPolicy());
/** The same limit with a span processor that sanitizes a copy at the end (an SDK without `onEnding`). */
const cutCopy = privacyPipelines(defaultPolicy(), { attributeValueLengthLimit: LIMIT, onEnding: false });
/** The same limit with `app.*` kept, for values the SDK 3.x cuts inside: maps and nested arrays. */
const cutApp = privacyPipelines(appValuesPolicy(), { attributeValueLengthLimit: LIMIT });
const cutAppCopy = privacyPipelines(appValuesPolicy(), { attributeValueLengthLimit: LIMIT, onEnding: false });
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

/** Fake identities, each written in the ways people write them. */
const CANARIES = [
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  '4111111111111111',
  '+1 202 555 0143',
  '(202) 555-0143',
  '+1-202-555-0143',
  '123-45-6789',
  'jane.doe@example.com',
  'AKIAIOSFODNN7EXAMPLE',
  '203.0.113.7',
];

/** Words before the canary (none of them shares four characters in a row with a canary). */
const FILLER = 'note ';

type Carrier = 'span' | 'event' | 'link' | 'log' | 'span (copy)' | 'event (copy)';
const carriers: Carrier[] = ['span', 'event', 'link', 'log', 'span (copy)', 'event (copy)'];

function emit(pipelines: typeof cut, carrier: Carrier, value: string): string {
  const copy = carrier.endsWith(' (copy)');
  const p = copy ? cutCopy : pipelines;
  if (copy) carrier = carrier.slice(0, -' (copy)'.length) as Carrier;
  const attributes = { 'thread.name': value, 'error.type': [value] };
  if (carrier === 'log') p.loggerProvider.getLogger('cut-values').emit({ body: 'cut', attributes });
  else {
    const tracer = p.tracerProvider.getTracer('cut-values');
    if (carrier === 'span') tracer.startSpan('cut', { attributes }, ROOT_CONTEXT).end();
    else if (carrier === 'event') {
      const span = tracer.startSpan('cut', {}, ROOT_CONTEXT);
      span.addEvent('e', attributes);
      span.end();
    } else {
      const linked = trace.getSpanContext(trace.setSpan(ROOT_CONTEXT, tracer.startSpan('linked')))!;
      tracer.startSpan('cut', { links: [{ context: linked, attributes }] }, ROOT_CONTEXT).end();
    }
  }
  return p.exportedJson();
}

/** The string values of an OTLP/JSON request. */
function strings(json: string): string[] {
  return [...json.matchAll(/"stringValue":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
}

/** Four characters in a row of `canary` with a letter or digit among them. */
function windows(canary: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 4 <= canary.length; i++) {
    const w = canary.slice(i, i + 4);
    if (/[A-Za-z0-9]/.test(w)) out.push(w);
  }
  return out;
}

describe('outside attack: identifiers cut by the SDK attribute length limit (default policy)', () => {
  it('the exact vectors', () => {
    for (const value of [
      'paid with 4111 1111 1111 1111 ok',
      'k=AKIAIOSFODNN7EXAMPLE and more',
      'call jane at +1 202 555 0143 now',
      'mail jane.doe@example.com today!!',
    ]) {
      const padded = FILLER.repeat(10).slice(0, LIMIT - 22) + value;
      for (const carrier of ['span', 'log'] as const) {
        const signal = carrier === 'span' ? 'traces' : 'logs';
        const counted = policy.counters.cutValues[signal];
        const json = emit(cut, carrier, padded);
        for (const s of strings(json))
          for (const w of ['1111 11', 'IOSF', '202 55', 'jane.doe']) expect(s).not.toContain(w);
        // the string and the array element, counted
        expect(policy.counters.cutValues[signal]).toBe(counted + 2);
      }
    }
  });

  it.each(carriers)('no four characters in a row of a cut identifier are exported (%s attributes)', (carrier) => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CANARIES).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 1, max: c.length - 1 }))),
        fc.constantFrom('', ' ', ' and more text after it'),
        ([canary, at], after) => {
          // the SDK cuts `prefix + canary + after` at LIMIT, `at` characters into the canary
          const prefix = FILLER.repeat(20).slice(0, LIMIT - at - 1) + ' ';
          const json = emit(cut, carrier, prefix + canary + after);
          for (const s of strings(json)) for (const w of windows(canary.slice(0, at))) expect(s).not.toContain(w);
        },
      ),
      fuzzParameters(60),
    );
  });

  it('values shorter than the limit, and every value without a limit, are exported as written', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('note', 'ok', 'v2', 'build', 'retry-3', 'x'), { minLength: 1, maxLength: 12 }),
        (words) => {
          const value = words.join(' ').slice(0, LIMIT - 1);
          expect(strings(emit(cut, 'span', value))).toContain(value);
          const long = (value + ' ').repeat(8) + 'v2';
          expect(strings(emit(uncut, 'span', long))).toContain(long);
        },
      ),
      fuzzParameters(60),
    );
  });

  it.each(['span', 'event', 'link', 'log', 'span (copy)'] as const)(
    'no four characters in a row of an identifier cut inside a map or a nested array are exported (%s)',
    (carrier) => {
      // SDK 3.x cuts every string of an AnyValue (`copyAndTruncAnyValue`): map values and nested arrays' strings too
      fc.assert(
        fc.property(
          fc
            .constantFrom(...CANARIES)
            .chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 1, max: c.length - 1 }))),
          fc.constantFrom('', ' ', ' and more text after it'),
          fc.constantFrom('map', 'map in map', 'array in array', 'array in map'),
          ([canary, at], after, shape) => {
            const prefix = FILLER.repeat(20).slice(0, LIMIT - at - 1) + ' ';
            const v = prefix + canary + after;
            const value =
              shape === 'map'
                ? { inner: v }
                : shape === 'map in map'
                  ? { outer: { inner: v } }
                  : shape === 'array in array'
                    ? [[v]]
                    : { list: [v] };
            const attributes = { 'app.value': value } as unknown as Record<string, string>;
            const copy = carrier.endsWith(' (copy)');
            const p = copy ? cutAppCopy : cutApp;
            if (carrier === 'log') p.loggerProvider.getLogger('cut-values').emit({ body: 'cut', attributes });
            else {
              const tracer = p.tracerProvider.getTracer('cut-values');
              if (carrier === 'event') {
                const span = tracer.startSpan('cut', {}, ROOT_CONTEXT);
                span.addEvent('e', attributes);
                span.end();
              } else if (carrier === 'link') {
                const linked = trace.getSpanContext(trace.setSpan(ROOT_CONTEXT, tracer.startSpan('linked')))!;
                tracer.startSpan('cut', { links: [{ context: linked, attributes }] }, ROOT_CONTEXT).end();
              } else tracer.startSpan('cut', { attributes }, ROOT_CONTEXT).end();
            }
            for (const s of strings(p.exportedJson()))
              for (const w of windows(canary.slice(0, at))) expect(s, `${shape}: ${v}`).not.toContain(w);
          },
        ),
        fuzzParameters(40),
      );
    },
  );
});
