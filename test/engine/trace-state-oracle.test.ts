import type { SpanContext, TraceState } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TraceStateFilter,
  checkedSpanContext,
  isLowerHexId,
  otSamplingFields,
  withTraceState,
} from '../../engine/trace-state';

// A reference for the tracestate filter written from the W3C Trace Context specification and docs/propagation.md
// (not from engine/trace-state.ts), compared on trace states built by transformation operators around every edge of
// the rules: member count 31/32/33, key and value length ±1 around 256 (tenant 241, system 14), characters just
// outside each class, case, blanks and OWS, empty members, duplicate keys, identifier digits inside `ot` fields.

const TRACE_ID = 'a'.repeat(32);
const SPAN_ID = 'b'.repeat(16);

describe('checkedSpanContext before any other context was checked', () => {
  // This describe must stay first in the file: the checks skip an id equal to the last one found well formed,
  // and the first one checked must be checked too, even when it is empty.
  it('refuses an empty trace id and an empty span id, naming the field and not the value', () => {
    const filter = new TraceStateFilter(['ot']);
    expect(() => checkedSpanContext({ traceId: '', spanId: SPAN_ID, traceFlags: 1 }, filter)).toThrow(/traceId/);
    expect(() => checkedSpanContext({ traceId: TRACE_ID, spanId: '', traceFlags: 1 }, filter)).toThrow(/spanId/);
  });
});

describe('span context helpers keep their documented shape', () => {
  const ts: TraceState = new TraceStateFilter(['ot']).filterTraceState({
    serialize: () => 'ot=th:8',
  } as TraceState)!;

  it('withTraceState returns the span context itself when its trace state is the one given', () => {
    const sc: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, traceState: ts };
    expect(withTraceState(sc, ts)).toBe(sc);
    const none: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 };
    expect(withTraceState(none, undefined)).toBe(none);
  });

  it('withTraceState and checkedSpanContext write no field the input did not have', () => {
    const sc: SpanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, traceState: ts };
    expect(Object.keys(withTraceState(sc, undefined)).sort()).toEqual(['spanId', 'traceFlags', 'traceId']);
    const remote = withTraceState({ ...sc, isRemote: true }, undefined);
    expect(Object.keys(remote).sort()).toEqual(['isRemote', 'spanId', 'traceFlags', 'traceId']);
    const filter = new TraceStateFilter([]);
    // a trace state of which nothing is kept leaves no traceState field at all
    const out = checkedSpanContext({ ...sc, traceState: { serialize: () => 'dd=s:1' } as TraceState }, filter);
    expect(Object.keys(out).sort()).toEqual(['spanId', 'traceFlags', 'traceId']);
  });

  it('isLowerHexId refuses every code unit from 0x80 on, the first one included', () => {
    for (const c of [0x7f, 0x80, 0x81, 0xe0, 0x130, 0xff10])
      expect(isLowerHexId('0'.repeat(15) + String.fromCharCode(c), 16), c.toString(16)).toBe(false);
  });
});

// ---- the reference ----

const OWS = /^[ \t]*|[ \t]*$/g;
const KEY = /^(?:[a-z][_0-9a-z\-*/]{0,255}|[a-z0-9][_0-9a-z\-*/]{0,240}@[a-z][_0-9a-z\-*/]{0,13})$/;
// chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E; value = 0*255(chr) nblk-chr
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const TH = /^th:[0-9a-f]{1,14}$/;
const RV = /^rv:[0-9a-f]{14}$/;
/** A run of nine decimal digits that starts with a significant (non-zero) digit: it reads as an identifier. */
const NINE = /[1-9][0-9]{8}/;

function referenceOt(value: string): string | undefined {
  const kept: string[] = [];
  for (const field of value.split(';')) {
    const hex = field.slice(3);
    const m = NINE.exec(hex);
    if (TH.test(field)) {
      if (m === null) kept.push(field);
      else {
        let digits = hex.slice(0, m.index + 3);
        while (digits.endsWith('0')) digits = digits.slice(0, -1);
        kept.push(`th:${digits}`);
      }
    } else if (RV.test(field) && m === null) kept.push(field);
  }
  return kept.length === 0 ? undefined : kept.join(';');
}

function reference(raw: string, allow: ReadonlySet<string>): string {
  if (raw.length > 20_000) return '';
  const out: string[] = [];
  const seen = new Set<string>();
  let read = 0;
  for (const part of raw.split(',')) {
    const member = part.replace(OWS, '');
    if (member === '') continue;
    if (++read > 32) break;
    const i = member.indexOf('=');
    if (i < 0) continue;
    const key = member.slice(0, i);
    let value: string | undefined = member.slice(i + 1);
    if (!KEY.test(key) || !allow.has(key) || !VALUE.test(value)) continue;
    if (key === 'ot') value = referenceOt(value);
    if (value === undefined || seen.has(key)) continue;
    seen.add(key);
    out.push(`${key}=${value}`);
  }
  return out.join(',');
}

// ---- generated trace states ----

const LONG_KEY = `k${'x'.repeat(255)}`; // 256 characters: the longest simple key
const LONG_TENANT = `${'t'.repeat(241)}@v`;
const LONG_SYSTEM = `t@${'s'.repeat(14)}`;
const ALLOW = new Set([
  'ot',
  'dd',
  'vendor',
  'a',
  'z9',
  'k_-/x',
  'tenant@sys',
  '0t@v',
  LONG_KEY,
  LONG_TENANT,
  LONG_SYSTEM,
]);

const NEAR = [
  '',
  ' ',
  '\t',
  ',',
  '=',
  ';',
  '\x1f',
  '\x7f',
  '\x20',
  '~',
  '!',
  '+',
  '-',
  '<',
  '>',
  '@',
  'A',
  'é',
  '\n',
  '\u00a0',
];

