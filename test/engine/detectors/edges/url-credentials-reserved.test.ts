import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALNUM, DIGITS, LOWER, chars, edgeScanners } from './secret-edges-helpers';
import { defaultPolicyPipelines, exportedThrough } from '../../../assurance/helpers/outside-attack';

// `url-credentials` (engine/detectors/url-credentials.ts, docs/detectors.md): a password with an unencoded `/`, `?`,
// `#` or `;` (`postgres://app:Summer2026#@db:5432/app`, `redis://:p/ss@cache:6379`) and an SMB domain before the user
// (`smb://CORP;jane:Winter2025@fs01/share`, `smb://CORP\\jane:…`), also glued to CJK text after the port
// (`接続先：redis://:p/ss2026@cache:6379。`). The authority seems to end at that character, but the `@` after it that a
// host and port end is the userinfo's: everything between `//` and it is masked. The look-alikes stay as written: a
// port before the character (`host:8080/users/jane@example.com`), a `:` only after it (a query's `a=b:c@d`), no `:`.

const scan = edgeScanners(['url-credentials']);
const scheme = fc.constantFrom('postgres', 'redis', 'amqp', 'mongodb+srv', 'https', 'mysql', 'smb', 'ftp');
const user = fc.oneof(chars(LOWER, 1, 8), fc.constant(''));
const RESERVED = [...'/?#;'];

/** A password with one to three of `/ ? # ;` in it, starting with a letter (never a port: `:8080/`). */
const password = fc
  .tuple(
    chars(LOWER + 'ABCDEFGHJKMNPQRSTUVWXYZ', 1),
    fc.array(fc.tuple(fc.constantFrom(...RESERVED), chars(ALNUM + '!$%&*+=~.-_', 0, 8)), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([first, rest]) => first + rest.map(([r, s]) => r + s).join(''));

/** A host and an optional port, then the path, query or nothing. */
const host = fc.constantFrom('db', 'fs01', 'cache.internal', 'db.example.com', '10.0.3.17', '[::1]', 'rabbitmq');
const port = fc.constantFrom('', ':5432', ':6379', ':1');
const tail = fc.constantFrom('', '/app', '/', '/share/x', '?sslmode=require', '#frag', '/0?x=a@b');

/** Where such a URL is written: bare, in prose, in JSON, in an environment line, in parentheses. */
const WRITINGS: readonly ((url: string) => string)[] = [
  (u) => u,
  (u) => `dial ${u} failed`,
  (u) => `{"dsn":"${u}","level":"error"}`,
  (u) => `DATABASE_URL=${u}`,
  (u) => `connect (${u}) refused`,
  (u) => `mount ${u}, retrying`,
];

/** `scheme://«user:password»@host…`, the userinfo marked. */
const marked = fc
  .tuple(scheme, user, password, host, port, tail, fc.constantFrom(...WRITINGS))
  .map(([s, u, p, h, pt, t, write]) => write(`${s}://«${u}:${p}»@${h}${pt}${t}`));

/** `smb://«DOMAIN;user:password»@host/share`, the password with or without reserved characters. */
const smb = fc
  .tuple(chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 2, 8), chars(LOWER, 1, 8), fc.oneof(password, chars(ALNUM, 3, 12)), host)
  .map(([d, u, p, h]) => `mount smb://«${d};${u}:${p}»@${h}/share failed`);

/** `smb://«DOMAIN\\user:password»@host/share`: a Windows domain before a backslash, also escaped in JSON. */
const smbBackslash = fc
  .tuple(
    chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 2, 8),
    chars(LOWER, 1, 8),
    fc.oneof(password, chars(ALNUM, 3, 12)),
    host,
    fc.constantFrom(...WRITINGS),
  )
  .map(([d, u, p, h, write]) => {
    const url = write(`smb://«${d}\\${u}:${p}»@${h}/share`);
    return url.startsWith('{') ? url.replace('\\', '\\\\') : url;
  });

/** What stands after a URL in CJK text: full stops, brackets, commas, kana, hanzi. */
const CJK_AFTER = ['。', '」です', '、', 'です。', '）', '，请重试', '에 연결'];

