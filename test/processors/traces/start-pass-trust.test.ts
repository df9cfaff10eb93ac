import { createHmac } from 'node:crypto';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, definePolicy } from '../../../index';
import { withoutOnEnding } from './without-on-ending';

// What the end pass may take over from the start pass: the name and the attribute entries the start pass wrote, and
// only while the span still holds exactly them. Anything changed after the start (a new name, a replaced value, a key
// added, a value set back to its raw form) is decided again, on both end paths: in place at `onEnding`, and the copy
// `onEnd` makes when the SDK does not call `onEnding`.

const KEY = 'fake-hmac-key-for-start-pass-tests-0123456789';
const pseudonym = (v: string) =>
  `k1:${createHmac('sha256', KEY).update(v).digest().subarray(0, 16).toString('base64url')}`;

beforeAll(() => {
  process.env.START_PASS_HMAC = KEY;
});
afterAll(() => {
  delete process.env.START_PASS_HMAC;
});

function pipeline(withOnEnding: boolean) {
  const policy = definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'START_PASS_HMAC' } },
    attributes: { allow: ['http.route', 'app.plan'], hash: ['user.id'] },
    sanitizers: { spanName: true },
  });
  const exporter = new InMemorySpanExporter();
  const inner = new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) });
  const processor = withoutOnEnding(inner, withOnEnding);
  const provider = new TracerProvider({ spanProcessors: [processor] });
  return { tracer: provider.getTracer('start-pass'), exported: (): ReadableSpan[] => exporter.getFinishedSpans() };
}

for (const withOnEnding of [true, false]) {
  describe(`the end pass trusts the start pass only for what is unchanged (${withOnEnding ? 'onEnding' : 'copy at onEnd'})`, () => {
    it('sanitizes a name given after the start', () => {
      const { tracer, exported } = pipeline(withOnEnding);
      const span = tracer.startSpan('GET /users/{id}');
      span.updateName('GET /users/4711');
      span.end();
      expect(exported()[0].name).toBe('GET /users/{id}');
    });

    it('decides a value replaced after the start again, also one set back to the raw value it had', () => {
      const { tracer, exported } = pipeline(withOnEnding);
      const a = tracer.startSpan('a', { attributes: { 'user.id': 'fake-user-1', 'http.route': '/a' } });
      a.setAttribute('user.id', 'fake-user-2');
      a.end();
      const b = tracer.startSpan('b', { attributes: { 'user.id': 'fake-user-3' } });
      b.setAttribute('user.id', 'fake-user-3'); // the raw value again, over the pseudonym the start pass wrote
      b.end();
      const c = tracer.startSpan('c', { attributes: { 'http.route': '/c', 'user.id': 'fake-user-4' } });
      c.setAttribute('http.route', '/c2'); // the first entry replaced, the last one unchanged
      c.end();
      // replaced by the value another key kept at the start: still the raw value of a hashed key
      const d = tracer.startSpan('d', { attributes: { 'http.route': 'fake-user-6', 'user.id': 'fake-user-7' } });
      d.setAttribute('user.id', 'fake-user-6');
      d.end();
      // every start attribute dropped (the start pass wrote nothing), then a hashed key set
      const e = tracer.startSpan('e', { attributes: { 'app.secret': 'fake-secret-start' } });
      e.setAttribute('user.id', 'fake-user-8');
      e.end();
      const [ea, eb, ec, ed, ee] = exported();
      expect(ee.attributes).toEqual({ 'user.id': pseudonym('fake-user-8') });
      expect(ed.attributes).toEqual({ 'http.route': 'fake-user-6', 'user.id': pseudonym('fake-user-6') });
      expect(ea.attributes).toEqual({ 'user.id': pseudonym('fake-user-2'), 'http.route': '/a' });
      expect(eb.attributes).toEqual({ 'user.id': pseudonym('fake-user-3') });
      expect(ec.attributes).toEqual({ 'http.route': '/c2', 'user.id': pseudonym('fake-user-4') });
    });

    it('decides keys added after the start, and keeps the entries written at the start once (never hashed twice)', () => {
      const { tracer, exported } = pipeline(withOnEnding);
      const span = tracer.startSpan('op', { attributes: { 'user.id': 'fake-user-5', 'app.plan': 'pro' } });
      span.setAttribute('app.secret', 'fake-secret-value');
      span.setAttribute('user.email', 'fake.person@example.com');
      span.end();
      const plain = tracer.startSpan('op', { attributes: { 'user.id': 'fake-user-5', 'app.plan': 'pro' } });
      plain.end();
      const [added, unchanged] = exported();
      expect(added.attributes).toEqual({ 'user.id': pseudonym('fake-user-5'), 'app.plan': 'pro' });
      expect(unchanged.attributes).toEqual({ 'user.id': pseudonym('fake-user-5'), 'app.plan': 'pro' });
      expect(JSON.stringify(added.attributes)).not.toContain('fake-secret-value');
      expect(JSON.stringify(added.attributes)).not.toContain('fake.person@example.com');
    });
  });
}
