import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, sendAsNames } from './helpers/outside-attack';

// A secret written as a `name=value` segment of an ordinary URL path (`/cb/access_token=…/next`, as a callback that
// turned a fragment into a path writes it), sent by an outside tester through real SDK providers with the real
// privacy processors and the default policy: in the URL attributes, a span name, an event name and a log body. Names
// are sensitive parameter names in several naming styles; values are random fake tokens of letters only (no digit
// run for the path's ID rules, little for the value detectors to find).
const pipelines = defaultPolicyPipelines();

const name = fc.constantFrom('access_token', 'token', 'api_key', 'apiKey', 'X-Api-Key', 'session_id', 'sig', 'code');
const value = fc.string({
  unit: fc.constantFrom(...'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'),
  minLength: 8,
  maxLength: 24,
});
const written = fc
  .tuple(fc.constantFrom('https://app.example.com', ''), name, value, fc.constantFrom('', '/next', '/a/b'))
  .map(([origin, n, v, rest]) => ({ url: `${origin}/cb/${n}=${v}${rest}`, path: `/cb/${n}=${v}${rest}`, v }));

describe('a secret as a name=value segment of a URL path', () => {
  it('is not exported from url.full, url.path, a span name, an event name or a log body', () => {
    fc.assert(
      fc.property(written, ({ url, path, v }) => {
        const span = pipelines.tracerProvider
          .getTracer('attack')
          .startSpan('GET /cb', { attributes: { 'url.full': url, 'url.path': path } });
        span.end();
        expect(pipelines.exportedJson(), url).not.toContain(v);
        const names = sendAsNames(pipelines, `GET ${url}`);
        expect(JSON.stringify(names), url).not.toContain(v);
      }),
      { numRuns: 60 },
    );
  });

  it('in a URL written in a span event name, a log event name or severity text, as a path segment, query or fragment parameter, is not exported', () => {
    fc.assert(
      fc.property(name, value, fc.constantFrom('/cb/', '/cb?', '/cb#'), (n, v, join) => {
        const text = `callback https://app.example.com${join}${n}=${v} failed`;
        const span = pipelines.tracerProvider.getTracer('attack').startSpan('work');
        span.addEvent(text);
        span.end();
        pipelines.loggerProvider.getLogger('attack').emit({ eventName: text, severityText: text, body: 'done' });
        const json = pipelines.exportedJson();
        expect(json, text).not.toContain(v);
        expect(json, text).toContain(`${n}=REDACTED`);
      }),
      { numRuns: 60 },
    );
  });
});
