import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4FromNumber, isAddressKey, withAddressKeyNumbers } from '../../engine/address-key-numbers';

// `ipv4FromNumber` against an `inet_aton` reference written from its doc comment with its own digit loop and BigInt
// arithmetic: the value (blanks around it trimmed, at most 48 characters) is one number in decimal, `0x` hex or
// `0`-led octal from 1.0.0.0 up to 255.255.255.255, or four such parts of at most 12 characters each, each 0-255,
// with a hex or octal one among them (a part of two or more characters starting with `0`); anything else (a plain
// decimal quad, a host name, three or five parts) is none. Generated around each edge: 0xFFFFFF/0x1000000 and
// 0xFFFFFFFF/0x100000000 in each base, octets 255/256, part lengths 12/13, digits 8 and 9 in octal, blanks of every
// kind `trim` removes.

/** A part's value in its base, or undefined: the digits read one by one. */
function partValueRef(part: string): bigint | undefined {
  if (part === '' || part.length > 12) return undefined;
  let base = 10n;
  let digits = part;
  if (/^0[xX]/.test(part)) {
    base = 16n;
    digits = part.slice(2);
    if (digits === '') return undefined;
  } else if (part[0] === '0') {
    base = 8n;
    digits = part.slice(1);
  }
  let v = 0n;
  for (const ch of digits.toLowerCase()) {
    const d = '0123456789abcdef'.indexOf(ch);
    if (d === -1 || BigInt(d) >= base) return undefined;
    v = v * base + BigInt(d);
  }
  return v;
}

function reference(value: string): string | undefined {
  const text = value.trim();
  if (text === '' || text.length > 48) return undefined;
  const parts = text.split('.');
  let n: bigint;
  if (parts.length === 1) {
    const v = partValueRef(text);
    if (v === undefined || v < 0x1000000n || v > 0xffffffffn) return undefined;
    n = v;
  } else if (parts.length === 4) {
    if (!parts.some((p) => p.length >= 2 && p[0] === '0')) return undefined;
    const octets = parts.map(partValueRef);
    if (octets.some((o) => o === undefined || o > 255n)) return undefined;
    n = octets.reduce((acc: bigint, o) => acc * 256n + o!, 0n);
  } else return undefined;
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join('.');
}

const edgeNumbers = [0xffffff, 0x1000000, 0xcb007107, 0xffffffff, 0x100000000, 0, 1, 7];
const onePart = fc
  .oneof(fc.constantFrom(...edgeNumbers), fc.integer({ min: 0, max: 0x1ffffffff }))
  .chain((n) =>
    fc.constantFrom(
      String(n),
      '0x' + n.toString(16),
      '0X' + n.toString(16).toUpperCase(),
      '0' + n.toString(8),
      '00' + n.toString(8),
    ),
  );
const octet = fc
  .oneof(fc.constantFrom(0, 7, 8, 9, 10, 99, 255, 256), fc.nat(300))
  .chain((n) =>
    fc.constantFrom(String(n), '0' + n.toString(8), '0x' + n.toString(16), '0' + String(n), '00000000000' + n, '0x'),
  );
const quad = fc.array(octet, { minLength: 3, maxLength: 5 }).map((p) => p.join('.'));
const blank = fc.constantFrom('', ' ', '\t', '\n', '\u00a0', '\ufeff', '\u2003');
const value = fc.oneof(
  fc.tuple(blank, fc.oneof(onePart, quad), blank).map(([a, v, b]) => a + v + b),
  // one edit: a character inserted (a letter past a base's digits, a dot, a sign), removed, or doubled
  fc
    .tuple(fc.oneof(onePart, quad), fc.nat(), fc.constantFrom('', '8', '9', 'g', 'f', '.', '-', 'x', ' ', 'é'))
    .map(([v, at, ins]) => {
      const i = at % (v.length + 1);
      return ins === '' ? v.slice(0, i) + v.slice(i + 1) : v.slice(0, i) + ins + v.slice(i);
    }),
);

