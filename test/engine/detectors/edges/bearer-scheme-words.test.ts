import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RUNS, defaultPolicyExport, edges } from './helpers';

// Rule edges of engine/detectors/bearer-token.ts: a scheme word written twice (`Authorization: Bearer Bearer <token>`,
// a common client bug; `Bearer.Bearer <token>`, `Basic.Bearer …`): the first scheme's "credential" is the second
// scheme word, and the token after it must still be read.

const bearer = edges('bearer-token');
/** A random token of letters and digits with both cases and a digit (what `looksLikeCredential` accepts). */
const token = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789'),
    minLength: 16,
    maxLength: 40,
  })
  .map((t) => `aZ9${t}`);
const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'Token');
const join = fc.constantFrom(' ', '.', '-', ':', '=', '  ');

describe('bearer-token: a scheme word after a scheme', () => {
  it('is no credential: the token after the second scheme is masked', () => {
    fc.assert(
      fc.property(
        scheme,
        join,
        fc.constantFrom('', 'Authorization: ', 'authorization='),
        token,
        (first, sep, label, t) => {
          bearer.masks(`${label}${first}${sep}Bearer `, t, ' ok');
        },
      ),
      RUNS,
    );
  });
});

describe('bearer-token: through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('a doubled scheme does not export the token', async () => {
    await fc.assert(
      fc.asyncProperty(scheme, join, token, async (first, sep, t) => {
        expect(await exported(`Authorization: ${first}${sep}Bearer ${t}`)).not.toContain(t);
      }),
      { numRuns: 10 },
    );
  });
});
