import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readKeyArgument } from '../../../cli/key-source';
import { readKeyMaterial } from '../../../engine/crypto/key-material';
import { decodeSpoolKey } from '../../../exporters/spool-key';

// A raw 32-byte key file is read the same way by every reader of encryption keys: the policy's encryption keys,
// the spool key and `otel-privacy decrypt --key`. A random key ends in `\n` or `\r` once in 128; the line-end rule
// ("one trailing newline is ignored") must not cut such a key's own last byte.
const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-raw-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function keyFile(bytes: Buffer): string {
  const file = join(dir, `key-${n++}`);
  writeFileSync(file, bytes);
  return file;
}

const key32 = fc
  .tuple(fc.uint8Array({ minLength: 31, maxLength: 31 }), fc.constantFrom(0x0a, 0x0d, 0x20, 0x41, 0xff))
  .map(([body, last]) => Buffer.concat([Buffer.from(body), Buffer.from([last])]));
const lineEnd = fc.constantFrom('', '\n', '\r\n');

describe('raw encryption key files and their line end', () => {
  it('every reader takes the 32 key bytes, whatever the last key byte and the line end', () => {
    fc.assert(
      fc.property(key32, lineEnd, (key, end) => {
        const file = keyFile(Buffer.concat([key, Buffer.from(end, 'latin1')]));
        expect(readKeyMaterial({ id: 'k1', file }, 'encryption', dir).bytes).toEqual(key);
        expect(readKeyArgument(file)).toEqual(key);
        expect(decodeSpoolKey(Buffer.concat([key, Buffer.from(end, 'latin1')]))).toEqual(key);
      }),
      { numRuns: 60 },
    );
  });

  it('a file that is not 32 key bytes and one line end is refused with its length, not cut to fit', () => {
    for (const extra of ['\n\n', ' ', 'x', '\r']) {
      const file = keyFile(Buffer.concat([randomBytes(32), Buffer.from(extra, 'latin1')]));
      expect(() => readKeyMaterial({ id: 'k1', file }, 'encryption', dir)).toThrow(
        /^key file .* holds 3[34] bytes; an encryption key must be exactly 32 bytes/,
      );
    }
    const short = keyFile(Buffer.concat([randomBytes(30), Buffer.from('\n')]));
    expect(() => readKeyMaterial({ id: 'k1', file: short }, 'encryption', dir)).toThrow(/holds 30 bytes/);
  });

  it('an HMAC key (32 bytes or more) keeps the one-line-end rule', () => {
    const key = Buffer.concat([randomBytes(40), Buffer.from('x')]);
    const file = keyFile(Buffer.concat([key, Buffer.from('\n')]));
    expect(readKeyMaterial({ id: 'h1', file }, 'hmac', dir).bytes).toEqual(key);
  });
});
