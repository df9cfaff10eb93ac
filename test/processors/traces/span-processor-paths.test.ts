import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy, loadPolicy } from '../../../index';
import type { Policy } from '../../../index';
import { fakeHmacKey, tempDir, writeOptOut } from '../consent/consent-kit';
import { withoutOnEnding } from './without-on-ending';

// PrivacySpanProcessor's two end paths side by side, through a real TracerProvider: in place at `onEnding` (SDK 2.9+),
// and the sanitized copy `onEnd` makes when the SDK does not call `onEnding`. A recording next processor sees every
// callback; whatever the policy decides not to forward (consent, rate limit) must reach it on neither path, and be
// counted once.

const KEY = fakeHmacKey('span-processor-paths');
const RATE = 0.000001;
const OPTED_OUT = ['fake-optout-1', 'fake-optout-2'];
let dir: string;

beforeAll(() => {
  process.env.SPAN_PATHS_HMAC = KEY;
  dir = tempDir();
});
afterAll(() => {
  delete process.env.SPAN_PATHS_HMAC;
  rmSync(dir, { recursive: true, force: true });
});

function consentPolicy(name: string, action: 'drop' | 'minimize'): Policy {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `version: 1
keys:
  hmac: { id: k1, env: SPAN_PATHS_HMAC }
attributes:
  hash: [user.id]
  allow: [app.plan, link.kind]
consent:
  subject:
    attributes: [user.id]
  optOut: { file: ${name}.bloom, falsePositiveRate: ${RATE} }
  action: ${action}
`,
  );
  writeOptOut(join(dir, `${name}.bloom`), KEY, OPTED_OUT, RATE);
  return loadPolicy(path);
}

type Call = [hook: 'onEnding' | 'onEnd', name: string, attributes: Attributes, links: (Attributes | undefined)[]];

