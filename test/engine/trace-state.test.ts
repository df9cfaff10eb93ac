import { createTraceState } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DROPPED } from '../../engine/attribute-redactor';
import type { ValueScanner } from '../../engine/attribute-redactor';
import { createValueScanner } from '../../engine/detectors/value-scanner';
import {
  MAX_TRACE_STATE_INPUT_LENGTH,
  MAX_TRACE_STATE_MEMBERS,
  TraceStateFilter,
  isTraceStateKey,
  isTraceStateValue,
} from '../../engine/trace-state';
import { definePolicy } from '../../policy/load-policy';
import { SealedTraceState } from '../../engine/sealed-trace-state';

const FAKE_EMAIL = 'jane.doe@example.com';

function scanner(): { scan: ValueScanner; calls: string[]; findings: Record<string, number> } {
  const detector = createValueScanner({
    detectors: 'all',
    action: 'mask',
    mask: '[REDACTED:{type}]',
    cleanCacheSize: 0,
  });
  const calls: string[] = [];
  return {
    calls,
    findings: detector.findings,
    scan: (value) => {
      calls.push(value);
      return detector.redact(value) ?? DROPPED;
    },
  };
}

describe('tracestate keys and values (W3C Trace Context)', () => {
  it('accepts simple and multi-tenant keys and refuses everything else', () => {
    for (const k of ['ot', 'dd', 'a', 'a-b_c*d/e', 'x'.repeat(256), 'tenant@vendor', '0t@v', `${'t'.repeat(241)}@v`])
      expect(isTraceStateKey(k), k).toBe(true);
    for (const k of [
      '',
      'Ot',
      '1ot',
      'o t',
      'o.t',
      'x'.repeat(257),
      '@vendor',
      'tenant@',
      'tenant@1v',
      'tenant@vendor-name-too-long',
      `${'t'.repeat(242)}@v`,
      'a@b@c',
      'ötzi',
    ])
      expect(isTraceStateKey(k), k).toBe(false);
  });

  it('accepts printable ASCII values without "," and "=", not ending in a space', () => {
    for (const v of ['th:c', 'a b', '!', 'x'.repeat(256), 's:1;o:rum']) expect(isTraceStateValue(v), v).toBe(true);
    for (const v of ['', 'a,b', 'a=b', 'ends ', 'tab\there', 'x'.repeat(257), 'é', '\u{1F600}', 'nul\u0000'])
      expect(isTraceStateValue(v), JSON.stringify(v)).toBe(false);
  });
});

