import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeCql } from '../../../engine/sanitizers/cql-sanitizer';
import { sanitizeElasticsearch } from '../../../engine/sanitizers/elasticsearch-sanitizer';
import { sanitizeMemcached } from '../../../engine/sanitizers/memcached-sanitizer';
import { sanitizeMongoDb } from '../../../engine/sanitizers/mongodb-sanitizer';
import { sanitizeUnknownStatement } from '../../../engine/sanitizers/unknown-statement-sanitizer';
import { fuzzParameters } from '../../assurance/fuzz-runs';
import { STATEMENT_CASES } from './testdata/statement-cases';

describe('statement families: hand-labeled rule edges (testdata/statement-cases.ts)', () => {
  it.each(STATEMENT_CASES.map((c) => [`${c.family}: ${c.rule}`, c] as const))('%s', (_name, c) => {
    switch (c.family) {
      case 'memcached':
        expect(sanitizeMemcached(c.input)).toBe(c.expected);
        break;
      case 'json':
        // MongoDB and Elasticsearch share the JSON value masker: both read the document the same way.
        expect(sanitizeMongoDb(c.input)).toBe(c.expected);
        expect(sanitizeElasticsearch(c.input)).toBe(c.expected);
        break;
      case 'cql':
        expect(sanitizeCql(c.input)).toBe(c.expected);
        break;
      case 'unknown':
        expect(sanitizeUnknownStatement(c.input)).toBe(c.expected);
        break;
    }
  });
});

/** Text of any characters, for values written inside a JSON string (JSON.stringify escapes it). */
const anyText = fc.string({ unit: 'binary', maxLength: 24 });

describe('statement families: properties', () => {
  it('JSON: no value written in a string, number or literal reaches the output; keys stay', () => {
    const value = fc.oneof(
      anyText.map((s) => JSON.stringify(s)),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      fc.constantFrom('true', 'false', 'null'),
    );
    const key = fc.stringMatching(/^[a-z][a-z_]{0,10}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 5 }), (entries) => {
        const doc = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
        const expected = `{${entries.map(([k]) => `${JSON.stringify(k)}:"?"`).join(',')}}`;
        expect(sanitizeMongoDb(doc)).toBe(expected);
      }),
      fuzzParameters(300),
    );
  });

  it('Memcached: the data block of a storage command never reaches the output', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('set', 'add', 'replace', 'append', 'prepend', 'cas', 'ms'),
        anyText.map((s) => s.replace(/[\r\n]/g, ' ')),
        (cmd, data) => {
          const head = cmd === 'ms' ? `ms k:1 ${data.length}` : `${cmd} k:1 0 60 ${data.length}`;
          expect(sanitizeMemcached(`${head}\r\n${data}\r\nget k:2`)).toBe(`${head.replace('k:1', 'k:?')}\nget k:?`);
        },
      ),
      fuzzParameters(200),
    );
  });

  it('unknown system, command reading: only a command-shaped first word survives', () => {
    const token = fc.stringMatching(/^[^\s"'{[]{1,10}$/);
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z_]{1,12}$/),
        fc.array(token, { minLength: 1, maxLength: 5 }),
        (cmd, args) => {
          fc.pre(
            !/^(select|insert|update|with|merge|call|exec|execute|upsert|values|show|declare|truncate|create|alter|drop|grant|revoke|explain|begin|commit|rollback)$/i.test(
              cmd,
            ),
          );
          expect(sanitizeUnknownStatement(`${cmd} ${args.join(' ')}`)).toBe(`${cmd} ${args.map(() => '?').join(' ')}`);
        },
      ),
      fuzzParameters(200),
    );
  });
});