function pipeline(policy: Policy, withOnEnding: boolean) {
  const calls: Call[] = [];
  const record = (hook: Call[0], s: ReadableSpan) =>
    calls.push([hook, s.name, { ...s.attributes }, s.links.map((l) => l.attributes)]);
  const recorder: SpanProcessor = {
    onStart() {},
    onEnding: (s) => record('onEnding', s),
    onEnd: (s) => record('onEnd', s),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const inner = new PrivacySpanProcessor({ policy, next: recorder });
  // Without onEnding, like an SDK before 2.9: only onStart and onEnd reach the processor.
  const processor = withoutOnEnding(inner, withOnEnding);
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('span-paths');
  /** The names next saw at its onEnd, in order. */
  const ended = () => calls.filter((c) => c[0] === 'onEnd').map((c) => c[1]);
  return { calls, ended, tracer, provider };
}

describe.each([
  { path: 'in place (onEnding)', withOnEnding: true },
  { path: 'on a copy (no onEnding)', withOnEnding: false },
])('PrivacySpanProcessor, $path', ({ withOnEnding }) => {
  it('consent drop: an opted-out span and the later spans of its trace reach next in no callback, each counted once', () => {
    const policy = consentPolicy(`drop-${withOnEnding}`, 'drop');
    const p = pipeline(policy, withOnEnding);
    const root = p.tracer.startSpan('opted-out', { attributes: { 'user.id': 'fake-optout-1' } });
    const child = p.tracer.startSpan('same-trace', {}, trace.setSpan(context.active(), root));
    root.end();
    child.end();
    p.tracer.startSpan('kept', { attributes: { 'user.id': 'fake-kept-user', 'app.plan': 'gold' } }).end();
    expect(p.calls.map((c) => c[1])).toEqual(withOnEnding ? ['kept', 'kept'] : ['kept']);
    expect(p.ended()).toEqual(['kept']);
    expect(policy.counters.consentSuppressed.traces).toBe(2);
    expect(policy.counters.dropped.traces.failed).toBe(0);
  });

  it('consent drop: a link into an opted-out trace is removed and counted; the span and its other links are kept', () => {
    const policy = consentPolicy(`links-${withOnEnding}`, 'drop');
    const p = pipeline(policy, withOnEnding);
    const optedOut = p.tracer.startSpan('opted-out', { attributes: { 'user.id': 'fake-optout-2' } });
    optedOut.end();
    const other = p.tracer.startSpan('other');
    other.end();
    p.tracer
      .startSpan('linked', {
        links: [
          { context: optedOut.spanContext(), attributes: { 'link.kind': 'into-opted-out' } },
          { context: other.spanContext(), attributes: { 'link.kind': 'into-other' } },
        ],
      })
      .end();
    // a span that is itself dropped: its links are dropped with it, not counted as removed links
    p.tracer
      .startSpan('opted-out-linking', {
        attributes: { 'user.id': 'fake-optout-1' },
        links: [{ context: optedOut.spanContext(), attributes: { 'link.kind': 'into-opted-out' } }],
      })
      .end();
    expect(p.ended()).toEqual(['other', 'linked']);
    const linked = p.calls.filter((c) => c[1] === 'linked');
    for (const call of linked) expect(call[3]).toEqual([{ 'link.kind': 'into-other' }]);
    expect(policy.counters.consentLinksRemoved).toBe(1);
    expect(policy.counters.consentSuppressed.traces).toBe(2);
  });

  it('consent minimize: the opted-out span is forwarded without its identifying attributes, its trace too', () => {
    const policy = consentPolicy(`minimize-${withOnEnding}`, 'minimize');
    const p = pipeline(policy, withOnEnding);
    const root = p.tracer.startSpan('opted-out', { attributes: { 'user.id': 'fake-optout-1', 'app.plan': 'gold' } });
    const child = p.tracer.startSpan('same-trace', {}, trace.setSpan(context.active(), root));
    root.end();
    child.setAttribute('user.id', 'fake-other-user');
    child.setAttribute('app.plan', 'silver');
    child.end();
    const ends = p.calls.filter((c) => c[0] === 'onEnd');
    expect(ends.map((c) => [c[1], c[2]])).toEqual([
      ['opted-out', { 'app.plan': 'gold' }],
      ['same-trace', { 'app.plan': 'silver' }],
    ]);
    expect(JSON.stringify(p.calls)).not.toContain('fake-');
    expect(policy.counters.consentSuppressed.traces).toBe(0); // minimized, not suppressed
  });

  it('consent drop, subject known only at the end: the later spans of the trace are dropped too', () => {
    const policy = consentPolicy(`drop-late-${withOnEnding}`, 'drop');
    const p = pipeline(policy, withOnEnding);
    const root = p.tracer.startSpan('root');
    const child = p.tracer.startSpan('same-trace', {}, trace.setSpan(context.active(), root));
    root.setAttribute('user.id', 'fake-optout-2'); // after start: only the end pass sees it
    root.end();
    child.end();
    p.tracer.startSpan('other-trace').end();
    expect(p.ended()).toEqual(['other-trace']);
    expect(policy.counters.consentSuppressed.traces).toBe(2);
  });

  it('consent minimize, subject known only at the end: its id is masked in the later spans of the trace', () => {
    const policy = consentPolicy(`minimize-late-${withOnEnding}`, 'minimize');
    const p = pipeline(policy, withOnEnding);
    const root = p.tracer.startSpan('root');
    const child = p.tracer.startSpan('same-trace', {}, trace.setSpan(context.active(), root));
    root.setAttribute('user.id', 'fake-optout-1');
    root.end();
    child.setAttribute('app.plan', 'plan of fake-optout-1');
    child.end();
    expect(p.ended()).toEqual(['root', 'same-trace']);
    expect(JSON.stringify(p.calls)).not.toContain('fake-optout-1');
  });

  it('rate limit: spans over the rate reach next in no callback and are counted; keepErrors lets errors through', () => {
    // 0.001 per second: the bucket holds one permit and refills one in 1000 s, so exactly one span passes here.
    const policy = definePolicy({ version: 1, traces: { sampling: { maxPerSecond: 0.001, keepErrors: true } } });
    const p = pipeline(policy, withOnEnding);
    for (const name of ['first', 'second', 'third']) p.tracer.startSpan(name).end();
    p.tracer.startSpan('error').setStatus({ code: SpanStatusCode.ERROR }).end();
    p.tracer.startSpan('ok-status').setStatus({ code: SpanStatusCode.OK }).end();
    expect(p.ended()).toEqual(['first', 'error']);
    expect(p.calls.map((c) => c[1])).toEqual(withOnEnding ? ['first', 'first', 'error', 'error'] : ['first', 'error']);
    expect(policy.counters.dropped.traces.rateLimited).toBe(3);
  });

  it('rate limit without keepErrors: an error span over the rate is dropped too', () => {
    const policy = definePolicy({ version: 1, traces: { sampling: { maxPerSecond: 0.001 } } });
    const p = pipeline(policy, withOnEnding);
    p.tracer.startSpan('first').end();
    p.tracer.startSpan('error').setStatus({ code: SpanStatusCode.ERROR }).end();
    expect(p.ended()).toEqual(['first']);
    expect(policy.counters.dropped.traces.rateLimited).toBe(1);
  });

  it('hot reload: the same rate keeps the empty bucket, a new rate gets a full one, no rate lets everything through', () => {
    const limited = (maxPerSecond?: number) =>
      definePolicy({ version: 1, traces: { sampling: maxPerSecond === undefined ? {} : { maxPerSecond } } });
    const policy = limited(0.001);
    const p = pipeline(policy, withOnEnding);
    p.tracer.startSpan('a1').end();
    p.tracer.startSpan('a2').end(); // over the rate
    policy.replaceWith(limited(0.001)); // same rate: the bucket stays empty
    p.tracer.startSpan('b1').end();
    policy.replaceWith(limited(0.002)); // a new rate: a new, full bucket (one permit)
    p.tracer.startSpan('c1').end();
    p.tracer.startSpan('c2').end();
    policy.replaceWith(limited()); // no rate: no limit
    p.tracer.startSpan('d1').end();
    p.tracer.startSpan('d2').end();
    policy.replaceWith(limited(0.001)); // a rate again: a full bucket
    p.tracer.startSpan('e1').end();
    p.tracer.startSpan('e2').end();
    expect(p.ended()).toEqual(['a1', 'c1', 'd1', 'd2', 'e1']);
    expect(policy.counters.dropped.traces.rateLimited).toBe(4);
  });
});

describe.each([
  { path: 'in place (onEnding)', withOnEnding: true, wipeThrows: false },
  { path: 'on a copy (no onEnding)', withOnEnding: false, wipeThrows: false },
  { path: 'on a copy (no onEnding), the wipe throws too', withOnEnding: false, wipeThrows: true },
  { path: 'in place (onEnding), the wipe throws too', withOnEnding: true, wipeThrows: true },
])('PrivacySpanProcessor fails closed at start, $path', ({ withOnEnding, wipeThrows }) => {
  it('a span whose start could not be sanitized is never forwarded at its end, and is counted once', () => {
    const policy = definePolicy({ version: 1, attributes: { allow: ['app.*'] } });
    const calls: string[] = [];
    const startedWith: Attributes[] = [];
    const recorder: SpanProcessor = {
      onStart: (s) => startedWith.push({ ...(s as unknown as ReadableSpan).attributes }),
      onEnding: (s) => calls.push(`onEnding ${s.name}`),
      onEnd: (s) => calls.push(`onEnd ${s.name}`),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const inner = new PrivacySpanProcessor({ policy, next: recorder });
    // A misbehaving processor ahead of ours plants a start attribute that throws when read (and, in one variant,
    // freezes the events so that wiping the span throws as well).
    const saboteur: SpanProcessor = {
      onStart(span) {
        if (span.name !== 'bad') return;
        Object.defineProperty((span as unknown as ReadableSpan).attributes, 'app.payload', {
          enumerable: true,
          configurable: true,
          get() {
            throw new Error('getter exploded');
          },
        });
        if (wipeThrows) Object.freeze((span as unknown as ReadableSpan).events);
      },
      onEnd() {},
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const ours: SpanProcessor = withOnEnding
      ? inner
      : {
          onStart: (s, c) => inner.onStart(s, c),
          onEnd: (s) => inner.onEnd(s),
          forceFlush: () => inner.forceFlush(),
          shutdown: () => inner.shutdown(),
        };
    const provider = new TracerProvider({ spanProcessors: [saboteur, ours] });
    const tracer = provider.getTracer('span-paths');
    const bad = tracer.startSpan('bad', { attributes: { 'user.email': 'fake.person@example.com' } });
    bad.setAttribute('app.later', 'fake-value-set-after-start'); // clean, but the span already failed
    bad.end();
    tracer.startSpan('good').end();
    expect(calls).toEqual(withOnEnding ? ['onEnding good', 'onEnd good'] : ['onEnd good']);
    expect(startedWith).toEqual([{}, {}]); // next saw the failed span wiped at its start
    expect(policy.counters.dropped.traces.failed).toBe(1);
  });
});

describe('PrivacySpanProcessor without onEnding: the copy, never the span', () => {
  it('refuses to be built without options, with the clear error', () => {
    expect(() => new PrivacySpanProcessor(undefined as never)).toThrow(/options\.policy is required/);
  });

  it('next gets a copy; the span other processors share keeps its own attributes and links', () => {
    const policy = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'SPAN_PATHS_HMAC' } },
      attributes: { hash: ['user.id'], allow: ['link.kind'] },
    });
    const p = pipeline(policy, false);
    const target = p.tracer.startSpan('target');
    target.end();
    const span = p.tracer.startSpan('op', {
      attributes: { 'user.id': 'fake-user-3' },
      links: [{ context: target.spanContext(), attributes: { 'link.kind': 'k', 'user.id': 'fake-user-3' } }],
    });
    span.setAttribute('user.id', 'fake-user-4');
    span.end();
    const [, , attrs, links] = p.calls.find((c) => c[1] === 'op')!;
    expect(JSON.stringify([attrs, links])).not.toContain('fake-user');
    expect(links).toHaveLength(1);
    // the shared span itself is untouched on this path (only the copy is sanitized)
    expect((span as unknown as ReadableSpan).attributes['user.id']).toBe('fake-user-4');
  });
});
