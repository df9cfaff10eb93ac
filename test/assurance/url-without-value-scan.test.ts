import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// A policy that sanitizes URLs but does not scan values (no `values` section): an allowed `url.full` still goes
// through the URL sanitizer, and a URL it leaves as it is (no query, no credentials) is exported as written. Real
// tracer provider with the privacy span processor; the exported attribute is read.
const policy = definePolicy({
  version: 1,
  attributes: { allow: ['url.full'] },
  sanitizers: { url: { attributes: ['url.full'] } },
});
const { tracerProvider, spans } = privacyPipelines(policy);
const tracer = tracerProvider.getTracer('url-without-value-scan');

const path = fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));

describe('url.full under a policy without value scanning', () => {
  it('keeps a plain URL and strips a query value', () => {
    fc.assert(
      fc.property(path, fc.stringMatching(/^[a-z]{3,8}$/), (p, user) => {
        const plain = `https://api.example.com/${p}`;
        tracer.startSpan('plain', { attributes: { 'url.full': plain } }).end();
        tracer.startSpan('query', { attributes: { 'url.full': `${plain}?email=${user}@example.com` } }).end();
        const [a, b] = spans.getFinishedSpans();
        spans.reset();
        expect(a.attributes['url.full']).toBe(plain);
        expect(String(b.attributes['url.full'])).toContain(plain);
        expect(String(b.attributes['url.full'])).not.toContain(`${user}@example.com`);
      }),
      { numRuns: 50 },
    );
  });
});
