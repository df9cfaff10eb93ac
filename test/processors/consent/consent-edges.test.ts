import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { context, createTraceState, propagation, trace } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PrivacyLogRecordProcessor,
  PrivacySpanProcessor,
  loadPolicy,
  watchOptOut,
  withConsentSubject,
} from '../../../index';
import type { Policy } from '../../../index';
import { allowAllConsentYaml, fakeHmacKey, pseudonymOf, tempDir, writeOptOut } from './consent-kit';

// Consent decisions at their edges, through loadPolicy and a real TracerProvider: which values are subjects, which are
// already pseudonyms, which places of a span and a context are read, what minimize removes, and the opt-out file's
// refusals. A small opt-out set (fast), built independently of the library's pseudonymizer (consent-kit).

const KEY = fakeHmacKey('consent-edges');
// Far below one false positive over every kept id of this file (the fake key is fixed, so the same ids are tested every run).
const RATE = 0.000001;
let dir: string;

/** Raw ids that look like pseudonyms of key k1 but are not (they must be hashed before the lookup). */
const LOOKALIKE_DOT_FIRST = `k1:.${'a'.repeat(21)}`;
const LOOKALIKE_DOT_LAST = `k1:${'a'.repeat(21)}.`;
const LOOKALIKE_SHORT = `k1:${'a'.repeat(10)}`;
const OPTED_OUT = [
  'fake-optout-1',
  'fake-optout-2',
  '4711',
  'undefined',
  'null',
  LOOKALIKE_DOT_FIRST,
  LOOKALIKE_DOT_LAST,
  LOOKALIKE_SHORT,
];

function policyFile(name: string, options: { action?: 'drop' | 'minimize'; context?: boolean; extra?: string } = {}) {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `version: 1
keys:
  hmac: { id: k1, env: CONSENT_EDGES_HMAC }
  encryption: { id: e1, env: CONSENT_EDGES_AES }
attributes:
  hash: [user.id, app.account]
  encrypt: [app.contact]
  allow: [app.plan, undefined]
consent:
  subject:
    attributes: [user.id]
    context: ${options.context ?? true}
  optOut: { file: ${name}.bloom, falsePositiveRate: ${RATE} }
  action: ${options.action ?? 'drop'}
${options.extra ?? ''}`,
  );
  writeOptOut(join(dir, `${name}.bloom`), KEY, OPTED_OUT, RATE);
  return path;
}

function pipeline(policy: Policy) {
  const spans = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  return { tracer: provider.getTracer('consent-edges'), spans, shutdown: () => provider.shutdown() };
}

beforeAll(() => {
  process.env.CONSENT_EDGES_HMAC = KEY;
  process.env.CONSENT_EDGES_AES = `hex:${'ab'.repeat(32)}`;
  dir = tempDir();
  writeOptOut(join(dir, 'segments.bloom'), KEY, OPTED_OUT, RATE);
});
afterAll(() => {
  delete process.env.CONSENT_EDGES_HMAC;
  delete process.env.CONSENT_EDGES_AES;
  rmSync(dir, { recursive: true, force: true });
});

