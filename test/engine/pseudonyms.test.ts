import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from '../../engine/crypto/hmac-sha256';
import { Pseudonymizer, base64url16 } from '../../engine/crypto/pseudonymizer';

// Pseudonyms must be bit-for-bit HMAC-SHA256 (joinable with any other implementation holding the key). These cases
// sit where the hand-written SHA-256 changes behaviour: inputs whose UTF-8 fills the largest message the JS path
// handles (256 UTF-16 code units of 3-byte characters: 768 bytes, 13 blocks with padding and length), and keys whose
// bit length needs the third and fourth byte of the SHA-256 length field (8 KiB and 2 MiB keys are hashed first).

const reference = (key: Buffer, input: string): string => createHmac('sha256', key).update(input, 'utf8').digest('hex');

function mac(h: HmacSha256, input: string): string {
  const out = new Uint8Array(32);
  h.mac(input, out);
  return Buffer.from(out).toString('hex');
}

describe('HmacSha256 at the edges of its message buffer and length field', () => {
  it('equals node:crypto for inputs up to 256 code units of 3- and 4-byte UTF-8 (the largest JS-path messages)', () => {
    const key = Buffer.from('fake-hmac-key-for-tests-0123456789abcdef');
    const h = new HmacSha256(key);
    const wide = ['€', '中', '\uffff', '😀', 'ü€', 'a€'];
    for (const unit of wide)
      for (let n = 230; n <= 260; n++) {
        const input = unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
        expect(mac(h, input), `${unit} × ${n}`).toBe(reference(key, input));
      }
    // Any mix of widths, up to and just past the JS path's limit.
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'ü', '€', '😀', '\ud800'), { minLength: 200, maxLength: 260 }),
        (parts) => {
          const input = parts.join('').slice(0, 260);
          expect(mac(h, input)).toBe(reference(key, input));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('equals node:crypto for keys around the block size and of 8 KiB and more (their bit length fills three and four bytes)', () => {
    // 64 bytes is the largest key used as it is; longer keys are hashed first (RFC 2104).
    for (const length of [1, 63, 64, 65, 119, 183, 8191, 8192, 10_000, 70_000, 2 ** 21, 2 ** 21 + 65]) {
      const key = randomBytes(length);
      const h = new HmacSha256(key);
      for (const input of ['', 'fake-user-4711', '€'.repeat(256), 'x'.repeat(300), 'x'.repeat(2000), '€'.repeat(1000)])
        expect(mac(h, input), `key of ${length} bytes`).toBe(reference(key, input));
    }
  });

  it('gives every input its own MAC whatever came before it (no state left from a longer or shorter input)', () => {
    const key = randomBytes(32);
    const h = new HmacSha256(key);
    const lengths = [0, 1, 55, 56, 63, 64, 119, 120, 200, 255, 256, 257, 300];
    for (const first of lengths)
      for (const second of lengths)
        for (const input of ['z'.repeat(first), 'ä€'.repeat(second).slice(0, second), 'z'.repeat(first)])
          expect(mac(h, input)).toBe(reference(key, input));
  });

  it('prints nothing of its key', () => {
    const key = Buffer.from('fake-hmac-key-for-tests-0123456789abcdef');
    const printed = inspect(new HmacSha256(key), { depth: Infinity, showHidden: true });
    expect(printed).toBe('HmacSha256 {}');
    expect(JSON.stringify(new HmacSha256(key))).toBe('{}');
  });
});

describe('Pseudonymizer', () => {
  const key = { id: 'k7', bytes: Buffer.from('fake-hmac-key-for-tests-0123456789abcdef') };
  const expected = (input: string) =>
    'k7:' + createHmac('sha256', key.bytes).update(input, 'utf8').digest().subarray(0, 16).toString('base64url');

  it('is `<keyId>:` and base64url of the first 16 MAC bytes, the same in every instance and on every sighting', () => {
    const a = new Pseudonymizer(key, 4);
    const b = new Pseudonymizer(key, 4);
    const inputs = ['fake-user-1', '', '€'.repeat(256), 'y'.repeat(255), 'y'.repeat(256), 'y'.repeat(257), '😀'];
    for (let round = 0; round < 3; round++)
      for (const input of inputs) {
        expect(a.pseudonym(input)).toBe(expected(input));
        expect(b.pseudonym(input)).toBe(expected(input));
      }
    // More distinct inputs than the cache holds, seen repeatedly: still the same pseudonyms.
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 20; i++) expect(a.pseudonym(`fake-id-${i}`)).toBe(expected(`fake-id-${i}`));
    expect(a.keyId).toBe('k7');
  });

  it('writes the 16 MAC bytes as Buffer writes base64url, on any input and any 16 bytes', () => {
    const p = new Pseudonymizer(key, 4);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (input) => {
        expect(p.pseudonym(input)).toBe(expected(input));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(base64url16(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
      { numRuns: 2000 },
    );
    for (const fill of [0, 0xff, 0xfc, 0x03]) {
      const bytes = new Uint8Array(16).fill(fill);
      expect(base64url16(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('prints only its key id, never the key or an identifier it has seen', () => {
    const p = new Pseudonymizer(key);
    p.pseudonym('fake-raw-identifier-4711');
    p.pseudonym('fake-raw-identifier-4711');
    for (const printed of [inspect(p, { depth: Infinity, showHidden: true }), inspect(p), JSON.stringify(p)]) {
      expect(printed).not.toContain('fake-raw-identifier-4711');
      expect(printed).not.toContain('fake-hmac-key');
      expect(printed).not.toContain(key.bytes.toString('hex').slice(0, 16));
    }
    expect(inspect(p)).toBe("Pseudonymizer { keyId: 'k7' }");
    expect(JSON.parse(JSON.stringify(p))).toEqual({ keyId: 'k7' });
  });
});
