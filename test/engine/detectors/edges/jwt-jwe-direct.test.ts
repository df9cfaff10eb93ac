import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `jwt` (engine/detectors/jwt.ts, docs/detectors.md): a JWE with direct encryption (`alg: dir`) has an empty
// encrypted-key part, `header..iv.ciphertext.tag` (NextAuth writes its session cookies so). Its JOSE header names an
// `enc`, which makes it certain; bare, in prose, in JSON, in a cookie or a query it is masked whole. A header that names
// no `enc` with the same empty part (a JWS with a detached payload, `header..signature`) stays as written.

const scan = edgeScanners(['jwt']);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const part = (min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...B64URL), minLength: min, maxLength: max });
const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A JWE header with direct encryption: `alg: dir`, an `enc`, sometimes a `kid`, `cty` or `zip`. */
const jweHeader = fc
  .record({
    enc: fc.constantFrom('A256GCM', 'A128GCM', 'A256CBC-HS512', 'A128CBC-HS256'),
    extra: fc.constantFrom({}, { kid: 'k1' }, { cty: 'JWT' }, { zip: 'DEF' }),
    encFirst: fc.boolean(),
  })
  .map(({ enc, extra, encFirst }) => b64url(encFirst ? { enc, alg: 'dir', ...extra } : { alg: 'dir', enc, ...extra }));

/** `header..iv.ciphertext.tag`: a 96- or 128-bit IV, a ciphertext, a 128- or 256-bit tag. */
const directJwe = fc
  .tuple(jweHeader, fc.constantFrom(16, 22), part(20, 200), fc.constantFrom(22, 43))
  .chain(([h, ivLength, ct, tagLength]) =>
    fc.tuple(part(ivLength), part(tagLength)).map(([iv, tag]) => `${h}..${iv}.${ct}.${tag}`),
  );

/** Where the tester found it leak, and where it was held (after a label). */
const WRITINGS: readonly ((t: string) => string)[] = [
  (t) => `«${t}»`,
  (t) => `decrypt failed for «${t}»`,
  (t) => `decrypt failed for «${t}».`,
  (t) => `{"level":"warn","msg":"invalid session","jwe":"«${t}»"}`,
  (t) => `session=«${t}»; Path=/`,
  (t) => `Cookie: next-auth.session-token=«${t}»`,
  (t) => `GET /api/auth/session?t=«${t}» HTTP/1.1`,
  (t) => `JWEDecryptionFailed: «${t}»`,
  (t) => `payload «${t}» rejected`,
  (t) => `token=«${t}»&x=1`,
];

describe('jwt: a JWE with an empty encrypted-key part (alg dir)', () => {
  it('is masked whole in every writing', () => {
    fc.assert(
      fc.property(directJwe, fc.constantFrom(...WRITINGS), (jwe, write) => scan.marked(write(jwe))),
      { numRuns: 150 },
    );
  });

  it('cut after its ciphertext (no tag) it is still masked; a sentence dot after it stays', () => {
    fc.assert(
      fc.property(jweHeader, part(16), part(20, 80), (h, iv, ct) => {
        scan.marked(`bad «${h}..${iv}.${ct}» x`);
        scan.marked(`bad «${h}..${iv}.${ct}». Next`);
      }),
      { numRuns: 40 },
    );
  });

  it('look-alikes stay as written: a header with no enc (detached JWS), a header and a sentence, a lone IV', () => {
    const jwsHeader = fc.constantFrom({ alg: 'HS256' }, { alg: 'RS256', typ: 'JWT' }, { alg: 'ES256', kid: 'k1' });
    fc.assert(
      fc.property(jwsHeader, jweHeader, part(16, 22), part(20, 80), part(22, 43), (jh, h, iv, ct, tag) => {
        scan.kept(`detached ${b64url(jh)}..${tag} ok`);
        scan.kept(`detached ${b64url(jh)}..${iv}.${ct}.${tag} ok`);
        scan.kept(`header ${h}.. Next`);
        scan.kept(`header ${h}..${iv} x`);
      }),
      { numRuns: 40 },
    );
  });
});

describe('jwt: a direct-encryption JWE through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('no ciphertext is exported from a log body', () => {
    fc.assert(
      fc.property(directJwe, fc.constantFrom(...WRITINGS), (jwe, write) => {
        const ct = jwe.split('.')[3]!;
        expect(pipeline.exported(write(jwe).replace(/[«»]/g, ''))).not.toContain(ct.slice(0, 20));
      }),
      { numRuns: 30 },
    );
  });
});