describe('consent: which values name a subject', () => {
  it('hashes a raw id that only looks like a pseudonym (wrong length, or a character outside base64url)', async () => {
    const p = pipeline(loadPolicy(policyFile('lookalike')));
    for (const id of [LOOKALIKE_DOT_FIRST, LOOKALIKE_DOT_LAST, LOOKALIKE_SHORT])
      p.tracer.startSpan(`raw ${id}`, { attributes: { 'user.id': id } }).end();
    // A real pseudonym of an opted-out subject is looked up as it is.
    p.tracer.startSpan('pseudonym', { attributes: { 'user.id': pseudonymOf(KEY, 'fake-optout-1') } }).end();
    p.tracer.startSpan('kept', { attributes: { 'user.id': 'fake-kept-user' } }).end();
    expect(p.spans.getFinishedSpans().map((s) => s.name)).toEqual(['kept']);
    // The same ids as the context subject (no attribute is hashed and checked again at the end).
    for (const id of [LOOKALIKE_DOT_FIRST, LOOKALIKE_DOT_LAST, LOOKALIKE_SHORT])
      p.tracer.startSpan(`context ${id}`, {}, withConsentSubject(context.active(), id)).end();
    const pseudonym = pseudonymOf(KEY, 'fake-optout-2');
    p.tracer.startSpan('context pseudonym', {}, withConsentSubject(context.active(), pseudonym)).end();
    expect(p.spans.getFinishedSpans().map((s) => s.name)).toEqual(['kept']);
    await p.shutdown();
  });

  it('an array value is the subject of each of its elements; numbers are subjects by their text', async () => {
    const p = pipeline(loadPolicy(policyFile('arrays')));
    p.tracer.startSpan('one of two', { attributes: { 'user.id': ['fake-kept-user', 'fake-optout-2'] } }).end();
    p.tracer.startSpan('number', { attributes: { 'user.id': 4711 } }).end();
    p.tracer.startSpan('kept array', { attributes: { 'user.id': ['fake-kept-a', 'fake-kept-b'] } }).end();
    expect(p.spans.getFinishedSpans().map((s) => s.name)).toEqual(['kept array']);
    await p.shutdown();
  });

  it('no subject is not the subject "undefined" or "null", and only subject keys are read', async () => {
    const policy = loadPolicy(policyFile('absent'));
    const gate = policy.compiled.consent!;
    expect(gate.optedOut(undefined)).toBe(false);
    expect(gate.optedOut(null)).toBe(false);
    expect(gate.optedOut('undefined')).toBe(true);
    const p = pipeline(policy);
    // an attribute literally named "undefined" is not a subject key
    p.tracer.startSpan('plain', { attributes: { undefined: 'fake-optout-1', 'app.plan': 'fake-gold' } }).end();
    expect(p.spans.getFinishedSpans().map((s) => s.name)).toEqual(['plain']);
    await p.shutdown();
  });

  it('a span with events and links of subjects that did not opt out is exported with them', async () => {
    const p = pipeline(loadPolicy(policyFile('events-links')));
    const linked = p.tracer.startSpan('linked');
    linked.end();
    const span = p.tracer.startSpan('with event and link', {
      attributes: { 'user.id': 'fake-kept-user' },
      links: [{ context: linked.spanContext(), attributes: { 'user.id': 'fake-kept-other' } }],
    });
    span.addEvent('e', { 'user.id': 'fake-kept-third' });
    span.addEvent('no attributes');
    span.end();
    const out = p.spans.getFinishedSpans();
    expect(out.map((s) => s.name)).toEqual(['linked', 'with event and link']);
    expect(out[1].events).toHaveLength(2);
    expect(out[1].links).toHaveLength(1);
    await p.shutdown();
  });

  it('the context subject is read only with subject.context: true; withConsentSubject takes strings and numbers', async () => {
    const off = pipeline(loadPolicy(policyFile('context-off', { context: false })));
    off.tracer.startSpan('ignored', {}, withConsentSubject(context.active(), 'fake-optout-1')).end();
    expect(off.spans.getFinishedSpans().map((s) => s.name)).toEqual(['ignored']);
    await off.shutdown();
    const on = pipeline(loadPolicy(policyFile('context-on')));
    on.tracer.startSpan('number subject', {}, withConsentSubject(context.active(), 4711)).end();
    on.tracer.startSpan('kept', {}, withConsentSubject(context.active(), 'fake-kept-user')).end();
    // baggage is not read when subject.baggage is not configured
    const bag = propagation.setBaggage(
      context.active(),
      propagation.createBaggage({ 'user.id': { value: 'fake-optout-1' } }),
    );
    on.tracer.startSpan('baggage ignored', {}, bag).end();
    expect(on.spans.getFinishedSpans().map((s) => s.name)).toEqual(['kept', 'baggage ignored']);
    await on.shutdown();
    for (const bad of [{}, undefined, null, ['fake-optout-1'], true])
      expect(() => withConsentSubject(context.active(), bad as unknown as string)).toThrow(
        new TypeError('withConsentSubject: expected the subject identifier as a string or number'),
      );
  });
});

/** A value nested in maps, one level per key segment. */
type Nested = string | { [key: string]: Nested };

describe('consent: a subject key of many segments', () => {
  it('finds the subject nested in maps along every segment of the key, however many (an opted-out record is dropped)', () => {
    fc.assert(
      fc.property(
        // short keys as written in policies, and long ones (past 16 segments, where the lookup once stopped)
        fc.oneof(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 16, max: 30 })).chain((n) =>
          fc.array(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 6 }), {
            minLength: n,
            maxLength: n,
          }),
        ),
        fc.boolean(),
        (segments, optedOut) => {
          const key = segments.join('.');
          const path = join(dir, `segments-${segments.length}.yaml`);
          writeFileSync(
            path,
            allowAllConsentYaml({
              env: 'CONSENT_EDGES_HMAC',
              subjectKey: key,
              optOutFile: 'segments.bloom',
              rate: RATE,
              action: 'drop',
            }),
          );
          const policy = loadPolicy(path);
          const logs = new InMemoryLogRecordExporter();
          const provider = new LoggerProvider({
            processors: [
              new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) }),
            ],
          });
          const id = optedOut ? 'fake-optout-1' : 'fake-kept-user';
          let value: Nested = id;
          for (let i = segments.length - 1; i >= 1; i--) value = { [segments[i]!]: value };
          provider.getLogger('consent-edges').emit({
            body: 'a record about the subject',
            attributes: { [segments[0]!]: value },
          });
          expect(logs.getFinishedLogRecords().length, key).toBe(optedOut ? 0 : 1);
          void provider.shutdown();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('consent: minimize', () => {
  it('removes every hashed, encrypted and subject key of an opted-out subject, and keeps the others', async () => {
    const p = pipeline(loadPolicy(policyFile('minimize', { action: 'minimize' })));
    const attributes = {
      'user.id': 'fake-optout-1',
      'app.account': 'fake-account-7',
      'app.contact': 'fake.person@example.com',
      'app.plan': 'fake-gold',
    };
    p.tracer.startSpan('minimized', { attributes }).end();
    p.tracer.startSpan('kept', { attributes: { ...attributes, 'user.id': 'fake-kept-user' } }).end();
    const [minimized, kept] = p.spans.getFinishedSpans();
    expect(minimized.attributes).toEqual({ 'app.plan': 'fake-gold' });
    expect(Object.keys(kept.attributes).sort()).toEqual(['app.account', 'app.contact', 'app.plan', 'user.id']);
    await p.shutdown();
  });

  it('removes a trace-state member whose key or value names the subject; the others stay', async () => {
    // both members pass the trace-state filter (allowed keys, nothing the value scanner finds): only consent removes
    const extra = 'traces:\n  traceState: { allow: [fake-optout-1@acme, note@acme, other@acme] }';
    const p = pipeline(loadPolicy(policyFile('minimize-trace-state', { action: 'minimize', extra })));
    const parent = trace.setSpanContext(context.active(), {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      traceState: createTraceState('fake-optout-1@acme=x,note@acme=by-fake-optout-1,other@acme=fine'),
    });
    const ctx = withConsentSubject(parent, 'fake-optout-1');
    p.tracer.startSpan('minimized', { attributes: { 'app.plan': 'fake-gold' } }, ctx).end();
    const [minimized] = p.spans.getFinishedSpans();
    expect(minimized.attributes).toEqual({ 'app.plan': 'fake-gold' });
    expect(minimized.spanContext().traceState?.serialize()).toBe('other@acme=fine');
    await p.shutdown();
  });
});

