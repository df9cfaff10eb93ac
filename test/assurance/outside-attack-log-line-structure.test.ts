import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanLogLine, gluedPrefix, sensitiveLogLine } from './helpers/log-lines';
import { defaultPolicyPipelines, exportedThrough } from './helpers/outside-attack';

// An outside tester's round 19, default policy, real SDK providers: the log body's URL rules rewrote a fifth of
// realistic clean log lines. A compact JSON line was one word and collapsed (`{"ts":…,"caller":"handler/orders.go:88"}`
// → `{id}/{id}`); access-log and server timestamps lost their dates (`[07/Dec/2026:10:15:32 +0000]` →
// `[{id}/Dec/{id} +0000]`, `2026/12/07 10:15:32` → `{id}/{id}/{id} …`, `HTTP/2` → `HTTP/{id}`); text glued before a
// scheme was eaten with it (`処理完了：https://…` → `{id}//…`); logfmt values lost their key's quote
// (`image="docker.io/library/nginx:1.25"` → `image=REDACTED"`, `{http_route="/graphql",le="2.5"}` →
// `{http_route=REDACTED`); image tags, CIDR blocks, ARNs, ETags, DOIs and Postgres LSNs were templated.
const pipelines = defaultPolicyPipelines();

describe('log body URL rules: a log line keeps its structure', () => {
  it('exports a clean log line exactly as written', () => {
    fc.assert(
      fc.property(cleanLogLine, (line) => {
        expect(exportedThrough(pipelines, 'log body', line)).toContain(line);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the text glued before a scheme and templates the URL after it', () => {
    fc.assert(
      fc.property(gluedPrefix, fc.integer({ min: 100, max: 99_999_999 }), (p, n) => {
        expect(exportedThrough(pipelines, 'log body', `${p}https://shop.example.com/products/${n}`)).toContain(
          `${p}https://shop.example.com/products/{id}`,
        );
      }),
      { numRuns: 50 },
    );
  });

  it.each([
    [
      '{"caller":"handler/orders.go:88","path":"/orders/4711"}',
      '{"caller":"handler/orders.go:88","path":"/orders/{id}"}',
    ],
    [
      'level=info image="ghcr.io/acme/users:v1" path="/users/zqjanedoe"',
      'level=info image="ghcr.io/acme/users:v1" path="/users/{id}"',
    ],
    [
      'source=redis://cache:6379/0 next=/orders/4711?page=2',
      'source=redis://cache:6379/0 next=/orders/{id}?page=REDACTED',
    ],
    ['a=1&next=/orders/4711', 'a=REDACTED&next=REDACTED'],
    ['dob 01/02/1985', 'dob {id}/{id}/{id}'],
  ])('rewrites only the URL in %s', (line, expected) => {
    expect(exportedThrough(pipelines, 'log body', line)).toContain(expected);
  });

  it('still removes the value of a look-alike that holds one', () => {
    fc.assert(
      fc.property(sensitiveLogLine, ([line, value]) => {
        // the strings of the export but its ids and times (digits and hex only: they hold any number now and then)
        const exported = exportedThrough(pipelines, 'log body', line).filter((s) => !/^[0-9A-Fa-f]+$/.test(s));
        expect(exported.join('\n')).not.toContain(value);
      }),
      { numRuns: 300 },
    );
  });
});
