import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  KEY_LIKE_VALUE_NOT_SHOWN,
  MissingKeyError,
  decodeKeyText,
  envNameForError,
  keyMaterial,
  keyNameForError,
  keyPathForError,
  looksLikeKeyMaterial,
  readKeyMaterial,
  rememberedKeyTexts,
  whyNotShown,
} from '../../../engine/crypto/key-material';

// The edges of key decoding and of what an error may show where a name or a path belongs, through the module's
// exported functions. Keys are generated here; the names and paths are made up for the test.

const dir = mkdtempSync(join(tmpdir(), 'otel-privacy-key-material-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const envNames: string[] = [];
afterEach(() => {
  for (const name of envNames.splice(0)) delete process.env[name];
});
function setEnv(name: string, value: string): void {
  envNames.push(name);
  process.env[name] = value;
}
let n = 0;
function keyFile(content: string | Buffer): string {
  const file = join(dir, `key-${n++}.key`);
  writeFileSync(file, content);
  return file;
}

describe('decodeKeyText', () => {
  const key = randomBytes(32);

  it('reads base64 (standard or url alphabet, up to two pads), hex and raw text, with one line end ignored', () => {
    expect(decodeKeyText(`base64:${key.toString('base64')}`)).toEqual(key);
    expect(decodeKeyText(`base64:${key.toString('base64url')}\n`)).toEqual(key);
    expect(decodeKeyText(`base64:${key.toString('base64')}\r\n`)).toEqual(key);
    expect(decodeKeyText(`hex:${key.toString('hex').toUpperCase()}`)).toEqual(key);
    expect(decodeKeyText('base64:QQ==')).toEqual(Buffer.from('A'));
    expect(decodeKeyText('base64: QUI= ')).toEqual(Buffer.from('AB'));
    expect(decodeKeyText('hex: 00ff ')).toEqual(Buffer.from([0, 255]));
    expect(decodeKeyText('hex:')).toEqual(Buffer.alloc(0));
    // only one line end, and only at the end
    expect(decodeKeyText('raw-key-text\n\n')).toEqual(Buffer.from('raw-key-text\n'));
    expect(decodeKeyText('raw\nkey')).toEqual(Buffer.from('raw\nkey'));
    expect(decodeKeyText('raw-key-text\r')).toEqual(Buffer.from('raw-key-text\r'));
    // the prefixes are lower case: anything else is raw text
    expect(decodeKeyText('BASE64:QQ==')).toEqual(Buffer.from('BASE64:QQ=='));
    expect(decodeKeyText('Hex:00')).toEqual(Buffer.from('Hex:00'));
  });

  it('refuses base64 and hex with a character out of place anywhere, without echoing the text', () => {
    for (const bad of ['base64:!!QQ', 'base64:QQ!!', 'base64:Q===', 'base64:Q=Q', 'base64:QQ QQ'])
      expect(() => decodeKeyText(bad), bad).toThrow(/^is not valid base64$/);
    for (const bad of ['hex:0g', 'hex:abc', 'hex:zz00', 'hex:00zz', 'hex:00 11'])
      expect(() => decodeKeyText(bad), bad).toThrow(/^is not valid hex$/);
  });

  it('a key file read as bytes: base64 and hex prefixes are decoded as text, raw bytes lose one line end', () => {
    expect(decodeKeyText(Buffer.from(`base64:${key.toString('base64')}\n`))).toEqual(key);
    expect(decodeKeyText(Buffer.from(`hex:${key.toString('hex')}\r\n`), 32)).toEqual(key);
    const raw = Buffer.from([0x00, 0xff, 0x0d, 0x41]);
    expect(decodeKeyText(raw)).toEqual(raw);
    expect(decodeKeyText(Buffer.from([0x41, 0x0d]))).toEqual(Buffer.from([0x41, 0x0d]));
    expect(decodeKeyText(Buffer.concat([raw, Buffer.from('\n')]))).toEqual(raw);
    expect(decodeKeyText(Buffer.concat([raw, Buffer.from('\r\n')]))).toEqual(raw);
    expect(decodeKeyText(Buffer.concat([raw, Buffer.from('\n\n')]))).toEqual(Buffer.concat([raw, Buffer.from('\n')]));
    expect(decodeKeyText(Buffer.from('\n'))).toEqual(Buffer.alloc(0));
  });

  it('with a length: a raw key of that length keeps its own last byte; one or two more bytes count only as a line end', () => {
    const endsInNewline = Buffer.concat([randomBytes(31), Buffer.from([0x0a])]);
    expect(decodeKeyText(endsInNewline, 32)).toEqual(endsInNewline);
    expect(decodeKeyText(Buffer.concat([endsInNewline, Buffer.from('\n')]), 32)).toEqual(endsInNewline);
    expect(decodeKeyText(Buffer.concat([endsInNewline, Buffer.from('\r\n')]), 32)).toEqual(endsInNewline);
    // not a line end after the 32 bytes: taken whole (the caller then refuses the length)
    expect(decodeKeyText(Buffer.concat([key, Buffer.from('x')]), 32)).toHaveLength(33);
    expect(decodeKeyText(Buffer.concat([key, Buffer.from('\n\r')]), 32)).toHaveLength(34);
    // three bytes past the length: the ordinary rule, one line end
    expect(decodeKeyText(Buffer.concat([key, Buffer.from('x\r\n')]), 32)).toEqual(
      Buffer.concat([key, Buffer.from('x')]),
    );
    // shorter than the length: the ordinary rule too
    expect(decodeKeyText(Buffer.concat([key.subarray(0, 30), Buffer.from('\n')]), 32)).toEqual(key.subarray(0, 30));
  });
});

describe('looksLikeKeyMaterial', () => {
  it('prefixed keys, in any case and after blanks, and hex runs of 32 or more', () => {
    for (const text of [
      'base64:abc',
      'HEX:00',
      ' hex:zz',
      'Base64:',
      'a'.repeat(32),
      'DEADBEEF'.repeat(4),
      ` ${'0'.repeat(40)} `,
    ])
      expect(looksLikeKeyMaterial(text), text).toBe(true);
    for (const text of ['a'.repeat(31), 'x hex:00', 'base64', 'my-hex:00'])
      expect(looksLikeKeyMaterial(text), text).toBe(false);
  });

  it('mixed-case runs of 20 or more with a digit, +, / or =, or with upper and lower case in random proportions', () => {
    for (const text of [
      'abcdefghijKLMNOPQRS1',
      'abcdefghijKLMNOPQRS+',
      'abcdefghijKLMNOPQRS=',
      'abcdefghij/LMNOPQRST',
      'VIZygtEMfsGGDAZwvVvEKIM',
    ])
      expect(looksLikeKeyMaterial(text), text).toBe(true);
    for (const text of [
      'abcdefghiKLMNOPQRS1',
      'abcdefghijklmnopqrs1',
      'ABCDEFGHIJKLMNOPQRS1',
      'userAccountIdentifierX',
      'abcdefghijKLMNOP RS1',
    ])
      expect(looksLikeKeyMaterial(text), text).toBe(false);
  });

  it('random-looking case proportions: each case at least a sixth of at least 16 letters, A, Z, a and z included', () => {
    // 24 letters: 4 of one case is a sixth, 3 is not
    expect(looksLikeKeyMaterial(`AZAZ${'azaz'.repeat(5)}`)).toBe(true);
    expect(looksLikeKeyMaterial(`AZA${'azaz'.repeat(5)}a`)).toBe(false);
    expect(looksLikeKeyMaterial(`azaz${'AZAZ'.repeat(5)}`)).toBe(true);
    expect(looksLikeKeyMaterial(`aza${'AZAZ'.repeat(5)}A`)).toBe(false);
    // 16 letters and 4 other characters is enough; 15 letters is not
    expect(looksLikeKeyMaterial('AzAzAzAzAzAzAzAz____')).toBe(true);
    expect(looksLikeKeyMaterial('AzAzAzAzAzAzAzA_____')).toBe(false);
  });

  it('characters outside printable ASCII; long tokens with neither a directory nor an extension', () => {
    for (const text of ['caf\u00e9', 'tab\there', 'nul\u0000', 'del\u007f'])
      expect(looksLikeKeyMaterial(text), JSON.stringify(text)).toBe(true);
    expect(looksLikeKeyMaterial('~ printable ~')).toBe(false);
    const token = 'otel_privacy_spool_key_staging_x';
    expect(token).toHaveLength(32);
    expect(looksLikeKeyMaterial(token)).toBe(true);
    expect(looksLikeKeyMaterial(token.slice(1))).toBe(false);
    for (const path of [`${token}/x`, `x\\${token}`, `${token}.key`])
      expect(looksLikeKeyMaterial(path), path).toBe(false);
  });
});

describe('envNameForError', () => {
  it('names plausible variable names, long ones included', () => {
    for (const name of [
      'OTEL_PRIVACY_HMAC_KEY_BILLING',
      '_KEY',
      'k',
      'OtelPrivacySpoolKeyForBilling',
      'deadbeef'.repeat(4).slice(1),
      'OtelPrivacyKeyBilling12',
      'OTELPRIVACYKEYBILLING123',
      'otelprivacykeybilling123',
      'OtelPrivacy_KeyBilling1234',
    ])
      expect(envNameForError(name), name).toBe(name);
  });

  it('withholds what cannot be a name, hex runs and long mixed-case tokens with a digit and no _', () => {
    for (const name of ['1KEY', 'KEY-1', 'A KEY', 'KEY!', '!KEY', 'deadbeef'.repeat(4), 'OtelPrivacyKeyBilling123'])
      expect(envNameForError(name), name).toBe(`(${KEY_LIKE_VALUE_NOT_SHOWN})`);
  });
});

describe('whyNotShown, keyNameForError, keyPathForError', () => {
  it('says why: key material, or the findings with a or an', () => {
    expect(whyNotShown('hex:00')).toBe('looks like key material');
    expect(whyNotShown('jane.doe@example.com')).toBe('holds an email');
    expect(whyNotShown('ordinary-name')).toBeUndefined();
    expect(keyNameForError('hex:00')).toBe('<key not shown: looks like key material>');
    expect(keyNameForError('jane.doe@example.com')).toBe('<key not shown: holds an email>');
    expect(keyNameForError('http.route')).toBe('http.route');
    const why = whyNotShown('call 202-555-0143');
    expect(why).toMatch(/^holds a [a-z-]+/);
  });

  it('a path that names an existing file is shown, relative to baseDir too; otherwise withheld when it looks like a key', () => {
    const sub = join(dir, 'secrets');
    mkdirSync(sub, { recursive: true });
    const name = 'hmacKey1AbCdEfGhIjKlMn';
    writeFileSync(join(sub, name), 'x');
    expect(looksLikeKeyMaterial(name)).toBe(true);
    expect(keyPathForError(name, sub)).toBe(name);
    expect(keyPathForError(join(sub, name))).toBe(join(sub, name));
    expect(keyPathForError(name, dir)).toBe(`(value not shown: looks like key material)`);
    expect(keyPathForError(relative(process.cwd(), join(sub, name)))).toBe(relative(process.cwd(), join(sub, name)));
    expect(keyPathForError('/no/such/dir/jane.doe@example.com')).toBe('(value not shown: holds an email)');
    expect(keyPathForError('/no/such/dir/hmac.key')).toBe('/no/such/dir/hmac.key');
  });
});

describe('readKeyMaterial', () => {
  it('reads an HMAC key of 32 bytes or more from a variable, names the variable when it is unset or empty', () => {
    const key = randomBytes(40);
    setEnv('OTEL_PRIVACY_TEST_KM_HMAC', `base64:${key.toString('base64')}`);
    const material = readKeyMaterial({ id: 'k1', env: 'OTEL_PRIVACY_TEST_KM_HMAC' }, 'hmac', dir);
    expect(material.id).toBe('k1');
    expect(material.bytes).toEqual(key);
    expect(rememberedKeyTexts.has(key.toString('base64'))).toBe(true);
    setEnv('OTEL_PRIVACY_TEST_KM_EMPTY', '');
    for (const env of ['OTEL_PRIVACY_TEST_KM_EMPTY', 'OTEL_PRIVACY_TEST_KM_UNSET']) {
      const read = () => readKeyMaterial({ id: 'k', env }, 'hmac', dir);
      expect(read).toThrow(MissingKeyError);
      expect(read).toThrow(`environment variable ${env} is not set`);
    }
  });

  it('an unset variable whose name looks like a key is refused without naming it, and not as a missing key', () => {
    const env = randomBytes(20).toString('hex');
    let thrown: unknown;
    try {
      readKeyMaterial({ id: 'k', env }, 'hmac', dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(MissingKeyError);
    expect((thrown as Error).message).toBe(
      `${KEY_LIKE_VALUE_NOT_SHOWN}; expected the name of an environment variable holding the key`,
    );
  });

  it('checks the length: an HMAC key needs 32 bytes, an encryption key exactly 32; the source is named', () => {
    setEnv('OTEL_PRIVACY_TEST_KM_SHORT', `hex:${randomBytes(31).toString('hex')}`);
    expect(() => readKeyMaterial({ id: 'k', env: 'OTEL_PRIVACY_TEST_KM_SHORT' }, 'hmac', dir)).toThrow(
      'environment variable OTEL_PRIVACY_TEST_KM_SHORT holds 31 bytes; an HMAC key needs at least 32',
    );
    expect(() => readKeyMaterial({ id: 'k', env: 'OTEL_PRIVACY_TEST_KM_SHORT' }, 'encryption', dir)).toThrow(
      'environment variable OTEL_PRIVACY_TEST_KM_SHORT holds 31 bytes; an encryption key must be exactly 32 bytes (AES-256)',
    );
    setEnv('OTEL_PRIVACY_TEST_KM_LONG', `hex:${randomBytes(33).toString('hex')}`);
    expect(() => readKeyMaterial({ id: 'k', env: 'OTEL_PRIVACY_TEST_KM_LONG' }, 'encryption', dir)).toThrow(
      'holds 33 bytes; an encryption key must be exactly 32 bytes (AES-256)',
    );
    expect(readKeyMaterial({ id: 'k', env: 'OTEL_PRIVACY_TEST_KM_LONG' }, 'hmac', dir).bytes).toHaveLength(33);
    const exact = randomBytes(32);
    setEnv('OTEL_PRIVACY_TEST_KM_EXACT', `hex:${exact.toString('hex')}`);
    expect(readKeyMaterial({ id: 'k', env: 'OTEL_PRIVACY_TEST_KM_EXACT' }, 'encryption', dir).bytes).toEqual(exact);
    expect(readKeyMaterial({ id: 'k', env: 'OTEL_PRIVACY_TEST_KM_EXACT' }, 'hmac', dir).bytes).toEqual(exact);
    setEnv('OTEL_PRIVACY_TEST_KM_BAD', 'hex:zz');
    expect(() => readKeyMaterial({ id: 'k', env: 'OTEL_PRIVACY_TEST_KM_BAD' }, 'hmac', dir)).toThrow(
      /^environment variable OTEL_PRIVACY_TEST_KM_BAD is not valid hex$/,
    );
  });

  it('reads a key file relative to baseDir, passes its bytes to checkFile first, and names it in errors', () => {
    const key = randomBytes(32);
    const file = keyFile(Buffer.concat([key, Buffer.from('\n')]));
    const seen: Buffer[] = [];
    const material = readKeyMaterial({ id: 'f', file: relative(dir, file) }, 'encryption', dir, (bytes) =>
      seen.push(bytes),
    );
    expect(material.bytes).toEqual(key);
    expect(seen).toEqual([Buffer.concat([key, Buffer.from('\n')])]);
    expect(readKeyMaterial({ id: 'f', file }, 'encryption', '/nonexistent-base').bytes).toEqual(key);
    expect(() =>
      readKeyMaterial({ id: 'f', file }, 'encryption', dir, () => {
        throw new Error('manifest mismatch');
      }),
    ).toThrow('manifest mismatch');

    const short = keyFile(`hex:${randomBytes(16).toString('hex')}`);
    expect(() => readKeyMaterial({ id: 'f', file: short }, 'hmac', dir)).toThrow(
      `key file ${short} holds 16 bytes; an HMAC key needs at least 32`,
    );
    const missing = join(dir, 'absent.key');
    let thrown: unknown;
    try {
      readKeyMaterial({ id: 'f', file: 'absent.key' }, 'hmac', dir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MissingKeyError);
    expect((thrown as Error).message).toBe(`cannot read key file ${missing}: ENOENT`);
    const directory = join(dir, 'a-directory.key');
    mkdirSync(directory, { recursive: true });
    expect(() => readKeyMaterial({ id: 'f', file: directory }, 'hmac', dir)).toThrow(
      `cannot read key file ${directory}: not a regular file (a directory)`,
    );
  });

  it('a key-like text given as a file path that is no file is refused without echoing it', () => {
    const text = `base64:${randomBytes(32).toString('base64')}`;
    expect(() => readKeyMaterial({ id: 'f', file: text }, 'encryption', dir)).toThrow(
      `${KEY_LIKE_VALUE_NOT_SHOWN}; expected the path of a file holding the key`,
    );
  });
});

describe('keyMaterial', () => {
  it('prints as its id only; the bytes are not enumerable and the object is frozen', () => {
    const bytes = randomBytes(32);
    const material = keyMaterial('key-7', bytes);
    expect(material.bytes).toBe(bytes);
    expect(inspect(material, { showHidden: true, depth: 5 })).not.toContain(bytes.toString('hex').slice(0, 8));
    expect(String(inspect(material))).toContain('key-7');
    expect(Object.keys(material)).toEqual(['id']);
    expect({ ...material }).toEqual({ id: 'key-7' });
    expect(Object.isFrozen(material)).toBe(true);
  });
});
