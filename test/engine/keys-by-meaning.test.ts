import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DROPPED } from '../../engine/attribute-redactor';
import { AttributeRules, keyByMeaning } from '../../engine/attribute-rules';
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
  ])('%s → %s', (input, expected) => {
    expect(keyByMeaning(input)).toBe(expected);
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
