import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, LOWER, chars, defaultPipeline, edgeScanners } from './secret-edges-helpers';

// `url-credentials` (engine/detectors/url-credentials.ts, docs/detectors.md): the `user:password` of
// `scheme://user:password@host`: every character that ends the authority (no userinfo across it) and the ones a
// password may hold, the last `@`, an empty user or password, what must follow the `@`, the scheme's first letter,
// and the 512-character userinfo limit on both sides.

const scan = edgeScanners(['url-credentials']);
// A backslash ends the authority too, but the normalized view reads `\\a` as an escaped `a` (masked there).
const ENDERS = [...' "\'<>`,[]{}|', '\t', '\n'];
// `/ ? # ;` end it too, but a password may hold them: the userinfo runs on to the `@` a host ends
// (url-credentials-reserved.test.ts); before a port (`:5432/`) they end it.
const RESERVED = [...'/?#;'];
const INSIDE = [...'!$%&()*+=~.-_:'];
const scheme = fc.constantFrom('https', 'postgres', 'redis', 'amqp', 'mongodb+srv', 'git+ssh', 'x-a.b');
const word = chars(LOWER, 1, 8);
const password = chars(ALNUM, 3, 12);

describe('url-credentials', () => {
  it('user:password is masked, scheme and host stay; an empty user is still a password', () => {
    fc.assert(
      fc.property(scheme, word, password, (s, user, pass) => {
        for (const sc of scan.scanners) {
          expect(sc.scan(`${s}://${user}:${pass}@db.example.com/x`).value).toBe(
            `${s}://[REDACTED:url-credentials]@db.example.com/x`,
          );
          expect(sc.scan(`${s}://:${pass}@db`).value).toBe(`${s}://[REDACTED:url-credentials]@db`);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('a character that ends the authority before the @ leaves no userinfo; the others are part of the password', () => {
    fc.assert(
      fc.property(
        scheme,
        word,
        password,
        fc.constantFrom(...ENDERS),
        fc.constantFrom(...INSIDE),
        fc.nat(),
        (s, user, pass, ender, inside, at) => {
          const cut = at % (pass.length + 1);
          scan.kept(`${s}://${user}:${pass.slice(0, cut)}${ender}${pass.slice(cut)}@db.example.com`);
          scan.kept(`${s}://${user}:${at % 65536}${RESERVED[at % 4]}${pass}@db.example.com`);
          const withInside = `${pass.slice(0, cut)}${inside}${pass.slice(cut)}`;
          scan.found(`${s}://${user}:${withInside}@db.example.com`, `${user}:${withInside}`);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('the last @ ends the userinfo (an unencoded @ in a password)', () => {
    fc.assert(
      fc.property(scheme, word, password, password, (s, user, a, b) => {
        for (const sc of scan.scanners)
          expect(sc.scan(`${s}://${user}:${a}@${b}@db`).value).toBe(`${s}://[REDACTED:url-credentials]@db`);
      }),
      { numRuns: 20 },
    );
  });

  it('no password (user@, user:@) and no host after the @ are no credentials', () => {
    fc.assert(
      fc.property(scheme, word, password, fc.constantFrom('.', '-', '_', ':', '/', ''), (s, user, pass, after) => {
        scan.kept(`${s}://${user}@db.example.com`);
        scan.kept(`${s}://${user}:@db.example.com`);
        scan.kept(`${s}://${user}:${pass}@${after}`);
        scan.found(`${s}://${user}:${pass}@[::1]:5432`, pass);
        scan.found(`${s}://${user}:${pass}@\u00e9t\u00e9.example`, pass);
        scan.found(`${s}://${user}:${pass}@9db`, pass);
      }),
      { numRuns: 30 },
    );
  });

  it('the scheme must start with a letter (digits and + - . before it are skipped)', () => {
    fc.assert(
      fc.property(chars('0123456789+-.', 1, 4), word, password, (junk, user, pass) => {
        scan.kept(`${junk}://${user}:${pass}@db`);
        scan.kept(`://${user}:${pass}@db`);
        scan.found(`${junk}x://${user}:${pass}@db`, pass);
      }),
      { numRuns: 30 },
    );
  });

  it('a userinfo of any length is read (511, 512 and 5 000 characters: a long password is no less a password)', () => {
    fc.assert(
      fc.property(word, (user) => {
        const pass = (n: number) => 'p9'.repeat(2500).slice(0, n - user.length - 1);
        for (const n of [511, 512, 5000]) scan.found(`https://${user}:${pass(n)}@db`, pass(n));
      }),
      { numRuns: 10 },
    );
  });
});

describe('url-credentials through real SDK providers with the default policy', () => {
  const pipeline = defaultPipeline();
  it('no password with any allowed character is exported from a log body', () => {
    fc.assert(
      fc.property(scheme, word, password, fc.constantFrom(...INSIDE), (s, user, pass, inside) => {
        const secret = `${pass}${inside}${pass}`;
        expect(pipeline.exported(`connect ${s}://${user}:${secret}@db.example.com/app failed`)).not.toContain(secret);
      }),
      { numRuns: 30 },
    );
  });
});
