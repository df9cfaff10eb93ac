import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeRules } from '../../engine/attribute-rules';
import { AttributeRedactor } from '../../engine/attribute-redactor';

// The engine remembers the last few keys seen at each position of an attributes object with their decisions (the
// objects of one request: a server span's start and end attributes, its database span's, an exception event's, come
// through one engine in turn, each kind with its keys in its own order). The memo may only save `decide` calls: every
// key gets exactly the decision the rules give it, and every decision is counted, whatever order objects come in.

// Pairs of keys of the same length with different decisions (`fake.secret` / `fake.public`, `user.id` / `user.ix`).
const KEYS = [
  'http.route',
  'user.id',
  'user.ix',
  'fake.secret',
  'fake.public',
  'db.system.name',
  'url.path',
  'code.function.name',
  'note',
];
const rules = () =>
  new AttributeRules(
    {
      allow: ['http.route', 'db.system.name', 'url.path', 'code.function.name', 'fake.public', 'user.ix'],
      hash: [],
      encrypt: [],
      drop: ['fake.secret', 'user.id'],
      generalize: {},
      default: 'drop',
    },
    'traces',
    {},
  );
const ALLOWED = new Set(['http.route', 'db.system.name', 'url.path', 'code.function.name', 'fake.public', 'user.ix']);

/** Object kinds: key lists in their own orders (more kinds than the memo has ways per position). */
const kinds = fc.array(fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: KEYS.length }), {
  minLength: 1,
  maxLength: 8,
});

describe('the per-position decision memo of the engine', () => {
  it('gives every key the decision of the rules and counts each one, for any sequence of object kinds', () => {
    fc.assert(
      fc.property(kinds, fc.array(fc.nat(), { minLength: 1, maxLength: 60 }), (shapes, sequence) => {
        const r = rules();
        const engine = new AttributeRedactor(r, {});
        const seen = new Map<string, number>();
        for (const n of sequence) {
          const shape = shapes[n % shapes.length];
          const input = Object.fromEntries(shape.map((k) => [k, 'v-' + k]));
          const out = engine.sanitize(input);
          expect(out).toEqual(Object.fromEntries(shape.filter((k) => ALLOWED.has(k)).map((k) => [k, 'v-' + k])));
          for (const k of shape) seen.set(k, (seen.get(k) ?? 0) + 1);
        }
        // Each rule's count is the number of values it decided: memo hits are counted like fresh decisions.
        const counted = new Map(r.usedRules().map((d) => [d.rule, d.count]));
        const expected = new Map<string, number>();
        for (const [k, n] of seen) {
          const rule = r.decide(k).rule;
          expected.set(rule, (expected.get(rule) ?? 0) + n);
        }
        for (const [rule, n] of expected) expect(counted.get(rule)).toBe(n);
      }),
      { numRuns: 200 },
    );
  });

  it('never serves a key the decision remembered for another key at the same position after eviction', () => {
    const engine = new AttributeRedactor(rules(), {});
    // Seven kinds share position 0 (more than the ways per position): each comes back after the others evicted it.
    const firsts = ['http.route', 'user.id', 'url.path', 'fake.secret', 'fake.public', 'user.ix', 'note'];
    for (let round = 0; round < 5; round++)
      for (const first of firsts) {
        const out = engine.sanitize({ [first]: 'v', 'db.system.name': 'postgresql' });
        expect(Object.keys(out)).toEqual(ALLOWED.has(first) ? [first, 'db.system.name'] : ['db.system.name']);
      }
  });

  it("reads an object's own keys only, in their order, whatever its prototype holds", () => {
    // Keys that look like array indices come first in an object's key order; the prototype's enumerable keys (which
    // `for…in` also walks) are not the object's attributes and never reach the output, even when allowed.
    const own = fc.uniqueArray(fc.constantFrom(...KEYS, '7', '12', 'fake.public2'), { minLength: 1, maxLength: 8 });
    const inherited = fc.uniqueArray(fc.constantFrom(...KEYS, '3'), { maxLength: 5 });
    fc.assert(
      fc.property(own, inherited, (ownKeys, protoKeys) => {
        const engine = new AttributeRedactor(rules(), {});
        const proto = Object.fromEntries(protoKeys.map((k) => [k, 'inherited-' + k]));
        const input = Object.assign(
          Object.create(proto) as Record<string, unknown>,
          Object.fromEntries(ownKeys.map((k) => [k, 'v-' + k])),
        );
        for (let round = 0; round < 3; round++) {
          const out = engine.sanitize(input as Record<string, string>);
          expect(Object.keys(out)).toEqual(Object.keys(input).filter((k) => ALLOWED.has(k)));
          for (const k of Object.keys(out)) expect(out[k]).toBe('v-' + k);
        }
      }),
      { numRuns: 300 },
    );
  });
});
