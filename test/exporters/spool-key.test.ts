import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { SecureExportConfigError } from '../../exporters/secure-export-config-error';
import { DEFAULT_SPOOL_KEY_ENV, decodeSpoolKey, loadSpoolKey, spoolKeyId } from '../../exporters/spool-key';

// The spool key: where it is read from, what a load returns, and the errors (naming the source, never the value).
const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-spool-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = randomBytes(32);
const hex = `hex:${key.toString('hex')}`;

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('loadSpoolKey', () => {
  it('reads the same key from the default variable, a named variable, a file and an inline value', () => {
    const file = join(dir, 'spool.key');
    writeFileSync(file, `base64:${key.toString('base64')}\n`);
    const raw = join(dir, 'raw.key');
    writeFileSync(raw, key);
    const loaded = [
      loadSpoolKey(undefined, { [DEFAULT_SPOOL_KEY_ENV]: hex }),
      loadSpoolKey({ env: 'MY_SPOOL_KEY' }, { MY_SPOOL_KEY: hex, [DEFAULT_SPOOL_KEY_ENV]: 'other' }),
      loadSpoolKey({ file }, {}),
      loadSpoolKey({ file: raw }, {}),
      loadSpoolKey({ value: hex }, {}),
      loadSpoolKey({ value: key }, {}),
    ];
    expect(DEFAULT_SPOOL_KEY_ENV).toBe('OTEL_PRIVACY_SPOOL_KEY');
    for (const k of loaded) {
      expect(k.key.equals(key)).toBe(true);
      expect(k.id.equals(spoolKeyId(key))).toBe(true);
    }
  });

  it('the id is 8 bytes of SHA-256 over the label and the key (the header of spool files already on disk)', () => {
    const expected = createHash('sha256').update(Buffer.from('otel-privacy spool key id\0')).update(key).digest();
    expect(spoolKeyId(key)).toEqual(expected.subarray(0, 8));
    expect(spoolKeyId(Buffer.alloc(32, 1)).equals(spoolKeyId(Buffer.alloc(32, 2)))).toBe(false);
    expect(loadSpoolKey({ value: hex }, {}).id).toEqual(expected.subarray(0, 8));
  });

  it('returns a frozen object whose key bytes are not enumerable and print as the id only', () => {
    const loaded = loadSpoolKey({ value: hex }, {});
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.keys(loaded)).toEqual(['id']);
    expect(() => {
      (loaded as { id: Buffer }).id = Buffer.alloc(8);
    }).toThrow(TypeError);
    expect(inspect(loaded)).toBe(`[spool key: id ${loaded.id.toString('hex')}]`);
    expect(JSON.stringify(loaded)).not.toContain(key.toString('hex'));
  });

  it('an unset variable, a missing file and a wrong length name their source', () => {
    const missing = errorOf(() => loadSpoolKey(undefined, {}));
    expect(missing).toBeInstanceOf(SecureExportConfigError);
    expect(missing.message).toContain(`environment variable ${DEFAULT_SPOOL_KEY_ENV} is not set`);
    expect(errorOf(() => loadSpoolKey({ env: 'EMPTY_KEY' }, { EMPTY_KEY: '' })).message).toContain(
      'environment variable EMPTY_KEY is not set',
    );

    const nofile = join(dir, 'no-such.key');
    const unreadable = errorOf(() => loadSpoolKey({ file: nofile }, {}));
    expect(unreadable).toBeInstanceOf(SecureExportConfigError);
    expect(unreadable.message).toBe(`otel-privacy secure export: cannot read spool key file ${nofile}: ENOENT`);
    // (not `dir` itself: its random name may look like a key, mixed case and digits without a dot)
    const folder = join(dir, 'a.folder');
    mkdirSync(folder);
    expect(errorOf(() => loadSpoolKey({ file: folder }, {})).message).toBe(
      `otel-privacy secure export: cannot read spool key file ${folder}: EISDIR`,
    );

    const short = join(dir, 'short.key');
    writeFileSync(short, 'hex:0011');
    const wrong = errorOf(() => loadSpoolKey({ file: short }, {}));
    expect(wrong).toBeInstanceOf(SecureExportConfigError);
    expect(wrong.message).toMatch(
      new RegExp(`^otel-privacy secure export: spool key from file ${short} is not 32 bytes`),
    );
    expect(errorOf(() => loadSpoolKey({ value: 'hex:zz' }, {})).message).toMatch(
      /^otel-privacy secure export: spool key from value is not 32/,
    );
    expect(errorOf(() => loadSpoolKey({ env: 'K' }, { K: 'base64:' + 'A'.repeat(44) })).message).toMatch(
      /^otel-privacy secure export: spool key from environment variable K is not 32 bytes/,
    );
  });

  it('refuses a key (or a name that is no variable name) where a variable name or path belongs, without echoing it', () => {
    const raw32 = 'k'.repeat(32); // 32 raw bytes: decodes as a key
    for (const env of [hex, `BASE64:${key.toString('base64')}`, ` hex:${key.toString('hex')}`, raw32, 'no spaces']) {
      const error = errorOf(() => loadSpoolKey({ env }, {}));
      expect(error).toBeInstanceOf(SecureExportConfigError);
      expect(error.message).toMatch(
        /^otel-privacy secure export: spool key env: value not shown: looks like key material; expected the name/,
      );
      expect(error.message).not.toContain(env.trim());
    }
    // 32 raw bytes with a `/` and a `.` in them: no pattern of key text matches, only the length gives it away
    const rawWithSlash = 'abcdefghijklmno/pqrstuvwxyz.0123';
    for (const file of [hex, raw32, key.toString('hex'), rawWithSlash]) {
      const error = errorOf(() => loadSpoolKey({ file }, {}));
      expect(error.message).toMatch(
        /^otel-privacy secure export: spool key file: value not shown: looks like key material; expected the path/,
      );
      expect(error.message).not.toContain(file);
    }
  });
});

