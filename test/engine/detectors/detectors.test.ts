import { describe, expect, it } from 'vitest';
import { ibanChecksumValid, ibanDetector } from '../../../engine/detectors/iban';
import { luhnValid, validCardPrefix } from '../../../engine/detectors/payment-card';
import { builtInDetectors } from '../../../engine/detectors/registry';
import type { Finding } from '../../../engine/detectors/types';
import { validSsn } from '../../../engine/detectors/us-ssn';
import type { DetectorName } from '../../../policy/schema';

/** The matched substrings of one detector. */
function matches(name: DetectorName, text: string): string[] {
  const d = builtInDetectors[name];
  const out: Finding[] = [];
  if (d.mayMatch(text)) d.find(text, out);
  return out.map((f) => text.slice(f.start, f.end));
}

describe('check digits and number rules', () => {
  it('luhn', () => {
    expect(luhnValid('4111111111111111', 0, 16)).toBe(true);
    expect(luhnValid('4111 1111 1111 1111', 0, 19)).toBe(true);
    expect(luhnValid('4111111111111112', 0, 16)).toBe(false);
    expect(luhnValid('378282246310005', 0, 15)).toBe(true);
  });

  it('card prefixes and lengths', () => {
    expect(validCardPrefix(411111, 16)).toBe(true);
    expect(validCardPrefix(411111, 15)).toBe(false);
    expect(validCardPrefix(378282, 15)).toBe(true);
    expect(validCardPrefix(378282, 16)).toBe(false);
    expect(validCardPrefix(222300, 16)).toBe(true);
    expect(validCardPrefix(123456, 16)).toBe(false);
    expect(validCardPrefix(999999, 16)).toBe(false);
  });

  it('iban mod-97', () => {
    const codes = (s: string) => [...s].map((c) => c.charCodeAt(0));
    expect(ibanChecksumValid(codes('GB82WEST12345698765432'))).toBe(true);
    expect(ibanChecksumValid(codes('GB83WEST12345698765432'))).toBe(false);
    expect(ibanChecksumValid(codes('gb82west12345698765432'))).toBe(true);
  });

  it('ssn area/group/serial', () => {
    expect(validSsn(123, 45, 6789)).toBe(true);
    expect(validSsn(0, 45, 6789)).toBe(false);
    expect(validSsn(666, 45, 6789)).toBe(false);
    expect(validSsn(900, 45, 6789)).toBe(false);
    expect(validSsn(123, 0, 6789)).toBe(false);
    expect(validSsn(123, 45, 0)).toBe(false);
    expect(validSsn(78, 5, 1120)).toBe(false);
  });
});

