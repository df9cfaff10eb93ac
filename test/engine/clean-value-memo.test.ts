import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AttributeRules } from '../../engine/attribute-rules';
import { AttributeRedactor, DROPPED, MASK } from '../../engine/attribute-redactor';
import type { RedactorTools } from '../../engine/attribute-redactor';
import type { FindingTally } from '../../engine/detectors/value-scanner';
import type { StatementFamily } from '../../engine/sanitizers/statement-sanitizer';

// The engine remembers, per key position, the last string it wrote through unchanged with no finding counted, and
// writes an equal string through again without the scanner or a cache lookup. That may only save work: every value
// gets the output, and every finding the count, that deciding it afresh gives.

/** A scanner whose result depends on the value and the key, that counts findings, also on values it leaves as they are. */
function tools(): RedactorTools & {
  calls: { n: number };
  findings: Record<string, number>;
  findingTally: FindingTally;
} {
  const findings: Record<string, number> = Object.create(null);
  const findingTally: FindingTally = { total: 0 };
  const calls = { n: 0 };
  const count = (type: string) => {
    findings[type] = (findings[type] ?? 0) + 1;
    findingTally.total++;
  };
  const scanner = (value: string, key: string): string | typeof DROPPED => {
    calls.n++;
    // a finding that rewrites the value
    if (value.includes('fake-secret')) {
      count('secret');
      return value.replaceAll('fake-secret', MASK);
    }
    // a finding counted on a value left as it is (a masked value equal to its input)
    if (value.includes('[REDACTED]')) {
      count('masked');
      return value;
    }
    // the key as context: digits are a phone number under a phone key only
    if (/phone/.test(key) && /\d{6}/.test(value)) {
      count('phone');
      return MASK;
    }
    if (value === 'fake-drop') {
      count('dropped');
      return DROPPED;
    }
    return value;
  };
  const statementFamily = (system: unknown): StatementFamily => (system === 'mongodb' ? 'mongodb' : 'sql');
  return { scanner, findings, findingTally, calls, statementFamily, transforms: {} };
}

const rules = () =>
  new AttributeRules(
    {
      allow: ['http.method', 'note', 'fake.phone', 'db.system.name', 'db.statement', 'url.path'],
      hash: [],
      encrypt: [],
      drop: ['fake.dropped'],
      generalize: {},
      default: 'drop',
    },
    'traces',
    {
      url: { keys: ['url.path'], apply: (v) => v.replace(/\/\d+(?=\/|$)/g, '/{id}') },
      // the family changes the result: the memo must not carry a statement across database systems
      statement: { keys: ['db.statement'], apply: (v, family) => (family === 'mongodb' ? v.replace('x', '?') : v) },
    },
  );

const KEYS = ['http.method', 'note', 'fake.phone', 'fake.dropped', 'db.system.name', 'db.statement', 'url.path'];
const VALUES = [
  'GET',
  'x = 1',
  '5551234567',
  'fake-secret here',
  'already [REDACTED]',
  'fake-drop',
  'mongodb',
  'postgresql',
  '/users/42/orders',
  '/users/:id',
];

describe('the clean-value memo of the engine', () => {
  it('writes a constant string seen under the same key again through without scanning it again', () => {
    const t = tools();
    const engine = new AttributeRedactor(rules(), t);
    const attributes = { 'http.method': 'GET', note: 'fine' };
    for (let i = 0; i < 5; i++) expect(engine.sanitize(attributes)).toEqual({ 'http.method': 'GET', note: 'fine' });
    expect(t.calls.n).toBe(2); // once per key, at its first sighting
    // a long string is not held in memory: scanned every time
    const long = { note: 'n'.repeat(257) };
    for (let i = 0; i < 3; i++) engine.sanitize(long);
    expect(t.calls.n).toBe(5);
  });

  it('remembers two constants alternating under the same key at the same position (a server span and its database span)', () => {
    const t = tools();
    const engine = new AttributeRedactor(rules(), t);
    for (let i = 0; i < 5; i++) {
      expect(engine.sanitize({ note: 'shop.example' })).toEqual({ note: 'shop.example' });
      expect(engine.sanitize({ note: 'db.shop.example' })).toEqual({ note: 'db.shop.example' });
    }
    expect(t.calls.n).toBe(2); // once per constant
    // a third constant under the key pushes the oldest out: it is scanned again, once
    engine.sanitize({ note: 'cache.shop.example' });
    engine.sanitize({ note: 'shop.example' });
    engine.sanitize({ note: 'cache.shop.example' });
    expect(t.calls.n).toBe(4);
  });

  it('scans again a value with a finding, a value counted while left unchanged, and every value after a key change', () => {
    const t = tools();
    const engine = new AttributeRedactor(rules(), t);
    for (let i = 0; i < 3; i++) {
      expect(engine.sanitize({ note: 'fake-secret here' })).toEqual({ note: `${MASK} here` });
      expect(engine.sanitize({ note: 'already [REDACTED]' })).toEqual({ note: 'already [REDACTED]' });
    }
    expect(t.findings.secret).toBe(3);
    expect(t.findings.masked).toBe(3);
    // the same digits, clean under `note`, are a finding under a phone key at the same position
    expect(engine.sanitize({ note: '5551234567' })).toEqual({ note: '5551234567' });
    expect(engine.sanitize({ 'fake.phone': '5551234567' })).toEqual({ 'fake.phone': MASK });
    expect(engine.sanitize({ note: '5551234567' })).toEqual({ note: '5551234567' });
    expect(t.findings.phone).toBe(1);
  });

  it('decides a statement again when the database system beside it changed', () => {
    const engine = new AttributeRedactor(rules(), tools());
    const statement = 'x = 1';
    expect(engine.sanitize({ 'db.statement': statement, 'db.system.name': 'postgresql' })['db.statement']).toBe(
      'x = 1',
    );
    expect(engine.sanitize({ 'db.statement': statement, 'db.system.name': 'mongodb' })['db.statement']).toBe('? = 1');
  });

  it('gives every value the output and every finding the count of a fresh decision, for any sequence of objects', () => {
    const entry = fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), fc.boolean());
    const objects = fc.array(fc.uniqueArray(entry, { selector: (e) => e[0], minLength: 1, maxLength: 5 }), {
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(objects, (sequence) => {
        const memo = tools();
        const fresh = tools();
        const engine = new AttributeRedactor(rules(), memo);
        for (const entries of sequence) {
          // `copy`: an equal string that is another object (built by concatenation, as instrumentations do)
          const input = Object.fromEntries(entries.map(([k, v, copy]) => [k, copy ? [...v].join('') : v]));
          // the oracle: a new engine for every object (no memo, no cache), counting into its own record
          const expected = new AttributeRedactor(rules(), fresh).sanitize(input);
          expect(engine.sanitize(input)).toEqual(expected);
          expect({ ...memo.findings }).toEqual({ ...fresh.findings });
          expect(memo.findingTally.total).toBe(fresh.findingTally.total);
        }
        // the memo saved scans (the property is about outputs; this shows it was exercised)
        expect(memo.calls.n).toBeLessThanOrEqual(fresh.calls.n);
      }),
      { numRuns: 300 },
    );
  });
});