/** A key: one the policy allows, or one changed at an edge of the key grammar. */
const keyArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ALLOW, 'other', 'Ot', 'OT', 'ot ', '9a', '_a', 'a@9', 'a@', '@a'),
  fc
    .constantFrom(LONG_KEY, LONG_TENANT, LONG_SYSTEM)
    .chain((k) => fc.constantFrom(k, `${k}x`, k.slice(0, -1), k.replace('@', 'x@'), k.replace('@', '@s'))),
  fc.tuple(fc.constantFrom(...ALLOW), fc.nat(300), fc.constantFrom(...NEAR)).map(([k, at, c]) => {
    const i = at % (k.length + 1);
    return k.slice(0, i) + c + k.slice(i + 1);
  }),
  fc.constantFrom(...ALLOW).map((k) => k.toUpperCase()),
);

const hexDigits = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom(...'0123456789abcdef', ...'0123456789', '0'), { minLength: min, maxLength: max })
    .map((a) => a.join(''));

/** A field of the `ot` member: sampling fields with hex or decimal digits (identifiers inside), or another sub-key. */
const otField: fc.Arbitrary<string> = fc.oneof(
  hexDigits(0, 16).map((h) => `th:${h}`),
  hexDigits(12, 16).map((h) => `rv:${h}`),
  fc
    .tuple(
      fc.constantFrom('th:', 'rv:'),
      fc.constantFrom('0', '000', ''),
      fc.constantFrom('1002025550143', '4222222222222', '12025550143', '123456789', '12345678', '1000000000'),
    )
    .map(([p, z, d]) => p + z + d),
  fc.constantFrom('p:8', 'th:A', 'TH:1', 'th:1 ', ' th:1', 'x:rv:0123', 'th:', 'rv:'),
);

/** A value: printable text with its length around 256, or `ot` fields, changed by an operator. */
const valueArb: fc.Arbitrary<string> = fc.oneof(
  fc.array(otField, { minLength: 1, maxLength: 4 }).map((f) => f.join(';')),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  fc
    .constantFrom(255, 256, 257)
    .chain((n) =>
      fc
        .tuple(fc.constantFrom('v', ' ', '~', '!'), fc.constantFrom('v', ' ', '~'))
        .map(([fill, last]) => fill.repeat(n - 1) + last),
    ),
  fc
    .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...NEAR), fc.string({ maxLength: 6 }))
    .map(([a, c, b]) => a + c + b),
  fc.constantFrom('s:1', 'jane.doe%40example.com', 'MTIzLTQ1LTY3ODk=', '123-45-6789', '555-0100'),
);

/** A list member, with blanks around it (OWS and blanks that are not OWS). */
const memberArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(keyArb, valueArb).map(([k, v]) => `${k}=${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', ' \t ', 'novalue', '=', 'ot', 'a==b', 'a=b=c') },
  { weight: 1, arbitrary: keyArb.map((k) => `${k}=`) },
);
const blanks = fc.constantFrom('', '', ' ', '\t', '  \t', '\n', '\u00a0', '\r');
const paddedMember = fc.tuple(blanks, memberArb, blanks).map(([a, m, b]) => a + m + b);

/** A whole trace state: few members, or about 32 (31, 32, 33, 34 non-empty ones with empty ones among them). */
const traceStateArb: fc.Arbitrary<string> = fc.oneof(
  fc.array(paddedMember, { minLength: 0, maxLength: 8 }).map((m) => m.join(',')),
  fc
    .tuple(fc.integer({ min: 30, max: 34 }), fc.array(paddedMember, { minLength: 1, maxLength: 4 }), fc.nat(10))
    .map(([n, tail, empties]) =>
      [...Array.from({ length: n }, (_, i) => (i < empties ? ' ' : `m${i}=v`)), ...tail].join(','),
    ),
  fc.array(paddedMember, { minLength: 1, maxLength: 3 }).map((m) => {
    const raw = m.join(',');
    return raw + ','.repeat(Math.max(0, 20_001 - raw.length)); // over 20 000 characters: dropped whole
  }),
);

describe('the tracestate filter against a reference written from the W3C rules', () => {
  it('keeps exactly the members the reference keeps, in order, on generated trace states', () => {
    fc.assert(
      fc.property(traceStateArb, (raw) => {
        const want = reference(raw, ALLOW);
        const filter = new TraceStateFilter([...ALLOW]);
        const got = filter.filterUncached(raw);
        expect(got).toEqual({ value: want, finding: false });
        expect(filter.filter(raw)).toBe(want); // cache filled
        expect(filter.filter(raw)).toBe(want); // from the cache
        const ts = filter.filterTraceState({ serialize: () => raw } as TraceState);
        expect(ts?.serialize()).toBe(want === '' ? undefined : want);
      }),
      { numRuns: 600 },
    );
  });

  it('the ot member: sampling fields with identifier digits cut or dropped, as the reference says', () => {
    fc.assert(
      fc.property(fc.array(otField, { minLength: 1, maxLength: 4 }), (fields) => {
        const value = fields.join(';');
        expect(otSamplingFields(value)).toBe(referenceOt(value));
      }),
      { numRuns: 400 },
    );
    // the documented examples
    expect(otSamplingFields('rv:00012025550143')).toBeUndefined();
    expect(otSamplingFields('th:5;rv:00012025550143')).toBe('th:5');
    expect(otSamplingFields('th:1002025550143')).toBe('th:1');
    expect(otSamplingFields('th:4222222222222')).toBe('th:422');
  });
});