describe('match boundaries', () => {
  it.each<[DetectorName, string, string[]]>([
    ['email', 'mail jane.doe@example.com.', ['jane.doe@example.com']],
    ['email', 'a@example.com,b@example.org', ['a@example.com', 'b@example.org']],
    ['email', '?email=jane%40example.com&x=1', ['jane%40example.com']],
    ['email', 'lodash@4.17.21 icon@2x.png @scope/pkg root@localhost', []],
    ['payment-card', 'cards 4111111111111111 and 5555-5555-5555-4444', ['4111111111111111', '5555-5555-5555-4444']],
    ['payment-card', 'amex 3782 822463 10005 ok', ['3782 822463 10005']],
    ['payment-card', 'qty 2 4111 1111 1111 1111 exp 12/29', ['4111 1111 1111 1111']],
    ['payment-card', 'id 14111111111111111 a1x4111111111111111 1.4111111111111111 ORD-4111111111111111', []],
    // Letters glued on either side and trailing cents do not hide a card; dots and NBSP are separators too.
    [
      'payment-card',
      'r 4111111111111111x abc4111111111111111xyz 4111111111111111.5',
      ['4111111111111111', '4111111111111111', '4111111111111111'],
    ],
    // Decimal stretches inside a long hex word (digest, trace id) are not cards.
    ['payment-card', 'sha1 9f86d0818a4111111111111111f4f1b2b0b822 trace a4111111111111111bcdefabcdef0123', []],
    ['payment-card', 'cc CC4111111111111111 x4111111111111111', ['4111111111111111', '4111111111111111']],
    [
      'payment-card',
      'pan 4111.1111.1111.1111 or 4111\u00a01111\u00a01111\u00a01111',
      ['4111.1111.1111.1111', '4111\u00a01111\u00a01111\u00a01111'],
    ],
    ['payment-card', 'spaced 41 11 11 11 11 11 11 11 ok', ['41 11 11 11 11 11 11 11']],
    // Other separators (found by outside-style attacks), commas included; a comma also ends a value (CSV).
    [
      'payment-card',
      'a 4111_1111_1111_1111 b 4111:1111:1111:1111 c 4111|1111|1111|1111 d 4111\t1111\t1111\t1111 e 4111,1111,1111,1111',
      [
        '4111_1111_1111_1111',
        '4111:1111:1111:1111',
        '4111|1111|1111|1111',
        '4111\t1111\t1111\t1111',
        '4111,1111,1111,1111',
      ],
    ],
    [
      'payment-card',
      'x 4111x1111x1111x1111 n 4111\n1111\r\n1111\n1111 s 4111  1111  1111  1111 m 4111-1111 1111.1111',
      ['4111x1111x1111x1111', '4111\n1111\r\n1111\n1111', '4111  1111  1111  1111', '4111-1111 1111.1111'],
    ],
    ['payment-card', 'csv 42,4111111111111111,ACTIVE;5555555555554444', ['4111111111111111', '5555555555554444']],
    ['us-ssn', 'a 123.45.6789 b 123_45_6789 c 123.45-6789 d v1.123.45.6789', ['123.45.6789', '123_45_6789']],
    ['iban', 'dashed DE89-3704-0044-0532-0130-00.', ['DE89-3704-0044-0532-0130-00']],
    ['iban', 'mixed DE89-3704 0044-0532-0130-00', []],
    ['phone', 'intl 00 44 20 7946 0958 and 0033.1.23.45.67.89', ['00 44 20 7946 0958', '0033.1.23.45.67.89']],
    // `00` and a country code of a fixed-length plan with a national number of its length: also without a keyword.
    ['phone', 'phone: 00442079460958; order reference in ledger 00442079460958', ['00442079460958', '00442079460958']],
    ['phone', 'ledger 00000012345678, 00993456789012, 0044207946095812, 00440079460958', []],
    [
      'jwt',
      'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl.',
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    ],
    ['iban', 'to DE89 3704 0044 0532 0130 00, thanks', ['DE89 3704 0044 0532 0130 00']],
    ['iban', 'XDE89370400440532013000 DE89370400440532013000X', []],
    ['us-ssn', 'ssn 123-45-6789 and 987-65-4321', ['123-45-6789']],
    ['us-ssn', '123 45 6789 or 123456789', []],
    ['us-ssn', 'SSN: 123 45 6789', ['123 45 6789']],
    ['phone', 'call (202) 555-0143 or +44 20 7946 0958.', ['(202) 555-0143', '+44 20 7946 0958']],
    ['phone', 'order 3 202-555-0143', ['202-555-0143']],
    [
      'phone',
      'phone +1 202 555 0143) then (+44 20 7946 0958) and (202 555 0143)',
      ['+1 202 555 0143', '+44 20 7946 0958', '202 555 0143'],
    ],
    ['phone', 'f(2025550143) (v1.2.3) (port 8080)', []],
    ['phone', '2024-01-15 10:30:00 v1.2.3 $202.555.0143 1718000000 250ms', []],
    ['ipv4', 'from 203.0.113.7:443 via 198.51.100.1.', ['203.0.113.7', '198.51.100.1']],
    ['ipv4', 'v1.2.3.4 1.3.6.1.4.1 127.0.0.1 0.0.0.0 255.255.255.0 300.1.1.1', []],
    ['ipv4', 'version 5.15.2.91, kernel 4.19.1.2, build: 10.2.3.4', []],
    ['ipv4', 'v 198.51.100.173 version: 203.0.113.9 sdk 192.0.2.44', ['198.51.100.173', '203.0.113.9', '192.0.2.44']],
    ['ipv6', 'peer [2001:db8::1]:443 fe80::1%eth0 ok', ['2001:db8::1', 'fe80::1%eth0']],
    ['ipv6', '10:30:00 00:1A:2B:3C:4D:5E ::1 std::vector cafe::add', []],
    ['ipv4', 'generalized 203.0.113.0 and 10.1.0.0', []],
    ['ipv6', 'generalized 2001:db8:1:: and 2001:db8::', []],
    [
      'jwt',
      'token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl&x=1',
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    ],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9 xeyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', []],
    // Encoded with standard base64 (`/`, `+`): the whole signature is the token, not the part before the `/`.
    [
      'jwt',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N/XgL0n3I9PlFUP0THsR8U end',
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N/XgL0n3I9PlFUP0THsR8U'],
    ],
    ['bearer-token', 'Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA', ['2YotnFZFEjr1zCsicMWpAA']],
    ['bearer-token', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', ['dXNlcjpwYXNzd29yZA==']],
    ['bearer-token', 'Bearer token expired; Basic authentication required; Bearer <token>', []],
    [
      'aws-access-key',
      'id AKIAIOSFODNN7EXAMPLE secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ],
    ['aws-access-key', 'AKIAXXXXXXXXXXXXXXXX wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', []],
    [
      'private-key',
      'k=-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY----- done',
      ['-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----'],
    ],
    ['private-key', 'cut -----BEGIN PRIVATE KEY-----\nAAAA', ['-----BEGIN PRIVATE KEY-----\nAAAA']],
    ['private-key', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', []],
    // Key bodies without PEM lines, by the base64 their DER starts with (fake bodies, not keys); public keys are not.
    [
      'private-key',
      'TLS_KEY=MIIEowIBAAKCAQEAfakeFAKEnotAkeyJustTestData0123456789abcdef\nmoreFAKEbase64lines0123456789 done',
      ['MIIEowIBAAKCAQEAfakeFAKEnotAkeyJustTestData0123456789abcdef\nmoreFAKEbase64lines0123456789'],
    ],
    [
      'private-key',
      'k MC4CAQAwBQYDK2VwBCIEIfakeFAKEnotAkeyJustTestData0123456789 and MHcCAQEEIfakeFAKEnotAkeyJustTestData012345',
      ['MC4CAQAwBQYDK2VwBCIEIfakeFAKEnotAkeyJustTestData0123456789', 'MHcCAQEEIfakeFAKEnotAkeyJustTestData012345'],
    ],
    ['private-key', 'pub MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAfakeFAKEnotAkeyJustTestData0123456789', []],
    ['url-credentials', 'postgres://app:hunter2@db.example.com/app', ['app:hunter2']],
    ['url-credentials', 'redis://:s3cret@cache:6379 and https://u:p@ss@example.com/', [':s3cret', 'u:p@ss']],
    ['url-credentials', 'https://example.com:8443/a https://user@example.com/ https://example.com/a:b@c', []],
    [
      'labeled-secret',
      'login failed password=hunter2fake; Server=db;Password=Fake!Pw42; {"client_secret":"fake0secret0value9"}',
      ['hunter2fake', 'Fake!Pw42', 'fake0secret0value9'],
    ],
    [
      'labeled-secret',
      '<password>FakeXml1</password> --db-password=cli-fake-1 x-api-key: 2YotnFZFEjr1zCsicMWpAA',
      ['FakeXml1', 'cli-fake-1', '2YotnFZFEjr1zCsicMWpAA'],
    ],
    [
      'labeled-secret',
      'password: required; password_policy: strict; max_tokens: 512; token: expired; token_type=bearer; password = ?; pwd=${PW}; PWD=/srv/app; password=********',
      [],
    ],
  ])('%s in %j', (name, text, expected) => {
    expect(matches(name, text)).toEqual(expected);
  });

  it('iban accepts every registry country length only', () => {
    expect(matches('iban', 'NO9386011117947')).toEqual(['NO9386011117947']);
    expect(matches('iban', 'NO93860111179470')).toEqual([]);
    expect(ibanDetector.mayMatch('no digits here')).toBe(false);
  });
});

describe('identifiers that are not personal data', () => {
  const notPii = [
    '123e4567-e89b-12d3-a456-426614174000',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    '4bf92f3577b34da6a3ce929d0e0e4736',
    '00f067aa0ba902b7',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    '9fceb02d0ae598e95dc970b74767f19372d61af8',
    '1.2.3',
    'v10.15.7-beta.1+build.42',
    '2024-01-15T10:30:00.123Z',
    '2024-01-15T10:30:00+05:30',
    'localhost:8080',
    ':443',
    'port 5432',
    '1.5s',
    '250ms',
    'PT1H30M',
    '1h2m3s',
  ];
  it.each(notPii)('%s', (text) => {
    for (const name of Object.keys(builtInDetectors) as DetectorName[]) expect(matches(name, text), name).toEqual([]);
  });
});
