import { describe, expect, it } from 'vitest';
import { isIdentifierToken, isNumberedName, templateNameTokens } from '../../../engine/sanitizers/name-tokens';

// The rules of span-name identifier tokens (engine/sanitizers/name-tokens.ts; docs/policy.md "Span names"), one table
// per rule, each rule at its edges: what becomes `{id}` and the nearest word that stays. Every value is made up
// (`alice`, `jane-0001`, `*.example.test` hosts, documentation addresses).

/** Each `[name, exported name]` pair through `templateNameTokens`. */
function table(cases: readonly (readonly [string, string])[]): void {
  it.each(cases)('%s → %s', (input, expected) => {
    expect(templateNameTokens(input)).toBe(expected);
  });
}

describe('identifier shapes (`isIdentifierToken`)', () => {
  table([
    // integers of two digits or more, signed too
    ['GET 42', 'GET {id}'],
    ['GET +42', 'GET {id}'],
    ['GET -4711', 'GET {id}'],
    ['GET 4711 4712 done', 'GET {id} {id} done'],
    ['4711 GET', '{id} GET'],
    ['GET\t4711', 'GET\t{id}'],
    ['GET  4711', 'GET  {id}'],
    // a UUID, either case; a word around one is no UUID
    ['GET 123e4567-e89b-12d3-a456-426614174000', 'GET {id}'],
    ['GET 123E4567-E89B-12D3-A456-426614174000', 'GET {id}'],
    ['GET abcdefgh-ijkl-mnop-qrst-uvwxyzabcdef', 'GET abcdefgh-ijkl-mnop-qrst-uvwxyzabcdef'],
    // hex of 12 characters or more with a digit
    ['GET 8f3a9c2e71d0', 'GET {id}'],
    ['GET 8F3A9C2E71D0', 'GET {id}'],
    ['GET deadbeefcafe', 'GET deadbeefcafe'],
    ['GET 8f3a9c2e71d', 'GET 8f3a9c2e71d'],
    ['GET zz8f3a9c2e71d0', 'GET zz8f3a9c2e71d0'],
    ['GET 8f3a9c2e71d0zz', 'GET 8f3a9c2e71d0zz'],
    // 16 characters or more: a digit and both cases, or letters and four digits
    ['GET Zk3pQ9xT2mLw8RvB', 'GET {id}'],
    ['GET Zk3p-Q9xT2mLw8RvB', 'GET {id}'],
    ['GET Zk3pQ9xT2mLw8Rv', 'GET Zk3pQ9xT2mLw8Rv'],
    ['GET ZkapQbxTcmLwdRvB', 'GET ZkapQbxTcmLwdRvB'],
    ['GET ZK3PQ9XT2MLW8RVB', 'GET {id}'],
    ['GET k3j5h2g6f7d8s9a0', 'GET {id}'],
    ['GET kkkkkkkkkkkk1234', 'GET {id}'],
    ['GET kkkkkkkkkkkk0000', 'GET {id}'],
    ['GET kkkkkkkkkkkk9999', 'GET {id}'],
    ['GET kkkkkkkkkkkkk123', 'GET kkkkkkkkkkkkk123'],
    ['GET KKKKKKKKKKKKKKK1', 'GET KKKKKKKKKKKKKKK1'],
    ['GET k3j5-2g6f7d8s9a0', 'GET k3j5-2g6f7d8s9a0'],
    // the letters at the ends of the alphabet count as upper or lower case
    ['GET Akkkkkkkkkkkkkk1', 'GET {id}'],
    ['GET Zkkkkkkkkkkkkkk1', 'GET {id}'],
    ['GET aKKKKKKKKKKKKKK1', 'GET {id}'],
    ['GET zKKKKKKKKKKKKKK1', 'GET {id}'],
    // an `@` inside that is no e-mail address (an address is the detectors')
    ['GET alice@host', 'GET {id}'],
    ['GET (alice@host)', 'GET ({id})'],
    ['GET user:alice@host', 'GET {id}'],
    ['GET alice@example.test', 'GET alice@example.test'],
    ['GET alice@mail.example.test', 'GET alice@mail.example.test'],
    ['GET alice@example.test1', 'GET {id}'],
    ['GET @alice', 'GET @alice'],
  ]);

  it('reads a word by its shape alone', () => {
    expect(isIdentifierToken('42')).toBe(true);
    expect(isIdentifierToken('4')).toBe(false);
    expect(isIdentifierToken('')).toBe(false);
    expect(isIdentifierToken('123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(isIdentifierToken('x123e4567-e89b-12d3-a456-426614174000')).toBe(false);
    expect(isIdentifierToken('123e4567-e89b-12d3-a456-426614174000x')).toBe(false);
    expect(isIdentifierToken('abcdef123456')).toBe(true);
    expect(isIdentifierToken('abcdefabcdef')).toBe(false);
    expect(isIdentifierToken('k@')).toBe(true);
    expect(isIdentifierToken('a b@c.de')).toBe(true);
    expect(isIdentifierToken('jane.doe@example.test')).toBe(false);
    expect(isIdentifierToken('@alice')).toBe(false);
    // a character just outside the digits or letters is neither
    expect(isIdentifierToken('kkkkkkkkkkk/1234')).toBe(false);
    expect(isIdentifierToken('kkkkkkkkkkk:1234')).toBe(false);
    expect(isIdentifierToken('kkkkkkkkkkk@1234')).toBe(true); // the `@` rule
    expect(isIdentifierToken('kkkkkkkkkkk[1234')).toBe(false);
    expect(isIdentifierToken('kkkkkkkkkkk`1234')).toBe(false);
    expect(isIdentifierToken('kkkkkkkkkkk{1234')).toBe(false);
  });
});

describe('names with a number (`isNumberedName`)', () => {
  table([
    ['GET jane-0001', 'GET {id}'],
    ['GET cust_jane-0001', 'GET {id}'],
    ['GET INV-042', 'GET {id}'],
    ['GET jane0001', 'GET {id}'],
    ['GET jane_0123', 'GET {id}'],
    ['GET j-0001', 'GET {id}'],
    ['GET u-4711', 'GET {id}'],
    ['GET jane-0999', 'GET {id}'],
    ['GET jane-001', 'GET {id}'],
    ['GET jane000', 'GET {id}'],
    ['GET Jane-0001', 'GET {id}'],
    ['GET Zane-0001', 'GET {id}'],
    ['GET zane0001', 'GET {id}'],
    ['GET Aane0001', 'GET {id}'],
    // versions, algorithms and models stay: a digit inside the letters, three digits without a leading zero
    ['GET jane-999', 'GET jane-999'],
    ['GET jane9999', 'GET jane9999'],
    ['GET sha256', 'GET sha256'],
    ['GET aes-256', 'GET aes-256'],
    ['GET x509', 'GET x509'],
    ['GET python3', 'GET python3'],
    ['GET db01', 'GET db01'],
    ['GET a1b-0001', 'GET a1b-0001'],
    ['GET gpt-4o-2024-08-06', 'GET gpt-4o-2024-08-06'],
    ['GET claude-3-5-sonnet-20241022', 'GET claude-3-5-sonnet-20241022'],
  ]);

  it('reads letters, a separator after a letter, then the number', () => {
    for (const s of ['jane-0001', 'INV-042', 'jane0001', 'cust_jane-0001', 'a-0001', 'z_0001', 'A0001', 'Z-0001'])
      expect(isNumberedName(s)).toBe(true);
    for (const s of ['', '4711', '-1234', '+4711', '_jane-0001', 'jane--0001', 'jane-_0001', 'jane-0001x', 'jane-00a1'])
      expect(isNumberedName(s)).toBe(false);
    for (const s of [
      'a-4',
      'ab-1',
      'jane-00',
      'jane00',
      'jane 0001',
      'ja.ne-0001',
      '@-0001',
      '[-0001',
      '`-0001',
      '{-0001',
    ])
      expect(isNumberedName(s)).toBe(false);
  });
});

describe('`key:value` and `key=value` words', () => {
  table([
    // a key that means an identifier: any value
    ['GET user:alice', 'GET user:{id}'],
    ['GET user=alice', 'GET user={id}'],
    ['GET User-Name:alice', 'GET User-Name:{id}'],
    ['GET user_id:alice', 'GET user_id:{id}'],
    ['GET user.id:alice', 'GET user.id:{id}'],
    ['GET USER:alice', 'GET USER:{id}'],
    ['GET sid:a', 'GET sid:{id}'],
    ['GET token:abc', 'GET token:{id}'],
    ['GET email:alice', 'GET email:{id}'],
    ['GET mail:alice', 'GET mail:{id}'],
    ['GET phone:x', 'GET phone:{id}'],
    ['GET msisdn:x', 'GET msisdn:{id}'],
    ['GET device:a', 'GET device:{id}'],
    ['GET deviceid:a', 'GET deviceid:{id}'],
    ['GET visitor:a', 'GET visitor:{id}'],
    ['GET visitorid:a', 'GET visitorid:{id}'],
    // a key word is read whole: one with a letter more is another key
    ['GET sessionx:alice', 'GET sessionx:alice'],
    ['GET usersx:alice', 'GET usersx:alice'],
    // a plural names the same thing; a key of three letters or fewer is read as it is
    ['GET members:alice', 'GET members:{id}'],
    ['GET sids:alice', 'GET sids:{id}'],
    ['GET uids:alice', 'GET uids:{id}'],
    ['GET ids:alice', 'GET ids:alice'],
    // keys of more than 32 characters are no key words (the separators count)
    ['GET user____________________________:alice', 'GET user____________________________:{id}'],
    ['GET user_____________________________:alice', 'GET user_____________________________:alice'],
    // another key: a value with a number (three digits, or two not right after a letter)
    ['GET order:alice', 'GET order:alice'],
    ['GET order:INV-42', 'GET order:{id}'],
    ['GET order:ab-12', 'GET order:{id}'],
    ['GET order:12x', 'GET order:{id}'],
    ['GET order:42ab', 'GET order:{id}'],
    ['GET order:a4b5c6', 'GET order:{id}'],
    ['GET order:jane-0001', 'GET order:{id}'],
    ['GET order:u-4711:items', 'GET order:{id}:items'],
    ['GET order:INV-42:x', 'GET order:{id}:x'],
    ['GET :4711', 'GET :{id}'],
    ['GET =4711', 'GET ={id}'],
    ['GET order:v10', 'GET order:v10'],
    ['GET order:v10:x', 'GET order:v10:x'],
    ['GET order:db01', 'GET order:db01'],
    ['GET order:x12', 'GET order:x12'],
    ['GET order:A42', 'GET order:A42'],
    ['GET order:a-4', 'GET order:a-4'],
    ['GET order:a-4-2', 'GET order:a-4-2'],
    ['GET order:4-2', 'GET order:4-2'],
    ['GET INV-42:x', 'GET INV-42:x'],
    ['GET a:b', 'GET a:b'],
    ['GET a=b', 'GET a=b'],
    ['GET k=v=w', 'GET k=v=w'],
    ['GET x:y=z', 'GET x:y=z'],
    ['GET a:', 'GET a:'],
    // a part that is an identifier by shape, or a host name with an identifier label
    ['GET 8f3a9c2e71d04b5a:x', 'GET {id}:x'],
    ['GET {4711}:x', 'GET {id}:x'],
    ['GET x:{8f3a9c2e71d04b5a}', 'GET x:{id}'],
    ['GET x:alice-1234.example.test', 'GET x:{id}'],
    ['GET x:alice.users.example.test', 'GET x:{id}'],
    ['GET x:api.example.test', 'GET x:api.example.test'],
    // braces around a value are read inside; templates and patterns stay
    ['GET user:{4711}', 'GET user:{id}'],
    ['GET user:{a', 'GET user:{id}'],
    ['GET user:a}', 'GET user:{id}'],
    ['GET user:{}', 'GET user:{id}'],
    ['GET order:42}', 'GET order:{id}'],
    ['GET order:{42', 'GET order:{id}'],
    ['GET user:*alice', 'GET user:{id}'],
    ['GET user:alice*', 'GET user:{id}'],
    ['GET user:{alice}', 'GET user:{alice}'],
    ['GET user:*', 'GET user:*'],
    ['GET user:[*]', 'GET user:[*]'],
    ['GET user::id', 'GET user::id'],
    ['GET user::x', 'GET user::x'],
    ['GET :k1:abc', 'GET :k1:abc'],
  ]);
});

describe('URNs', () => {
  table([
    ['GET urn:user:4711', 'GET urn:user:{id}'],
    ['GET URN:isbn:123', 'GET URN:isbn:{id}'],
    ['GET urn=user:4711', 'GET urn=user:{id}'],
    ['GET urn=isbn:abc', 'GET urn=isbn:{id}'],
    ['GET urn:a:b:c', 'GET urn:a:{id}'],
    ['GET urn:user:', 'GET urn:user:'],
    ['GET urn:user', 'GET urn:user'],
    ['GET urnx:a:b', 'GET urnx:a:b'],
  ]);
});

describe('`host:port` words', () => {
  table([
    ['GET redis.internal:6379', 'GET redis.internal:6379'],
    ['GET localhost:5432', 'GET localhost:5432'],
    ['GET localhost:65535', 'GET localhost:65535'],
    ['GET 10.0.0.5:6379', 'GET 10.0.0.5:6379'],
    ['GET v1.2.3:80', 'GET v1.2.3:80'],
    ['GET alice-1234.db.example.test:5432', 'GET {id}.db.example.test:5432'],
    ['GET alice.users.example.test:443', 'GET {id}.users.example.test:443'],
    // no port: a number after a key
    ['GET localhost:65536', 'GET localhost:{id}'],
    ['GET localhost:123456', 'GET localhost:{id}'],
    ['GET localhostx:5432', 'GET localhostx:{id}'],
    ['GET cache:6379', 'GET cache:{id}'],
    ['GET host:99999', 'GET host:{id}'],
    ['GET alice-1234:5432', 'GET alice-1234:{id}'],
    ['GET user:4711:6379', 'GET user:{id}:{id}'],
    ['GET localhost:80:x', 'GET localhost:{id}:x'],
    ['GET localhost:0x50', 'GET localhost:{id}'],
    ['GET redis.internal=80', 'GET redis.internal={id}'],
  ]);
});

describe('times of day and the detectors’ masks stay', () => {
  table([
    ['GET 10:30', 'GET 10:30'],
    ['GET 1:30', 'GET 1:30'],
    ['GET 9:05', 'GET 9:05'],
    ['GET 09:05', 'GET 09:05'],
    ['GET 19:05', 'GET 19:05'],
    ['GET 20:05', 'GET 20:05'],
    ['GET 23:05', 'GET 23:05'],
    ['GET 23:59:59', 'GET 23:59:59'],
    ['GET 23:59:59.123', 'GET 23:59:59.123'],
    ['GET 24:00', 'GET {id}:{id}'],
    ['GET 10:60', 'GET {id}:{id}'],
    ['GET 10:30:60', 'GET {id}:{id}:{id}'],
    ['GET 010:30', 'GET {id}:{id}'],
    ['GET 10:30x', 'GET {id}:{id}'],
    ['GET [REDACTED:email]', 'GET [REDACTED:email]'],
    ['GET authorization=[REDACTED:bearer-token]', 'GET authorization=[REDACTED:bearer-token]'],
  ]);
});

describe("the policy's own pseudonyms and tokens (`<key id>:…`)", () => {
  it.each([
    ['GET k1:AbCdEfGhIjKlMnOpQr12_-', 'GET k1:AbCdEfGhIjKlMnOpQr12_-'],
    ['GET k2:AbCdEfGhIjKlMnOpQr12_-', 'GET k2:{id}'],
    ['GET k1:abc:Zk3pQ9xT2mLw8RvB', 'GET k1:abc:{id}'],
    ['GET k1=AbCdEfGhIjKlMnOpQr12_-', 'GET k1={id}'],
    ['GET users.k1:Zk3pQ9xT2mLw8RvB', 'GET users.k1:{id}'],
  ])('%s → %s', (input, expected) => {
    expect(templateNameTokens(input, new Set(['k1']))).toBe(expected);
  });
});

describe('host names, also in URLs', () => {
  table([
    ['GET alice-1234.users.example.test', 'GET {id}.users.example.test'],
    ['GET alice.users.example.test', 'GET {id}.users.example.test'],
    ['GET a.b.users.example.test', 'GET a.{id}.users.example.test'],
    ['GET alice.members.example.test', 'GET {id}.members.example.test'],
    ['GET alice.sessions.example.test', 'GET {id}.sessions.example.test'],
    ['GET alice.uids.example.test', 'GET {id}.uids.example.test'],
    ['GET db001.example.test', 'GET {id}.example.test'],
    ['GET host_1234.example.test', 'GET {id}.example.test'],
    ['GET alice-1234.example', 'GET {id}.example'],
    ['GET 8f3a9c2e71d04b5a.example.test', 'GET {id}.example.test'],
    ['GET alice.users.example', 'GET alice.users.example'],
    ['GET alice.orders.example.test', 'GET alice.orders.example.test'],
    ['GET abc.ids.example.test', 'GET abc.ids.example.test'],
    ['GET db01.example.test', 'GET db01.example.test'],
    ['GET {id}.users.example.test', 'GET {id}.users.example.test'],
    ['GET 10.0.0.5', 'GET 10.0.0.5'],
    ['GET v1.2.3', 'GET v1.2.3'],
    ['GET 1.10.2', 'GET 1.10.2'],
    ['GET https://192.0.2.10/x', 'GET https://192.0.2.10/x'],
    ['GET https://192.0.2.10/users/alice', 'GET https://192.0.2.10/users/{id}'],
    // an address or version only when the whole host is one
    ['GET https://alice-1234.1.2/x', 'GET https://{id}.1.2/x'],
    ['GET https://1.2.alice-1234/x', 'GET https://1.2.{id}/x'],
    ['GET https://alice-1234.example.test', 'GET https://{id}.example.test'],
    ['GET https://alice-1234.example.test:8443/x', 'GET https://{id}.example.test:8443/x'],
    ['GET https://bob@alice-1234.example.test/x', 'GET https://bob@{id}.example.test/x'],
    ['GET https://u@alice-1234.example.test/x', 'GET https://u@{id}.example.test/x'],
    ['GET https://bob:pw@alice-1234.example.test:80/users/alice', 'GET https://bob:pw@{id}.example.test:80/users/{id}'],
    ['GET https://alice-1234.example.test:8443/users/alice?x#y', 'GET https://{id}.example.test:8443/users/{id}?x#y'],
    ['GET http://alice-1234.example.test?x=1', 'GET http://{id}.example.test?x=1'],
    ['GET http://alice-1234.example.test#frag', 'GET http://{id}.example.test#frag'],
    ['GET https://alice-1234.example.test\\x', 'GET https://{id}.example.test\\x'],
    ['GET https://alice-1234.example.test:/x', 'GET https://{id}.example.test:/x'],
    ['GET //alice-1234.example.test/x', 'GET //{id}.example.test/x'],
    ['GET ftp://alice-1234.example.test/x', 'GET ftp://{id}.example.test/x'],
    ['GET a+b.c-d://alice-1234.example.test/x', 'GET a+b.c-d://{id}.example.test/x'],
    ['GET https://alice.users.example.test/x', 'GET https://{id}.users.example.test/x'],
    ['GET https://api.example.test:8443', 'GET https://api.example.test:8443'],
    ['GET https://[2001:db8::1]:8443/users/alice', 'GET https://[2001:db8::1]:8443/users/{id}'],
    ['GET https://[::1]/users/alice', 'GET https://[::1]/users/{id}'],
    ['GET https://10.0.0.5/users/alice', 'GET https://10.0.0.5/users/{id}'],
    ['GET https://api.example.test/users/alice', 'GET https://api.example.test/users/{id}'],
    ['GET https:///users/alice', 'GET https:///users/{id}'],
  ]);
});

describe('RPC names (`package.Service/Method`)', () => {
  table([
    ['GET users.u4711.Profile/Get', 'GET users.{id}.Profile/Get'],
    ['GET pkg.Svc123/Get', 'GET pkg.{id}/Get'],
    ['GET pkg.Svc/Get123', 'GET pkg.Svc/{id}'],
    ['GET pkg.svc_4711/Get', 'GET pkg.{id}/Get'],
    ['GET grpc.health.v1.Health/Check', 'GET grpc.health.v1.Health/Check'],
    ['GET pkg.Svc12/Get', 'GET pkg.Svc12/Get'],
    ['GET users.alice.Svc/Get', 'GET users.alice.Svc/Get'],
    ['GET pkg.Svc/Get.x', 'GET pkg.Svc/Get.x'],
    ['GET a.b/c/d', 'GET a.b/c/d'],
    // a path after an RPC-like start is read as a path
    ['grpc pkg.Svc/Get/users/alice', 'grpc pkg.Svc/Get/users/{id}'],
  ]);
});

describe('path segments after a people segment', () => {
  table([
    ['GET /users/alice', 'GET /users/{id}'],
    ['GET /users/alice/orders', 'GET /users/{id}/orders'],
    ['GET /users/alice//x', 'GET /users/{id}//x'],
    ['GET users/alice', 'GET users/{id}'],
    ['GET /Users/alice', 'GET /Users/{id}'],
    ['GET /USERS/alice', 'GET /USERS/{id}'],
    ['GET /user/alice', 'GET /user/{id}'],
    ['GET /people/alice', 'GET /people/{id}'],
    ['GET /persons/alice', 'GET /persons/{id}'],
    ['GET /profiles/alice', 'GET /profiles/{id}'],
    ['GET /subscribers/alice', 'GET /subscribers/{id}'],
    ['GET /customers/jane.doe/orders', 'GET /customers/{id}/orders'],
    ['GET /users/jane.doe', 'GET /users/{id}'],
    ['GET /users/a.b', 'GET /users/{id}'],
    ['GET /users/alice smith', 'GET /users/{id} smith'],
    ['GET /subscribersx/alice', 'GET /subscribersx/alice'],
    ['GET /use/alice', 'GET /use/alice'],
    // before a query or a fragment, not inside one
    ['GET /users/alice?x=1', 'GET /users/{id}?x=1'],
    ['GET /users/alice#top', 'GET /users/{id}#top'],
    ['GET /users/alice?a=b#c', 'GET /users/{id}?a=b#c'],
    ['GET /users/alice#f?g', 'GET /users/{id}#f?g'],
    ['GET /a/b?x=/users/alice', 'GET /a/b?x=/users/alice'],
    ['GET /a/b#x/users/alice', 'GET /a/b#x/users/alice'],
    ['GET jane-0001?q=a\\b', 'GET {id}?q=a\\b'],
    // the words of people's routes, joined by `-`, `_`, `.` or camelCase, plural, any case of the first letter
    ['GET /users/me', 'GET /users/me'],
    ['GET /users/Me', 'GET /users/Me'],
    ['GET /users/current', 'GET /users/current'],
    ['GET /users/admin', 'GET /users/admin'],
    ['GET /users/by-email', 'GET /users/by-email'],
    ['GET /users/by-Email', 'GET /users/by-Email'],
    ['GET /users/byEmail', 'GET /users/byEmail'],
    ['GET /users/meEmail', 'GET /users/meEmail'],
    ['GET /users/by_email', 'GET /users/by_email'],
    ['GET /users/count.json', 'GET /users/count.json'],
    ['GET /users/export.csv', 'GET /users/export.csv'],
    ['GET /users/sign_in', 'GET /users/sign_in'],
    ['GET /users/signIn', 'GET /users/signIn'],
    ['GET /users/passwordReset', 'GET /users/passwordReset'],
    ['GET /users/_search', 'GET /users/_search'],
    ['GET /users/search_', 'GET /users/search_'],
    ['GET /users/settings', 'GET /users/settings'],
    ['GET /users/SETTINGS', 'GET /users/SETTINGS'],
    ['GET /users/addresses', 'GET /users/addresses'],
    ['GET /users/aliases', 'GET /users/aliases'],
    ['GET /users/ides', 'GET /users/ides'],
    ['GET /users/bys', 'GET /users/bys'],
    ['GET /users/ids', 'GET /users/ids'],
    ['GET /users/retention', 'GET /users/retention'],
    ['GET /users/Retention', 'GET /users/Retention'],
    ['GET /users/retentions', 'GET /users/retentions'],
    ['GET /users/payable', 'GET /users/payable'],
    ['GET /users/membership', 'GET /users/membership'],
    // a word of each part of the list
    ['GET /users/verify', 'GET /users/verify'],
    ['GET /users/refresh', 'GET /users/refresh'],
    ['GET /users/followers', 'GET /users/followers'],
    ['GET /users/recent', 'GET /users/recent'],
    ['GET /users/public', 'GET /users/public'],
    ['GET /users/download', 'GET /users/download'],
    ['GET /users/consent', 'GET /users/consent'],
    ['GET /users/scope', 'GET /users/scope'],
    ['GET /users/cancel', 'GET /users/cancel'],
    ['GET /users/comments', 'GET /users/comments'],
    ['GET /users/playlists', 'GET /users/playlists'],
    ['GET /users/calendar', 'GET /users/calendar'],
    ['GET /users/locale', 'GET /users/locale'],
    ['GET /users/internal', 'GET /users/internal'],
    ['GET /users/v2', 'GET /users/v2'],
    ['GET /users/{id}', 'GET /users/{id}'],
    ['GET /users/{userId}', 'GET /users/{userId}'],
    ['GET /users/:id', 'GET /users/:id'],
    ['GET /users/:userId', 'GET /users/:userId'],
    ['GET /users/v10', 'GET /users/v10'],
    ['GET /users/*', 'GET /users/*'],
    ['GET /users/', 'GET /users/'],
    ['GET /users//orders', 'GET /users//orders'],
    // any other segment is a value: short endings, given names, a version in upper case, a word and a number
    ['GET /users/nation', 'GET /users/{id}'],
    ['GET /users/tables', 'GET /users/{id}'],
    ['GET /users/florence', 'GET /users/{id}'],
    ['GET /users/alfred', 'GET /users/{id}'],
    ['GET /users/mE', 'GET /users/{id}'],
    ['GET /users/aliceEmail', 'GET /users/{id}'],
    ['GET /users/emailAlice', 'GET /users/{id}'],
    ['GET /users/idses', 'GET /users/{id}'],
    ['GET /users/ss', 'GET /users/{id}'],
    ['GET /users/es', 'GET /users/{id}'],
    ['GET /users/s', 'GET /users/{id}'],
    ['GET /users/V2', 'GET /users/{id}'],
    ['GET /users/v1234', 'GET /users/{id}'],
    ['GET /users/me2', 'GET /users/{id}'],
    ['GET /users/dev2', 'GET /users/{id}'],
    ['GET /users/4retention', 'GET /users/{id}'],
    ['GET /users/sessionsx', 'GET /users/{id}'],
    // a route word with a letter more or less is a name (`edit`, `me`)
    ['GET /users/edith', 'GET /users/{id}'],
    ['GET /users/meas', 'GET /users/{id}'],
  ]);
});

describe('segments after another key word, and dotted names', () => {
  table([
    ['GET /session/zqaAA', 'GET /session/{id}'],
    ['GET /session/Alice', 'GET /session/{id}'],
    ['GET /session/aaAa', 'GET /session/aaAa'],
    ['GET /sessions/abc', 'GET /sessions/abc'],
    ['GET /sessions/current', 'GET /sessions/current'],
    ['GET /token/a', 'GET /token/{id}'],
    ['GET /id/x1', 'GET /id/{id}'],
    ['GET /id/a', 'GET /id/a'],
    ['GET /id/ab', 'GET /id/ab'],
    ['GET /id/v2', 'GET /id/v2'],
    ['GET /id/v10', 'GET /id/v10'],
    ['GET /id/', 'GET /id/'],
    ['GET /order/alice', 'GET /order/alice'],
    ['GET /orders/jane-0001', 'GET /orders/{id}'],
    ['GET /orders/INV-042/items', 'GET /orders/{id}/items'],
    ['GET a/jane-0001', 'GET a/{id}'],
    ['GET users.jane-0001', 'GET users.{id}'],
    ['GET users.jane-0001.profile', 'GET users.{id}.profile'],
    ['GET orders.jane-0001', 'GET orders.{id}'],
    ['GET u.jane-0001', 'GET u.{id}'],
    ['GET shop.users.JaneDoe', 'GET shop.users.{id}'],
    ['GET session.Abc', 'GET session.{id}'],
    ['GET session.byEmailX', 'GET session.{id}'],
    ['GET session.abv2', 'GET session.{id}'],
    ['GET session.v2x', 'GET session.{id}'],
    ['GET id.x1', 'GET id.{id}'],
    ['GET id.:id', 'GET id.:{id}'],
    ['GET users.current', 'GET users.current'],
    ['GET users.v2', 'GET users.v2'],
    ['GET users.{id}', 'GET users.{id}'],
    ['GET session.abc', 'GET session.abc'],
    ['GET /session/by-email', 'GET /session/by-email'],
    ['GET session.sign_in', 'GET session.sign_in'],
    ['GET session.byEmail', 'GET session.byEmail'],
    ['GET session.byEmailAddress', 'GET session.byEmailAddress'],
    ['GET id.ab', 'GET id.ab'],
    ['GET id.me', 'GET id.me'],
    ['GET id.a', 'GET id.a'],
    ['GET id.v2', 'GET id.v2'],
    ['GET id.*', 'GET id.*'],
    ['GET send shop.users.created', 'GET send shop.users.created'],
  ]);
});

describe('punctuation around a word, and words too short to read', () => {
  table([
    ['GET jane-0001.', 'GET {id}.'],
    ['GET (jane-0001)', 'GET ({id})'],
    ['GET "jane-0001",', 'GET "{id}",'],
    ["GET 'jane-0001';", "GET '{id}';"],
    ['GET <jane-0001>', 'GET <{id}>'],
    ['GET [jane-0001]', 'GET [{id}]'],
    ['GET jane-0001!', 'GET {id}!'],
    ['GET jane-0001?', 'GET {id}?'],
    ['GET jane-0001:', 'GET {id}:'],
    ['GET ((4711))..', 'GET (({id}))..'],
    ['GET (12)', 'GET ({id})'],
    ['GET 12)', 'GET {id})'],
    ['GET (1)', 'GET (1)'],
    ['GET (a)', 'GET (a)'],
    ['GET .', 'GET .'],
    ['GET noop', 'GET noop'],
    ['', ''],
  ]);
});

describe('input that is no string', () => {
  it('is returned as it is, without throwing', () => {
    expect(templateNameTokens(undefined as unknown as string)).toBe(undefined);
    expect(templateNameTokens(null as unknown as string)).toBe(null);
    expect(templateNameTokens(4711 as unknown as string)).toBe(4711);
  });
});
