import { describe, expect, it } from 'vitest';
import { sanitizeSpanName } from '../../../engine/sanitizers/span-name';
import { createUrlSanitizer } from '../../../engine/sanitizers/url-sanitizer';

describe('sanitizeSpanName', () => {
  it.each([
    ['GET /users/4711/orders', 'GET /users/{id}/orders'],
    ['POST /api/v1/carts/123e4567-e89b-12d3-a456-426614174000/items', 'POST /api/v1/carts/{id}/items'],
    ['GET https://u:p@example.com/x/42?sig=abc&y=1', 'GET https://example.com/x/{id}?sig=REDACTED&y=REDACTED'],
    ["SELECT * FROM t WHERE email='a@b.c'", 'SELECT * FROM t WHERE email=?'],
    ['select id from users where id = 42', 'select id from users where id = ?'],
    ['/items/99', '/items/{id}'],
    ['/items/99 handler', '/items/{id} handler'],
    ['GET /users/:id', 'GET /users/:id'],
    ['HTTP GET', 'HTTP GET'],
    ['orders.process', 'orders.process'],
    // paths and URLs anywhere in the name
    ['fetch /users/4711/orders', 'fetch /users/{id}/orders'],
    ['HTTP GET https://api.example/users/4711?email=a', 'HTTP GET https://api.example/users/{id}?email=REDACTED'],
    ['grpc users/4711/orders done', 'grpc users/{id}/orders done'],
    ['GET users/4711', 'GET users/{id}'],
    ['GET /cb?token=Bearer 2YotnFZFEjr1zCsicMWpAA', 'GET /cb?token=REDACTED 2YotnFZFEjr1zCsicMWpAA'],
    ['a/b and c', 'a/b and c'],
    // the Collector's edge cases
    ['GET /page/123#section', 'GET /page/{id}#REDACTED'],
    ['/v1/api\\path/123', '/v1/{id}/{id}'],
    ['/users/测试/profile', '/users/{id}/profile'],
    ['payments-dev-sql-adapter-queue /api/process/123', 'payments-dev-sql-adapter-queue /api/process/{id}'],
    // queries and punctuation anywhere in the name
    ['lookup ?id=4711 done', 'lookup ?id=REDACTED done'],
    ['fetch (/users/4711).', 'fetch (/users/{id}).'],
    ['GET /a/1 then /b/2', 'GET /a/{id} then /b/{id}'],
    ['okey-dokey-0', 'okey-dokey-0'],
    ['GET', 'GET'],
    ['', ''],
    ['grpc.health.v1.Health/Check', 'grpc.health.v1.Health/Check'],
    ['SELECT * FROM `jane@example.test`', 'SELECT * FROM ?'],
    ['SELECT * FROM `orders_2024`', 'SELECT * FROM `orders_2024`'],
    ['SELECT tags[1] FROM t', 'SELECT tags[?] FROM t'],
  ])('%s', (input, expected) => {
    expect(sanitizeSpanName(input)).toBe(expected);
  });

  it('uses the given URL sanitizer', () => {
    expect(sanitizeSpanName('GET /a?token=x', createUrlSanitizer({ sensitiveParams: ['token'] }))).toBe(
      'GET /a?token=REDACTED',
    );
  });
});