describe('consent: the opt-out file', () => {
  it('a check without a change is "unchanged"; a change is "reloaded"', () => {
    const policy = loadPolicy(policyFile('watch'));
    const watcher = watchOptOut(policy, { onError: () => undefined, pollIntervalMillis: 60_000 });
    try {
      expect(watcher.check()).toBe('unchanged');
      writeOptOut(join(dir, 'watch.bloom'), KEY, ['fake-new-user'], RATE);
      expect(watcher.check()).toBe('reloaded');
      expect(watcher.check()).toBe('unchanged');
      expect(policy.compiled.consent!.optedOut('fake-new-user')).toBe(true);
      expect(policy.compiled.consent!.optedOut('fake-optout-1')).toBe(false);
    } finally {
      watcher.close();
    }
  });

  it('a filter exactly at the configured false-positive bound is accepted', () => {
    const filter = writeOptOut(join(dir, 'exact.bloom'), KEY, OPTED_OUT, RATE);
    const rate = filter.expectedFalsePositiveRate;
    const path = join(dir, 'exact.yaml');
    writeFileSync(
      path,
      readFileSync(policyFile('exact-source'), 'utf8')
        .replace('exact-source.bloom', 'exact.bloom')
        .replace(`falsePositiveRate: ${RATE}`, `falsePositiveRate: ${rate}`),
    );
    expect(loadPolicy(path).compiled.consent!.optOut.size).toBe(OPTED_OUT.length);
  });

  it('errors name the file and the reason, and keep the cause', () => {
    const truncated = policyFile('truncated');
    const bytes = readFileSync(join(dir, 'truncated.bloom'));
    writeFileSync(join(dir, 'truncated.bloom'), bytes.subarray(0, bytes.length - 10));
    expect(() => loadPolicy(truncated)).toThrow(/consent\.optOut\.file \S*truncated\.bloom: checksum mismatch/);
    const missing = policyFile('missing-file');
    rmSync(join(dir, 'missing-file.bloom'));
    let error: Error | undefined;
    try {
      loadPolicy(missing);
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toMatch(/cannot read consent\.optOut\.file \S*missing-file\.bloom: ENOENT$/);
    // the original error is kept as the cause, down to the system error
    const cause = error?.cause as Error & { cause?: NodeJS.ErrnoException };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.message).toMatch(/missing-file\.bloom: ENOENT$/);
    expect(cause.cause?.code).toBe('ENOENT');
    let truncatedError: Error | undefined;
    try {
      loadPolicy(truncated);
    } catch (err) {
      truncatedError = err as Error;
    }
    expect((truncatedError?.cause as Error | undefined)?.message).toMatch(/truncated\.bloom: checksum mismatch/);
    // one line, and the key (an environment variable's value) in neither the message nor the cause
    for (const e of [error, cause, truncatedError, truncatedError?.cause as Error]) {
      expect(e?.message).not.toContain('\n');
      expect(e?.message).not.toContain(KEY);
    }
  });

  it('the gate and the set print only the action, the file and the size', () => {
    const policy = loadPolicy(policyFile('printed'));
    const gate = policy.compiled.consent!;
    gate.optedOut('fake-optout-1');
    expect(inspect(gate)).toBe("ConsentGate { action: 'drop' }");
    expect(inspect(gate.optOut)).toBe(
      `OptOutSet { file: ${inspect(join(dir, 'printed.bloom'))}, size: ${OPTED_OUT.length} }`,
    );
    expect(JSON.stringify(gate)).not.toContain('fake-optout-1');
  });
});
