import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { luhnCheckDigit } from './canaries';
import { fuzzParameters } from './fuzz-runs';
import { privacyPipelines } from './helpers/outside-attack';

// An outside attack on the default policy: the statement sanitizers replace every literal with `?` but keep
// identifiers (SQL and CQL names, quoted or not; the keys of MongoDB and Elasticsearch documents), so a number glued
// into one was exported as written: `SELECT * FROM user_123456789`, `{"$set":{"phones.2025550143":true}}`,
// `{"term":{"user.123456789":"x"}}`. The value detectors read an unformatted digit run as an identifier only after a
// keyword; the span-name rules already make `user_123456789` `{id}` outside database spans. An identifier, or a
// `.` segment of a document key, holding nine or more significant decimal digits in a row is now a value (`?`).
// Canaries are generated; every statement goes through a real SDK 3.x provider, the privacy processor and an
// in-memory exporter, and the OTLP/JSON request is read whole.

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5d).toString('base64')}`; // fake test key
const pipelines = privacyPipelines(defaultPolicy());
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** Fake identifiers of 9 to 19 digits: SSNs, North American numbers with and without `1`, 13 to 19-digit cards. */
const identifier = fc.oneof(
  fc
    .tuple(fc.integer({ min: 100, max: 665 }), fc.integer({ min: 10, max: 99 }), fc.integer({ min: 1000, max: 9999 }))
    .map(([a, g, s]) => `${a}${g}${s}`),
  digits(7).map((n) => `202${n}`),
  digits(7).map((n) => `1202${n}`),
  fc
    .integer({ min: 11, max: 17 })
    .chain((len) => digits(len))
    .map((n) => `4${n}${luhnCheckDigit(`4${n}`)}`),
);

/** Neutral words around the number (no keyword of the detectors: the scanner alone would not find it). */
const word = fc.constantFrom('user', 't', 'cust', 'acct', 'tenant', 'orders', 'k', 'Shard', 'tbl');
const glue = fc.constantFrom('_', '');

/** An identifier word holding `id`: a word before it, and a word after it or not. */
const holding = (id: string) =>
  fc
    .tuple(word, glue, fc.option(fc.tuple(fc.constantFrom('_'), word), { nil: undefined }))
    .map(([w, g, after]) => `${w}${g}${id}${after ? after.join('') : ''}`);

type Place = { system: string; statement: (name: string) => string };

/** Where an identifier stands, by statement family. */
const places: Place[] = [
  { system: 'postgresql', statement: (n) => `SELECT * FROM ${n} WHERE id = 1` },
  { system: 'postgresql', statement: (n) => `SELECT a.${n} FROM t a` },
  { system: 'postgresql', statement: (n) => `SELECT "${n}" FROM t` },
  { system: 'mysql', statement: (n) => `UPDATE \`${n}\` SET x = 1` },
  { system: 'mssql', statement: (n) => `SELECT * FROM [${n}]` },
  { system: 'cassandra', statement: (n) => `SELECT * FROM ks.${n} WHERE k = 1` },
  { system: 'mongodb', statement: (n) => `{"update":"users","updates":[{"q":{},"u":{"$set":{"carts.${n}.qty":1}}}]}` },
  { system: 'mongodb', statement: (n) => `db.users.updateOne({_id: 1}, {$set: {${n}: 1}})` },
  { system: 'mongodb', statement: (n) => `db.${n}.find({})` },
  { system: 'elasticsearch', statement: (n) => `{"query":{"term":{"user.${n}":"x"}}}` },
  { system: 'elasticsearch', statement: (n) => `{"aggs":{"${n}":{"terms":{"field":"f"}}}}` },
];

function exported(system: string, statement: string): string {
  const tracer = pipelines.tracerProvider.getTracer('statement-identifier-digits');
  tracer
    .startSpan(statement, {
      attributes: {
        'db.system.name': system,
        'db.query.text': statement,
        'db.statement': statement,
        'db.query.summary': statement,
      },
    })
    .end();
  return pipelines.exportedJson();
}

describe('outside attack: numbers glued into statement identifiers and document keys (default policy)', () => {
  it('the exact vectors', () => {
    for (const [system, statement, id] of [
      ['postgresql', 'SELECT * FROM user_123456789', '123456789'],
      ['postgresql', 'SELECT * FROM t WHERE c = 1 AND cust_2025550143 = 2', '2025550143'],
      ['mongodb', '{"update":"u","updates":[{"u":{"$set":{"phones.2025550143":true}}}]}', '2025550143'],
      ['elasticsearch', '{"query":{"term":{"user.123456789":"x"}}}', '123456789'],
      ['elasticsearch', '{"index":{"_index":"orders"}}\n{"customer_2025550143":"x"}', '2025550143'],
      ['mongodb', '{"find":"users","filter":{"4111111111111111":1}}', '4111111111111111'],
      ['mongodb', '{123456789: 1}', '123456789'],
    ] as const) {
      expect(exported(system, statement)).not.toContain(id);
    }
  });

  it.each(places.map((p, i) => [i, p.system, p]))('no such number is exported (place %i, %s)', (_i, _s, place) => {
    fc.assert(
      fc.property(
        identifier.chain((id) => fc.tuple(fc.constant(id), holding(id))),
        ([id, name]) => {
          expect(exported(place.system, place.statement(name))).not.toContain(id);
        },
      ),
      fuzzParameters(25),
    );
  });

  it.each(places.map((p, i) => [i, p.system, p]))(
    'identifiers with up to eight digits in a row are kept (place %i, %s)',
    (_i, _s, place) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 8 }).chain((len) => digits(len)),
          word,
          glue,
          (n, w, g) => {
            const name = `${w}${g}${n}`;
            expect(exported(place.system, place.statement(name))).toContain(name);
          },
        ),
        fuzzParameters(25),
      );
    },
  );
});
