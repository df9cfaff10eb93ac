import {
  ROOT_CONTEXT,
  TraceFlags,
  createTraceState,
  defaultTextMapGetter,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { Context, TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacyPropagator, propagatorFromEnvironment } from '../../instrumentation/privacy-propagator';
import { startPrivacySdk } from '../../instrumentation/start-privacy-sdk';
import { definePolicy } from '../../policy/load-policy';
import { PolicyError } from '../../policy/policy-error';
import { fuzzParameters } from '../assurance/fuzz-runs';

process.env.PROPAGATOR_UNIT_HMAC = 'fake-hmac-key-for-the-propagator-unit-test-01';
const FAKE_EMAIL = 'jane.doe@example.com';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

const policy = definePolicy({
  version: 1,
  keys: { hmac: { id: 'k1', env: 'PROPAGATOR_UNIT_HMAC' } },
  values: { detectors: 'all' },
  traces: { traceState: { allow: ['ot', '*@acme'] } },
  propagation: { baggage: { allow: ['tenant', 'app.*'], hash: ['user.id'] } },
});

const setter = { set: (c: unknown, k: string, v: string) => ((c as Record<string, string>)[k] = v) };

function inject(p: TextMapPropagator, ctx: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  p.inject(ctx, carrier, setter);
  return carrier;
}

function extract(p: TextMapPropagator, headers: Record<string, string>, ctx: Context = ROOT_CONTEXT): Context {
  return p.extract(ctx, headers, defaultTextMapGetter);
}

const withBaggage = (ctx: Context, entries: Record<string, string>) =>
  propagation.setBaggage(
    ctx,
    propagation.createBaggage(Object.fromEntries(Object.entries(entries).map(([k, value]) => [k, { value }]))),
  );

const withSpan = (ctx: Context, traceState: string) =>
  trace.setSpanContext(ctx, {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
    traceState: createTraceState(traceState),
  });

describe('PrivacyPropagator', () => {
  const p = new PrivacyPropagator({ policy });

  it('injects only allowed baggage (hashed where the policy says) and allowed tracestate members', () => {
    const ctx = withSpan(
      withBaggage(ROOT_CONTEXT, {
        tenant: 'acme',
        'user.id': 'fake-user-7',
        email: FAKE_EMAIL,
        'app.note': FAKE_EMAIL,
      }),
      `ot=th:8,t1@acme=x,dd=s:1,u=${FAKE_EMAIL}`,
    );
    const headers = inject(p, ctx);
    expect(headers.traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
    expect(headers.tracestate).toBe('ot=th:8,t1@acme=x');
    const pseudonym = policy.baggageFilter.filter(propagation.getBaggage(ctx))!.getEntry('user.id')!.value;
    expect(pseudonym).toMatch(/^k1:/);
    expect(headers.baggage).toBe(`tenant=acme,user.id=${encodeURIComponent(pseudonym)}`);
    // the application's context is unchanged
    expect(propagation.getBaggage(ctx)!.getAllEntries()).toHaveLength(4);
    expect(trace.getSpanContext(ctx)!.traceState!.serialize()).toContain(FAKE_EMAIL);
  });

  it('extracts filtered baggage and trace state, with the remote span context otherwise as sent', () => {
    const ctx = extract(p, {
      traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`,
      tracestate: `u=${FAKE_EMAIL},ot=th:c`,
      baggage: `tenant=acme;p=1,user.id=fake-user-7,email=${encodeURIComponent(FAKE_EMAIL)}`,
    });
    const sc = trace.getSpanContext(ctx)!;
    expect(sc).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
    expect(sc.traceState!.serialize()).toBe('ot=th:c');
    const entries = propagation.getBaggage(ctx)!.getAllEntries();
    expect(entries.map(([k]) => k)).toEqual(['tenant', 'user.id']);
    expect(entries[0][1]).toEqual({ value: 'acme' }); // properties dropped
    expect(entries[1][1].value).toMatch(/^k1:/);
    // extracted and injected again: the pseudonym passes through unchanged
    expect(inject(p, ctx).baggage).toBe(`tenant=acme,user.id=${encodeURIComponent(entries[1][1].value)}`);
    // an entry the application adds to the filtered baggage does not make the pseudonym be hashed twice
    const added = propagation.setBaggage(ctx, propagation.getBaggage(ctx)!.setEntry('app.step', { value: 'pay' }));
    expect(inject(p, added).baggage).toBe(
      `tenant=acme,user.id=${encodeURIComponent(entries[1][1].value)},app.step=pay`,
    );
  });

  it('leaves a context the wrapped propagators did not change alone (no header: the active span is kept)', () => {
    const local = withBaggage(withSpan(ROOT_CONTEXT, `u=${FAKE_EMAIL}`), { email: FAKE_EMAIL });
    expect(extract(p, {}, local)).toBe(local);
  });

  it('drops the whole baggage header when nothing survives, and every entry without a propagation section', () => {
    expect(inject(p, withBaggage(ROOT_CONTEXT, { email: FAKE_EMAIL }))).toEqual({});
    const bare = new PrivacyPropagator({ policy: definePolicy({ version: 1 }) });
    expect(inject(bare, withBaggage(ROOT_CONTEXT, { tenant: 'acme' }))).toEqual({});
    expect(propagation.getBaggage(extract(bare, { baggage: 'tenant=acme' }))).toBeUndefined();
    expect(inject(bare, withSpan(ROOT_CONTEXT, 'dd=1,ot=th:0')).tracestate).toBe('ot=th:0');
  });

  it('follows a hot reload at once', () => {
    const live = definePolicy({ version: 1, propagation: { baggage: { allow: ['tenant'] } } });
    const wrapped = new PrivacyPropagator({ policy: live });
    const ctx = withBaggage(ROOT_CONTEXT, { tenant: 'acme', plan: 'gold' });
    expect(inject(wrapped, ctx).baggage).toBe('tenant=acme');
    live.replaceWith(definePolicy({ version: 1, propagation: { baggage: { allow: ['plan'] } } }));
    expect(inject(wrapped, ctx).baggage).toBe('plan=gold');
  });

  it('reports the wrapped fields', () => {
    expect(p.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
  });
});

describe('OTEL_PROPAGATORS', () => {
  const names = (prop: TextMapPropagator | null) => (prop === null ? null : prop.fields());

  it('defaults to W3C trace context and baggage, and honours the names it lists', () => {
    expect(names(propagatorFromEnvironment({}))).toEqual(['traceparent', 'tracestate', 'baggage']);
    expect(names(propagatorFromEnvironment({ OTEL_PROPAGATORS: ' Baggage ' }))).toEqual(['baggage']);
    expect(names(propagatorFromEnvironment({ OTEL_PROPAGATORS: 'tracecontext,b3multi' }))).toEqual([
      'traceparent',
      'tracestate',
      'x-b3-traceid',
      'x-b3-spanid',
      'x-b3-flags',
      'x-b3-sampled',
      'x-b3-parentspanid',
    ]);
    expect(propagatorFromEnvironment({ OTEL_PROPAGATORS: 'tracecontext,none' })).toBeNull();
  });

  it('skips unknown names with a notice, and gives null when nothing is left', () => {
    const notices: string[] = [];
    expect(propagatorFromEnvironment({ OTEL_PROPAGATORS: 'jaeger' }, process.cwd(), (l) => notices.push(l))).toBeNull();
    expect(notices).toEqual([
      'OTEL_PROPAGATORS: unsupported propagator "jaeger" (supported: tracecontext, baggage, b3, b3multi, none); skipped',
    ]);
  });

  it('filters baggage for every propagator in the set, B3 included', () => {
    const wrapped = new PrivacyPropagator({
      policy,
      propagator: propagatorFromEnvironment({ OTEL_PROPAGATORS: 'b3,baggage' })!,
    });
    const headers = inject(wrapped, withSpan(withBaggage(ROOT_CONTEXT, { email: FAKE_EMAIL, tenant: 'a' }), 'x=1'));
    expect(headers.b3).toBe(`${TRACE_ID}-${SPAN_ID}-1`);
    expect(headers.baggage).toBe('tenant=a');
    expect(JSON.stringify(headers)).not.toContain('jane');
  });
});

describe('the register hook (startPrivacySdk)', () => {
  it('installs a PrivacyPropagator around the propagators OTEL_PROPAGATORS names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-propagation-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'version: 1\npropagation:\n  baggage:\n    allow: [tenant]\n');
    const notices: string[] = [];
    const running = startPrivacySdk({
      env: {
        OTEL_PRIVACY_POLICY: file,
        OTEL_PROPAGATORS: 'b3multi,baggage',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_PRIVACY_INSTRUMENTATIONS: 'none',
      },
      notice: (l) => notices.push(l),
      handleSignals: false,
    });
    try {
      expect(running, notices.join('\n')).toBeDefined();
      const carrier: Record<string, string> = {};
      propagation.inject(
        withSpan(withBaggage(ROOT_CONTEXT, { tenant: 'acme', email: FAKE_EMAIL }), 'ot=th:0'),
        carrier,
      );
      expect(carrier).toEqual({
        'x-b3-traceid': TRACE_ID,
        'x-b3-spanid': SPAN_ID,
        'x-b3-sampled': '1',
        baggage: 'tenant=acme',
      });
    } finally {
      await running?.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the propagation section of a policy', () => {
  const load = (propagation: unknown) => () =>
    definePolicy({ version: 1, propagation } as unknown as Parameters<typeof definePolicy>[0]);

  it('refuses hashing without an HMAC key, other defaults, unknown keys and bad globs, naming the place', () => {
    expect(load({ baggage: { hash: ['user.id'] } })).toThrow(
      /keys: propagation\.baggage\.hash hashes values but keys\.hmac is not set/,
    );
    expect(load({ baggage: { default: 'allow' } })).toThrow(/propagation\.baggage\.default: expected "drop"/);
    expect(load({ baggage: { keep: ['x'] } })).toThrow(/propagation\.baggage\.keep: unknown key "keep"/);
    expect(load({ baggage: { allow: ['[x'] } })).toThrow(/propagation\.baggage\.allow\[0\]: invalid glob/);
    expect(() => definePolicy({ version: 1, traces: { traceState: { allow: ['[x'] } } })).toThrow(PolicyError);
  });
});

// Property: whatever arrives in `tracestate` and `baggage` headers, no canary the policy does not keep comes out,
// neither into the application's context nor into the outgoing headers.
describe('property: random tracestate and baggage with canaries', () => {
  const CANARY = 'zq9canary';
  const canaryEmail = fc.nat({ max: 9999 }).map((n) => `${CANARY}${n}@example.com`);
  const canaryCard = fc.constantFrom('4111 1111 1111 1111', '5500-0000-0000-0004');
  /** What the value scanner finds (the only canaries an allowed key may carry). */
  const detectable = fc.oneof(canaryEmail, canaryCard);
  /** Anything: only the key decides (dropped or pseudonymized). */
  const anyCanary = fc.oneof(
    detectable,
    fc.nat().map((n) => `${CANARY}${n}`),
  );
  const noise = fc.string({ unit: fc.constantFrom(...'ab=;, \t%@:/*-_é\u2028\u0000'.split('')), maxLength: 12 });
  const clean = fc.constantFrom('th:c', 'th:0;rv:ab', 'x', 'acme');
  const traceStateMember = fc.oneof(
    // allowed keys: clean values, or detectable canaries inside the value
    fc
      .tuple(
        fc.constantFrom('ot', 't1@acme'),
        fc.oneof(
          clean,
          detectable.map((c) => `x ${c}`),
        ),
      )
      .map(([k, v]) => `${k}=${v}`),
    // other keys (well formed, malformed, canaries in the key): any value
    fc
      .tuple(fc.constantFrom('dd', 'rojo', 'Ot', '1x', CANARY, `${CANARY}@other`, ''), anyCanary, noise)
      .map(([k, v, n]) => `${k}=${v}${n}`),
    noise,
    anyCanary,
  );
  const traceStateHeader = fc.array(traceStateMember, { maxLength: 40 }).map((ms) => ms.join(','));
  const baggageEntry = fc.oneof(
    fc.tuple(fc.constantFrom('tenant', 'app.x'), fc.oneof(clean, detectable)),
    fc.tuple(fc.constant('user.id'), anyCanary),
    fc.tuple(fc.constantFrom('email', `app.${CANARY}@example.com`, 'secret', CANARY), anyCanary),
  );
  const baggageHeader = fc
    .array(fc.tuple(baggageEntry, fc.boolean(), fc.boolean()), { maxLength: 20 })
    .map((es) =>
      es.map(([[k, v], raw, prop]) => `${k}=${raw ? v : encodeURIComponent(v)}${prop ? `;${CANARY}=1` : ''}`).join(','),
    );
  const decoded = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };

  it('no canary survives extract or inject', () => {
    const p = new PrivacyPropagator({ policy });
    const w3c = new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    });
    fc.assert(
      fc.property(traceStateHeader, baggageHeader, (tracestate, baggage) => {
        const headers = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate, baggage };
        const ctx = extract(p, headers);
        const seen = [
          trace.getSpanContext(ctx)?.traceState?.serialize() ?? '',
          JSON.stringify(propagation.getBaggage(ctx)?.getAllEntries() ?? []),
        ].join('\n');
        // inject a context built by the plain W3C propagators from the same headers (unfiltered)
        const out = JSON.stringify(inject(p, extract(w3c, headers)));
        for (const text of [seen, out, decoded(out)]) {
          expect(text).not.toContain(CANARY);
          expect(text).not.toMatch(/4111.?1111|5500.?0000/);
        }
        for (const m of (trace.getSpanContext(ctx)?.traceState?.serialize() ?? '').split(',').filter(Boolean))
          expect(['ot', 't1@acme']).toContain(m.slice(0, m.indexOf('=')));
        for (const [k] of propagation.getBaggage(ctx)?.getAllEntries() ?? [])
          expect(['tenant', 'app.x', 'user.id']).toContain(k);
      }),
      fuzzParameters(300),
    );
  });
});
