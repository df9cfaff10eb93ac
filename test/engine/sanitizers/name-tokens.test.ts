import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { templateNameTokens } from '../../../engine/sanitizers/name-tokens';

describe('templateNameTokens', () => {
  it.each([
    ['GET user:8f3a9c2e71d04b5a', 'GET user:{id}'],
    ['GET users/by-name/zqjane', 'GET users/by-name/{id}'],
    ['GET users/name/zqjane', 'GET users/name/{id}'],
    ['fetch staff/zqjane', 'fetch staff/{id}'],
    ['GET users/name/verify', 'GET users/name/verify'],
    ['HGETALL session:Zk3pQ9xT2mLw8RvB', 'HGETALL session:{id}'],
    ['GET urn:user:4711', 'GET urn:user:{id}'],
    ['GET /users/ alice@example.test', 'GET /users/ alice@example.test'],
    ['GET /users/ alice@host', 'GET /users/ {id}'],
    ['lookup id=4711', 'lookup id={id}'],
    ['GET user:{4711}', 'GET user:{id}'],
    ['KEYS user:*', 'KEYS user:*'],
    ['GET user:{id}', 'GET user:{id}'],
    ['GET redis.internal:6379', 'GET redis.internal:6379'],
    ['connect alice-1234.db.example.test:5432', 'connect {id}.db.example.test:5432'],
    ['users.u4711.Profile/Get', 'users.{id}.Profile/Get'],
    ['chat gpt-4o-2024-08-06', 'chat gpt-4o-2024-08-06'],
    ['worker 10.0.0.5', 'worker 10.0.0.5'],
    ['GET /cb?token=REDACTED 2YotnFZFEjr1zCsicMWpAA', 'GET /cb?token=REDACTED {id}'],
    [
      'charge card [REDACTED:payment-card] for [REDACTED:email]',
      'charge card [REDACTED:payment-card] for [REDACTED:email]',
    ],
    ['GET https://alice-1234.users.example.test/x', 'GET https://{id}.users.example.test/x'],
  ])('%s', (input, expected) => {
    expect(templateNameTokens(input)).toBe(expected);
  });

  it("leaves the policy's pseudonyms and tokens (`<key id>:…`)", () => {
    expect(templateNameTokens('GET k1:AbCdEfGhIjKlMnOpQr12_-', new Set(['k1']))).toBe('GET k1:AbCdEfGhIjKlMnOpQr12_-');
    expect(templateNameTokens('GET k1:AbCdEfGhIjKlMnOpQr12_-')).toBe('GET k1:{id}');
  });

  it('the segment after a people word is templated whole, at the end of the word or before its query or fragment', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', 'https://api.example.test', 'http://shop.example.test:8080', '/v2'),
        fc.constantFrom('users', 'customers', 'accounts', 'members'),
        fc.oneof(fc.stringMatching(/^[a-z]{3,8}[.-][a-z0-9]{2,6}$/), fc.stringMatching(/^[0-9]{2,9}$/)),
        fc.constantFrom('', '?page=first', '#top', '?a=b#c', '#f?g', '/orders'),
        (origin, people, person, rest) => {
          expect(templateNameTokens(`GET ${origin}/${people}/${person}${rest}`)).toBe(
            `GET ${origin}/${people}/{id}${rest}`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
