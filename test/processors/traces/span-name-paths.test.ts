import fc from 'fast-check';
import { expect, it } from 'vitest';
import { outsideAttack, withoutIdsAndTimes } from '../../assurance/helpers/outside-attack';

// A span named after a request whose path is written with backslashes (`GET \users\4711`: Windows and IIS style, or
// a UNC path `\\host\share\4711`) names a request path as `GET /users/4711` does: its identifiers are templated
// before export whatever the separator. Real SDK provider, the privacy span processor and the default policy; the
// span name is read from the exported OTLP/JSON request (every `name` in it).
const attack = outsideAttack();

const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH');
const segments = fc.array(fc.stringMatching(/^[a-z]{2,8}$/), { minLength: 1, maxLength: 3 });
const id = fc.integer({ min: 100, max: 99_999_999 }).map(String);

it('templates the identifier of a backslash request path in a span name', async () => {
  const tracer = attack.tracerProvider.getTracer('span-name-paths');
  await fc.assert(
    fc.asyncProperty(method, segments, id, fc.constantFrom('\\', '\\\\'), async (verb, words, n, lead) => {
      const json = await attack.exported(() => tracer.startSpan(`${verb} ${lead}${[...words, n].join('\\')}`).end());
      const names = [...json.matchAll(/"name":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
      expect(names.filter((name) => name.startsWith(`${verb} `))).toHaveLength(1);
      expect(names.filter((name) => name.includes(n))).toEqual([]);
    }),
    { numRuns: 100 },
  );
});

it('templates identifiers after a backslash in any word of a span name, not only a request path', async () => {
  const tracer = attack.tracerProvider.getTracer('span-name-paths');
  const verb = fc.constantFrom('send', 'process', 'GET', 'load');
  const value = fc.oneof(
    id,
    fc
      .tuple(fc.constantFrom('jane', 'alice', 'bob'), fc.integer({ min: 1, max: 9999 }))
      .map(([w, k]) => `${w}-${String(k).padStart(4, '0')}`),
  );
  await fc.assert(
    fc.asyncProperty(verb, segments, value, async (v, words, secret) => {
      const json = await attack.exported(() => tracer.startSpan(`${v} ${[...words, secret].join('\\')}`).end());
      const names = [...json.matchAll(/"name":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
      expect(names.filter((name) => name.startsWith(`${v} `))).toHaveLength(1);
      expect(names.filter((name) => name.includes(secret))).toEqual([]);
    }),
    { numRuns: 100 },
  );
  // a name after a segment naming people, and an id with a file extension, as with `/`
  const json = await attack.exported(() => {
    tracer.startSpan('send users\\alice').end();
    tracer.startSpan('get reports\\4711.json').end();
  });
  expect(json).not.toContain('alice');
  expect(withoutIdsAndTimes(json)).not.toContain('4711');
  expect(json).toContain('get reports\\\\{id}.json');
});