describe('url-credentials: a password with / ? # or ;, an SMB domain', () => {
  it('everything between // and the @ a host ends is masked', () => {
    fc.assert(
      fc.property(marked, (m) => scan.marked(m)),
      { numRuns: 300 },
    );
  });

  it('an SMB domain before the user is part of the userinfo', () => {
    fc.assert(
      fc.property(smb, (m) => scan.marked(m)),
      { numRuns: 100 },
    );
  });

  it('an SMB domain written with a backslash (smb://CORP\\jane:pw@fs01) is part of the userinfo', () => {
    fc.assert(
      fc.property(smbBackslash, (m) => scan.marked(m)),
      { numRuns: 100 },
    );
  });

  it('a URL glued to CJK text after its host and port: the userinfo is masked', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('接続先：', '连接', '「', '주소 '),
        scheme,
        user,
        fc.oneof(password, chars(ALNUM, 3, 12)),
        host,
        port,
        fc.constantFrom('', '/app', '/share/x'),
        fc.constantFrom(...CJK_AFTER),
        (b, s, u, p, h, pt, t, a) => scan.marked(`${b}${s}://«${u}:${p}»@${h}${pt}${t}${a}`),
      ),
      { numRuns: 150 },
    );
  });

  it('backslash and CJK look-alikes stay as written: no password, an empty password, a path, a port before a path', () => {
    fc.assert(
      fc.property(
        chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 2, 8),
        chars(LOWER, 1, 8),
        host,
        fc.constantFrom(...CJK_AFTER),
        (d, u, h, a) => {
          scan.kept(`mount smb://${d}\\${u}@${h}/share failed`);
          scan.kept(`mount smb://${d}\\${u}:@${h}/share failed`);
          scan.kept(`open smb://${h}\\share\\${u}@example.com`);
          scan.kept(`GET https://${h}:8080/users/${u}@example.com${a}`);
          scan.kept(`接続先：https://${h}:6379/${u}${a}`);
          scan.kept(`ポート：${h}:6379${a}`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('look-alikes stay as written: a port, an empty port or `port` before the character, a : only after it, no :', () => {
    fc.assert(
      fc.property(
        scheme,
        host,
        fc.oneof(chars(DIGITS, 1, 5), fc.constant(''), fc.constantFrom('port', 'PORT')),
        fc.constantFrom(...RESERVED),
        chars(LOWER, 1, 8),
        chars(LOWER, 1, 8),
        (s, h, pt, r, a, b) => {
          scan.kept(`GET ${s}://${h}:${pt}${r}users/${a}@example.com ok`);
          scan.kept(`GET ${s}://${h}${r}q=${a}:${b}@example.com ok`);
          scan.kept(`GET ${s}://${h}${r}${a}@example.com ok`);
          scan.kept(`jdbc:sqlserver://${h};user=${a};password=${b}@${h}`);
          scan.kept(`${s}://${h}:4317${s}://example.com${r}@${a}`);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('no userinfo when what follows the @ is no host ending there, or a blank or quote comes first', () => {
    fc.assert(
      fc.property(scheme, password, chars(LOWER, 1, 8), fc.constantFrom(' ', '"', '<', '`', ','), (s, p, u, stop) => {
        scan.kept(`${s}://${u}:${p}@`);
        scan.kept(`${s}://${u}:${p}@-db`);
        scan.kept(`${s}://${u}:${p}@db:x1`);
        scan.kept(`${s}://${u}:${p}@db:123456`);
        scan.kept(`${s}://${u}:${p}${stop}x@db`);
      }),
      { numRuns: 60 },
    );
  });
});

describe('url-credentials: a full stop after the port', () => {
  it('a sentence ends after the port (@cache:6379. Next): the userinfo is masked', () => {
    fc.assert(
      fc.property(
        scheme,
        user,
        fc.oneof(password, chars(ALNUM, 3, 12)),
        fc.constantFrom('db', 'cache.internal', '[::1]', '10.0.3.17'),
        fc.constantFrom(':5432', ':6379', ':1'),
        fc.constantFrom('.', '. Next', '.次へ', '." }', '.\nretry'),
        (s, u, p, h, pt, a) => scan.marked(`connect to ${s}://«${u}:${p}»@${h}${pt}${a}`),
      ),
      { numRuns: 120 },
    );
  });

  it('look-alikes stay: a user and a port, a host and port before a full stop and a word, two @ and no :', () => {
    fc.assert(
      fc.property(scheme, chars(LOWER, 1, 8), host, chars(LOWER, 2, 8), (s, u, h, w) => {
        scan.kept(`open ${s}://${u}@${h}:8080/x. Next`);
        scan.kept(`open ${s}://${u}@${h}:22.`);
        scan.kept(`open ${s}://${u}@${w}@${h}/x`);
        scan.kept(`ssh://git@github.com:22/${u}/${w}.git`);
        scan.kept(`open ${s}://${h}:8080.${w} ok`);
      }),
      { numRuns: 60 },
    );
  });
});

describe('url-credentials with reserved characters through real SDK providers with the default policy', () => {
  const p = defaultPolicyPipelines();
  it('no password is exported in error.type or a log body', () => {
    fc.assert(
      fc.property(
        fc.oneof(marked, smb, smbBackslash),
        fc.constantFrom('error.type', 'log body') as fc.Arbitrary<'error.type'>,
        (m, field) => {
          const secret = /«([^»]*)»/.exec(m)![1]!; // the whole userinfo (a short password may be part of the host)
          const text = m.replace(/[«»]/g, '');
          for (const out of exportedThrough(p, field, text)) expect(out).not.toContain(secret);
        },
      ),
      { numRuns: 60 },
    );
  });
});