describe('loadSpoolKey with names and paths that only look odd', () => {
  it('reads a variable or a file whose name is 32 characters long (as long as a raw key)', () => {
    const name = 'OTEL_PRIVACY_SPOOL_KEY_STAGING_1';
    expect(name).toHaveLength(32);
    expect(loadSpoolKey({ env: name }, { [name]: hex }).key.equals(key)).toBe(true);
    const sub = mkdtempSync(join(tmpdir(), 'k'));
    onTestFinished(() => rmSync(sub, { recursive: true, force: true }));
    const file = join(sub, `${'x'.repeat(32 - sub.length - 5)}.key`);
    expect(file).toHaveLength(32);
    writeFileSync(file, hex);
    expect(loadSpoolKey({ file }, {}).key.equals(key)).toBe(true);
    // a 32-character name that names nothing is still refused without being echoed (it may be a raw key)
    expect(errorOf(() => loadSpoolKey({ env: name }, {})).message).not.toContain(name);
  });

  it('reads a variable with a long camelCase name and no digit (`OtelPrivacySpoolKeyForBilling`), and names it when unset', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Otel', 'Privacy', 'Spool', 'Key', 'For', 'Billing', 'Staging', 'Eu', 'West'), {
          minLength: 5,
          maxLength: 9,
        }),
        fc.boolean(),
        (words, lowerFirst) => {
          let name = words.join('');
          if (lowerFirst) name = name[0]!.toLowerCase() + name.slice(1);
          fc.pre(name.length >= 24);
          expect(loadSpoolKey({ env: name }, { [name]: hex }).key.equals(key)).toBe(true);
          // (a 32-character name that names nothing may be a raw key: refused, see above)
          if (name.length !== 32)
            expect(errorOf(() => loadSpoolKey({ env: name }, {})).message).toContain(
              `environment variable ${name} is not set`,
            );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reads a file whose path holds "hex:" or "base64:" past its start', () => {
    const file = join(dir, 'backup-hex:base64:spool.key');
    writeFileSync(file, hex);
    expect(loadSpoolKey({ file }, {}).key.equals(key)).toBe(true);
    // missing: the error names it (it is no key)
    const missing = join(dir, 'gone-hex:spool.key');
    expect(errorOf(() => loadSpoolKey({ file: missing }, {})).message).toBe(
      `otel-privacy secure export: cannot read spool key file ${missing}: ENOENT`,
    );
  });
});

describe('decodeSpoolKey', () => {
  it('is the key for exactly 32 bytes in every key format and undefined otherwise', () => {
    expect(decodeSpoolKey(hex)).toEqual(key);
    expect(decodeSpoolKey(Buffer.concat([key, Buffer.from('\n')]))).toEqual(key);
    for (const length of [0, 31, 33, 64]) expect(decodeSpoolKey(`hex:${'ab'.repeat(length)}`)).toBeUndefined();
    expect(decodeSpoolKey('hex:not hex')).toBeUndefined();
    expect(decodeSpoolKey('base64:!!')).toBeUndefined();
  });

  it('reads raw key bytes ending in \\r (or \\n) followed by a line end as the 32 bytes', () => {
    // a random key ends in 0x0d once in 256: with the file's `\n` after it, the end reads as `\r\n`
    for (const last of [0x0d, 0x0a, 0x20, 0x00]) {
      const k = Buffer.concat([randomBytes(31), Buffer.from([last])]);
      expect(decodeSpoolKey(Buffer.concat([k, Buffer.from('\n')]))).toEqual(k);
      expect(decodeSpoolKey(Buffer.concat([k, Buffer.from('\r\n')]))).toEqual(k);
      expect(decodeSpoolKey(k)).toEqual(k);
    }
    // other lengths and other endings stay refused
    expect(decodeSpoolKey(randomBytes(31))).toBeUndefined();
    expect(decodeSpoolKey(randomBytes(35))).toBeUndefined();
    expect(decodeSpoolKey(Buffer.concat([randomBytes(32), Buffer.from('\n\n')]))).toBeUndefined();
    expect(decodeSpoolKey(Buffer.concat([randomBytes(32), Buffer.from(' ')]))).toBeUndefined();
  });
});