describe('ipv4FromNumber against an inet_aton reference', () => {
  it('one number or four parts in every base, around each edge', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(ipv4FromNumber(v), JSON.stringify(v)).toBe(reference(v));
      }),
      { numRuns: 6000 },
    );
  });

  it('edges (the reference is not vacuous)', () => {
    expect(ipv4FromNumber('16777216')).toBe('1.0.0.0');
    expect(ipv4FromNumber('16777215')).toBeUndefined();
    expect(ipv4FromNumber('4294967295')).toBe('255.255.255.255');
    expect(ipv4FromNumber('4294967296')).toBeUndefined();
    expect(ipv4FromNumber('0377.0.0.0xff')).toBe('255.0.0.255');
    expect(ipv4FromNumber('0400.0.0.1')).toBeUndefined();
    expect(ipv4FromNumber('010.0.0.' + '0'.repeat(12) + '1')).toBeUndefined();
    expect(ipv4FromNumber('010.0.0.' + '0'.repeat(11) + '1')).toBe('8.0.0.1');
    expect(ipv4FromNumber('0x')).toBeUndefined();
    expect(ipv4FromNumber('08.0.0.1')).toBeUndefined();
    // what `Number` would read but no `inet_aton` part is: an exponent, a blank inside a part
    expect(ipv4FromNumber('2e9')).toBeUndefined();
    expect(ipv4FromNumber('10 .0.0.0x1')).toBeUndefined();
    // at most 48 characters (parts of up to 12 would allow 51); a plain decimal quad after a blank is no inet_aton form
    expect(ipv4FromNumber(`${'0'.repeat(10)}10.${'0'.repeat(10)}10.${'0'.repeat(10)}10.${'0'.repeat(7)}01`)).toBe(
      '8.8.8.1',
    );
    expect(
      ipv4FromNumber(`${'0'.repeat(10)}10.${'0'.repeat(10)}10.${'0'.repeat(10)}10.${'0'.repeat(10)}01`),
    ).toBeUndefined();
    expect(ipv4FromNumber(' 1.0.2.3')).toBeUndefined();
  });
});

describe('address keys', () => {
  it('the last word of a documented address key, in any namespace and any split', () => {
    for (const key of ['client.address', 'net.peer.ip', 'net.sock.peer.addr', 'http.client_ip', 'server.address'])
      expect(isAddressKey(key), key).toBe(true);
    for (const key of [
      'app.client.ip',
      'source_address',
      'peerIp',
      'peerIP',
      'app-addr',
      'clientAddress',
      'IP',
      'dataIp',
      'quizIp',
    ])
      expect(isAddressKey(key), key).toBe(true);
    for (const key of [
      'dns.answers',
      'app.count',
      'ipx',
      'zip',
      'address.kind',
      'app.addresses',
      'tip',
      'peerIPs',
      '',
      'caféIp',
    ])
      expect(isAddressKey(key), key).toBe(false);
  });

  it('under an address key a number is scanned as the quad it stands for; under other keys as written', () => {
    const seen: string[] = [];
    const scanner = withAddressKeyNumbers((v: string) => {
      seen.push(v);
      return v === '203.0.113.7' ? '[REDACTED:ipv4]' : v;
    });
    expect(scanner('3405803783', 'client.address')).toBe('[REDACTED:ipv4]');
    expect(scanner('client.address: 0xCB007107', 'client.address')).toBe('[REDACTED:ipv4]');
    expect(scanner('3405803783', 'app.count')).toBe('3405803783');
    expect(scanner('16777215', 'client.address')).toBe('16777215');
    // a quad the scanner keeps: the value itself is scanned as written
    seen.length = 0;
    expect(scanner('0x7f000001', 'client.address')).toBe('0x7f000001');
    expect(seen).toEqual(['127.0.0.1', '0x7f000001']);
    // the `key: ` form the attribute redactor writes, and nothing else before the number
    expect(scanner('xx: 3405803783', 'ip')).toBe('xx: 3405803783');
    expect(scanner('ipxx3405803783', 'ip')).toBe('ipxx3405803783');
    expect(scanner('ip: 3405803783', 'ip')).toBe('[REDACTED:ipv4]');
    // up to 50 characters more than the key are read (here exactly 50)
    expect(scanner(' '.repeat(42) + '3405803783', 'ip')).toBe('[REDACTED:ipv4]');
    // a value much longer than the key: not read as a number
    expect(scanner(' '.repeat(60) + '3405803783', 'ip')).toBe(' '.repeat(60) + '3405803783');
  });
});