describe('TraceStateFilter', () => {
  it('keeps only allowed keys, in order, with optional white space removed', () => {
    const f = new TraceStateFilter(['ot', 'dd']);
    expect(f.filter('ot=th:c')).toBe('ot=th:c');
    expect(f.filter(' rojo=00f067aa0ba902b7 ,\tot=th:fd70a4;rv:01234567abcdef , congo=t61rcWkgMzE,dd=s:1')).toBe(
      'ot=th:fd70a4;rv:01234567abcdef,dd=s:1',
    );
    expect(f.filter('vendor=1')).toBe('');
    expect(f.filter('')).toBe('');
  });

  it('keeps only the sampling fields (th, rv) of the ot member: other sub-keys are free text', () => {
    const f = new TraceStateFilter(['ot']);
    expect(f.filter('ot=th:0;x:4111_1111_1111_1111')).toBe('ot=th:0');
    expect(f.filter('ot=p:canary.x(at)example.test')).toBe('');
    expect(f.filter('ot=rv:01234567abcdef;th:8;p:8')).toBe('ot=rv:01234567abcdef;th:8');
    expect(f.filter('ot=rv:123;th:zz')).toBe('');
  });

  it('keeps only `ot` by default (the policy without traces.traceState)', () => {
    const policy = definePolicy({ version: 1 });
    expect(policy.traceStateFilter.filter('dd=s:1,ot=th:8,congo=x')).toBe('ot=th:8');
    const none = definePolicy({ version: 1, traces: { traceState: { allow: [] } } });
    expect(none.traceStateFilter.filter('ot=th:8')).toBe('');
  });

  it('matches glob patterns, e.g. every tenant of one vendor', () => {
    const f = new TraceStateFilter(['*@dd', 'ot']);
    expect(f.filter('acme@dd=1,acme@other=2,ot=th:0')).toBe('acme@dd=1,ot=th:0');
  });

  it('drops malformed members: no "=", bad keys, bad or empty values, over-long keys and values', () => {
    const f = new TraceStateFilter(['*']);
    const good = 'ok=1';
    for (const bad of [
      'novalue',
      '=nokey',
      'ok=',
      'Upper=1',
      'ok=a=b',
      'ok= ',
      `ok=${'v'.repeat(257)}`,
      `${'k'.repeat(257)}=1`,
      'ok=é',
      'ok=\u{1F600}',
      'ok=line\nbreak',
      '@=1',
    ])
      expect(f.filter(`${bad},${good}`), bad).toBe(good);
    expect(f.filter(`k=${'v'.repeat(256)}`)).toBe(`k=${'v'.repeat(256)}`);
    expect(f.filter(' \tok=inner space\t ')).toBe('ok=inner space');
  });

  it('keeps the first (most recent) member of a duplicated key', () => {
    const f = new TraceStateFilter(['ot', 'dd']);
    expect(f.filter('ot=th:1,dd=a,ot=th:2,dd=b')).toBe('ot=th:1,dd=a');
  });

  it('reads at most 32 list members and refuses over-long input whole', () => {
    const f = new TraceStateFilter(['*']);
    const members = Array.from({ length: 40 }, (_, i) => `k${i}=v${i}`);
    const out = f.filter(members.join(','));
    expect(out.split(',')).toEqual(members.slice(0, MAX_TRACE_STATE_MEMBERS));
    // empty members do not count; malformed ones do
    expect(f.filter(`,,,${members.slice(0, 32).join(', ,')}`).split(',')).toHaveLength(32);
    expect(f.filter(`${'bad,'.repeat(32)}k=v`)).toBe('');
    const huge = `ot=th:c,${' '.repeat(MAX_TRACE_STATE_INPUT_LENGTH)}`;
    expect(new TraceStateFilter(['ot']).filter(huge)).toBe('');
  });

  it('drops an allowed member whose key or value the scanner finds something in, and counts it every time', () => {
    const s = scanner();
    const f = new TraceStateFilter(['ot', 'u', '*@v'], s.scan);
    // the second `u` is a duplicate and never scanned; an encoded address is still found
    expect(f.filter(`ot=th:c,u=plan-b,u=x ${FAKE_EMAIL}`)).toBe('ot=th:c,u=plan-b');
    expect(f.filter(`ot=th:c,u=${FAKE_EMAIL.replace('@', '%40')}`)).toBe('ot=th:c');
    expect(f.filter(`ot=th:c,u=mail ${FAKE_EMAIL}`)).toBe('ot=th:c');
    expect(f.filter(`ot=th:c,u=mail ${FAKE_EMAIL}`)).toBe('ot=th:c');
    expect(s.findings.email).toBe(3);
    expect(f.filter('4111111111111111@v=1,ot=th:c')).toBe('ot=th:c');
    expect(s.findings['payment-card']).toBe(1);
    // 16 digits are no `rv` (14 hex digits): the field is dropped before scanning, the valid `th` kept
    expect(f.filter('ot=th:0;rv:4111111111111111')).toBe('ot=th:0');
  });

  it('filters each distinct clean input once (cached), and never scans dropped members', () => {
    const s = scanner();
    const f = new TraceStateFilter(['ot'], s.scan);
    expect(f.filter('ot=th:c,dd=s:1')).toBe('ot=th:c');
    expect(s.calls).toEqual(['ot', 'th:c']);
    for (let i = 0; i < 100; i++) expect(f.filter('ot=th:c,dd=s:1')).toBe('ot=th:c');
    expect(s.calls).toHaveLength(2);
    // the cache is bounded: after many distinct inputs the first is filtered again, with the same result
    for (let i = 0; i < 5000; i++) f.filter(`ot=th:${i.toString(16)}`);
    s.calls.length = 0;
    expect(f.filter('ot=th:c,dd=s:1')).toBe('ot=th:c');
    expect(s.calls).toEqual(['ot', 'th:c']);
  });

  it('returns TraceState objects of its own (even when nothing is removed), never mutating', () => {
    const f = new TraceStateFilter(['ot']);
    const clean = new TraceState('ot=th:c');
    const kept = f.filterTraceState(clean)!;
    // the application's object is never handed on: it could serialize differently later
    expect(kept).not.toBe(clean);
    expect(kept.serialize()).toBe('ot=th:c');
    expect(Object.isFrozen(kept)).toBe(true);
    expect(f.filterTraceState(clean)).toBe(kept); // cached by identity
    expect(new TraceStateFilter(['ot']).filterTraceState(kept)).not.toBe(kept); // another filter decides again
    const mixed = createTraceState('ot=th:c,dd=s:1');
    const out = f.filterTraceState(mixed)!;
    expect(out).not.toBe(mixed);
    expect(out.serialize()).toBe('ot=th:c');
    expect(out.get('dd')).toBeUndefined();
    expect(mixed.serialize()).toBe('ot=th:c,dd=s:1');
    expect(f.filterTraceState(mixed)).toBe(out); // cached by identity
    expect(f.filterTraceState(out)).toBe(out); // a filtered object is a fixed point
    expect(f.filterTraceState(new TraceState('dd=s:1'))).toBeUndefined();
    expect(f.filterTraceState(undefined)).toBeUndefined();
  });

  it('hands on a sealed trace state: fixed text, API semantics, and a look-alike is filtered again', () => {
    const f = new TraceStateFilter(['ot', 'dd']);
    const sealed = f.filterTraceState(createTraceState('dd=s:1,ot=th:8,x=y'))!;
    expect(sealed.serialize()).toBe('dd=s:1,ot=th:8');
    expect([sealed.get('ot'), sealed.get('x')]).toEqual(['th:8', undefined]);
    expect(sealed.set('z', '1').serialize()).toBe('z=1,dd=s:1,ot=th:8');
    expect(sealed.unset('dd').serialize()).toBe('ot=th:8');
    expect(sealed.serialize()).toBe('dd=s:1,ot=th:8'); // set/unset returned new objects
    expect(() => Object.assign(sealed, { serialize: () => 'x=jane.doe' })).toThrow(TypeError);
    // an object built on the prototype is not one the filter made: it is read (once) and filtered
    const fake = Object.create(SealedTraceState.prototype) as SealedTraceState;
    Object.defineProperty(fake, 'serialize', { value: () => 'ot=th:0,x=jane.doe' });
    expect(f.filterTraceState(fake)!.serialize()).toBe('ot=th:0');
  });

  it('does not cache objects whose members had findings (each is counted again)', () => {
    const s = scanner();
    const f = new TraceStateFilter(['ot', 'u'], s.scan);
    const ts = new TraceState(`ot=th:c,u=${FAKE_EMAIL}`);
    expect(f.filterTraceState(ts)!.serialize()).toBe('ot=th:c');
    expect(f.filterTraceState(ts)!.serialize()).toBe('ot=th:c');
    expect(s.findings.email).toBe(2);
  });

  it('handles unicode and control characters in any position without throwing', () => {
    const f = new TraceStateFilter(['*']);
    for (const raw of [
      'ot=th:c,\u00e9=1',
      'ot=th:c,k=\u2028',
      '\uD800=1,ot=th:c',
      'ot=th:c,k=\uDFFF',
      '\u0000,ot=th:c',
    ])
      expect(f.filter(raw), JSON.stringify(raw)).toBe('ot=th:c');
  });

  it('property: any input gives well-formed, allowed, bounded output, and filtering it again changes nothing', () => {
    const f = new TraceStateFilter(['ot', 'k*', '*@acme']);
    const unit = fc.constantFrom(...'ok*@acme=,; \t:/_-é\u0000\uD800'.split(''), 'ot=', 'k1=', 'x@acme=', ',');
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit, maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 60 })),
        (raw) => {
          const out = f.filter(raw);
          expect(f.filter(out)).toBe(out);
          if (out === '') return;
          const members = out.split(',');
          expect(members.length).toBeLessThanOrEqual(MAX_TRACE_STATE_MEMBERS);
          const keys = members.map((m) => m.slice(0, m.indexOf('=')));
          expect(new Set(keys).size).toBe(keys.length);
          for (const m of members) {
            const key = m.slice(0, m.indexOf('='));
            expect(isTraceStateKey(key) && isTraceStateValue(m.slice(key.length + 1)), m).toBe(true);
            expect(key === 'ot' || key.startsWith('k') || key.endsWith('@acme'), key).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
