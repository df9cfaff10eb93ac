import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DROPPED } from '../../engine/attribute-redactor';
import { AttributeRules, keyByMeaning } from '../../engine/attribute-rules';
import { KeyMeaningPatterns, foldKeyText, keyWords } from '../../engine/key-meaning';
import { defaultPolicy, definePolicy } from '../../policy/load-policy';

const KEY = 'fake-hmac-key-for-key-meaning-tests-0123456789';
beforeEach(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = KEY;
});
afterEach(() => {
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

describe('keyByMeaning', () => {
  it.each([
    ['password', 'password'],
    ['Password', 'password'],
    ['dbPassword', 'dbpassword'],
    ['db_password', 'dbpassword'],
    ['db-password', 'dbpassword'],
    ['*api_key*', '*apikey*'],
    ['x.[a-z]_b', 'x.[a-z]b'],
    // look-alike letters, compatibility forms, invisible characters and blanks
    ['db_p\u0430ssword', 'dbpassword'],
    ['t\u03bfken', 'token'],
    ['\uff50\uff41\uff53\uff53', 'pass'],
    ['pass\u200bword', 'password'],
    ['pass\u00adword', 'password'],
    ['pass word', 'password'],
    ['S\u0415CRET', 'secret'],
  ])('%s → %s', (input, expected) => {
    expect(keyByMeaning(input)).toBe(expected);
  });
});

describe('foldKeyText and keyWords', () => {
  it('returns printable ASCII as is', () => {
    const key = 'app.db_Password-2';
    expect(foldKeyText(key)).toBe(key);
  });

  it.each([
    ['app.userPIN_code2', '.app.user.pin.code.2.'],
    ['pinCode', '.pin.code.'],
    ['PINCode', '.pin.code.'],
    ['app.JSESSIONID', '.app.jsessionid.'],
    ['app.pin', '.app.pin.'],
    ['app.spinner', '.app.spinner.'],
    ['app.user-p\u0456n', '.app.user.pin.'],
    ['app.\uff30\uff29\uff2e', '.app.pin.'],
    ['app.cvv2', '.app.cvv.2.'],
  ])('%s → %s', (key, words) => {
    expect(keyWords(key)).toBe(words);
  });
});

describe('KeyMeaningPatterns', () => {
  const p = new KeyMeaningPatterns(['*password*', '*api_key*', '*session_id', '*.pin.*', 'user.email']);

  it.each([
    ['app.pass.word', '*password*'],
    ['app.Pass.Word', '*password*'],
    ['app.api.key', '*api_key*'],
    ['app.API.Key', '*api_key*'],
    ['app.p\u0430ssword', '*password*'],
    ['app.session_id', '*session_id'],
    ['app.sessionId', '*session_id'],
    ['app.pin', '*.pin.*'],
    ['pin', '*.pin.*'],
    ['app.user_pin', '*.pin.*'],
    ['app.userPin', '*.pin.*'],
    ['app.PIN_CODE', '*.pin.*'],
    ['app.pin.hint', '*.pin.*'],
    ['user.Email', 'user.email'],
  ])('%s matches %s', (key, pattern) => {
    expect(p.match(key)).toBe(pattern);
  });

  // `session.id` is the conventions' session key (hashed by the default policy): `*session_id` does not cross a dot.
  it.each([
    'app.ping',
    'app.spinner',
    'app.pinned',
    'app.api.version',
    'session.id',
    'app.session.count',
    'user.emails',
  ])('%s matches none', (key) => {
    expect(p.match(key)).toBeUndefined();
  });
});

describe('drop patterns match under any case and naming style', () => {
  const rules = () =>
    new AttributeRules(
      {
        allow: ['server.*', 'code.*', 'app.*'],
        hash: [],
        encrypt: [],
        drop: ['*password*', '*api_key*'],
        generalize: {},
        default: 'drop',
      },
      'test',
    );

  it.each([
    'server.Password',
    'server.PASSWORD',
    'code.dbPassword',
    'app.db_password',
    'app.db-password',
    'app.apiKey',
    'app.API-KEY',
    'app.x-api-key',
  ])('%s is dropped, naming the pattern as written', (key) => {
    const d = rules().decide(key);
    expect(d.action).toBe('drop');
    expect(d.rule).toMatch(/^drop "\*(password|api_key)\*"$/);
  });

  it('keeps keys that do not name a dropped word', () => {
    expect(rules().decide('server.address').action).toBe('allow');
    expect(rules().decide('app.passage').action).toBe('allow');
  });

  it('decides each key once (cached)', () => {
    const r = rules();
    expect(r.decide('server.Password')).toBe(r.decide('server.Password'));
  });
});

describe('the default policy', () => {
  const s = () => defaultPolicy().sanitizer('traces');

  it('drops credentials under any style, gRPC metadata like headers, code.stacktrace like exception.stacktrace', () => {
    for (const key of [
      'server.Password',
      'code.dbPassword',
      'rpc.request.metadata.x-api-key',
      'rpc.request.metadata.authorization',
      'rpc.response.metadata.set-cookie',
      'code.stacktrace',
      'exception.stacktrace',
      'rpc.Authorization',
    ])
      expect(s().sanitizeValue(key, 'x'), key).toBe(DROPPED);
    expect(s().sanitizeValue('rpc.method', 'GetUser')).toBe('GetUser');
  });

  it('gives url.path and http.target the id rules', () => {
    expect(s().sanitizeValue('url.path', '/users/4711/orders')).toBe('/users/{id}/orders');
    expect(s().sanitizeValue('http.target', '/users/4711?accessToken=abc&firstName=Jane')).toBe(
      '/users/{id}?accessToken=REDACTED&firstName=REDACTED',
    );
    expect(s().sanitizeValue('url.full', 'https://app.example/#/cb?access_token=abc')).toBe(
      'https://app.example/#/cb?access_token=REDACTED',
    );
  });

  it('masks a token in a span name whose URL rewrite broke its context', () => {
    expect(defaultPolicy().redactSpanName('GET /cb?token=Bearer mF_9.B5f-4.1JqM')).toBe(
      'GET /cb?token=REDACTED [REDACTED:bearer-token]',
    );
    expect(defaultPolicy().redactSpanName('GET /cb?token=Bearer 2YotnFZFEjr1zCsicMWpAA')).toBe(
      'GET /cb?token=REDACTED [REDACTED:bearer-token]',
    );
    expect(defaultPolicy().redactSpanName('fetch /users/4711/orders')).toBe('fetch /users/{id}/orders');
  });

  it('keeps only the listed parameters with sanitizers.url.params.keep', () => {
    const p = definePolicy({
      version: 1,
      attributes: { allow: ['url.full'], default: 'drop' },
      sanitizers: { url: { attributes: ['url.full'], params: { keep: ['page', 'sortOrder'] } } },
    });
    expect(p.sanitizer('traces').sanitizeValue('url.full', '/s?q=jane&page=2&sort_order=asc&token=x')).toBe(
      '/s?q=REDACTED&page=2&sort_order=asc&token=REDACTED',
    );
  });
});
