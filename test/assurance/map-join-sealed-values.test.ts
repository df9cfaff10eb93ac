import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptToken, definePolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// A map's string entries are scanned again joined (an identifier split across entries is found whole). Entries the
// policy replaced (encryption tokens, pseudonyms, masks) hold no text of the input; joined with the others, a scan
// with a short `maxScanLength` masked the join's tail as unscanned and wrote it into a token, which then no longer
// decrypted (found by the random policies × random telemetry fuzz: `http: { '': 1e-318, user: <bytes> }` under
// `encrypt: http.*`). Real SDK provider, real processor, exported span and link attributes.

const ENC_KEY = Buffer.alloc(32, 0x5d); // fake test key
process.env.MAP_JOIN_HMAC = `base64:${Buffer.alloc(32, 0x5c).toString('base64')}`; // fake test key
process.env.MAP_JOIN_ENC = `base64:${ENC_KEY.toString('base64')}`;

const entryKey = fc.constantFrom('', 'a', 'user', 'id', 'x_1');
const entryValue = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.double({ noNaN: true }),
  fc.uint8Array({ minLength: 1, maxLength: 24 }),
);

describe('map entries the policy replaced are not rewritten by the joined scan', () => {
  it('encryption tokens in a map decrypt to their values, pseudonyms keep their form (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(entryKey, entryValue, { minKeys: 2, maxKeys: 5 }),
        fc.integer({ min: 16, max: 80 }),
        fc.constantFrom('encrypt', 'hash') as fc.Arbitrary<'encrypt' | 'hash'>,
        (map, maxScanLength, action) => {
          const policy = definePolicy({
            version: 1,
            keys: { hmac: { id: 'k1', env: 'MAP_JOIN_HMAC' }, encryption: { id: 'e1', env: 'MAP_JOIN_ENC' } },
            attributes: {
              allow: ['*'],
              ...(action === 'encrypt' ? { encrypt: [{ key: 'http.*', deterministic: false }] } : { hash: ['http.*'] }),
            },
            values: { detectors: 'all', maxScanLength },
          });
          const { tracerProvider, spans } = privacyPipelines(policy);
          tracerProvider
            .getTracer('map-join')
            .startSpan('op', {
              attributes: { http: map as never },
              links: [
                {
                  context: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 },
                  attributes: { http: map as never },
                },
              ],
            })
            .end();
          const span = spans.getFinishedSpans().at(-1)!;
          for (const attributes of [span.attributes, span.links[0]!.attributes!]) {
            const out = attributes.http as unknown as Record<string, unknown>;
            expect(Object.keys(out).sort()).toEqual(Object.keys(map).sort());
            for (const [k, v] of Object.entries(out)) {
              expect(typeof v).toBe('string');
              if (action === 'hash') expect(v).toMatch(/^k1:[A-Za-z0-9_-]{22}$/);
              else expect(decryptToken(v as string, ENC_KEY, `http.${k}`)).toBeTypeOf('string');
            }
          }
          spans.reset();
        },
      ),
      { numRuns: 120 },
    );
  });
});
