import { readFileSync } from 'node:fs';
import { decryptToken, parseToken } from '../../engine/crypto/field-encryption';
import { keyMaterial } from '../../engine/crypto/key-material';
import type { KeyMaterial } from '../../engine/crypto/key-material';
import { decryptRecipientToken, parseWrappedKey, unwrapDataKey } from '../../engine/crypto/recipient-encryption';
import { CliFailure, EXIT, UsageError, parseCommandLine, required, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';
import { readKeyArgument } from '../key-source';
import { readKeyRingFile, readPrivateKeyFile } from '../key-ring-file';
import type { PrivateRecipientKey } from '../key-ring-file';

const HELP = `usage: otel-privacy decrypt (--key <file|env:NAME> | --key-ring <file>) --attribute <key>
                            [--data-key <ekw:v2:...|@file>]... <token>... [--json]

Decrypts field-encryption tokens written by a policy's "encrypt" rules, for authorized recovery.
The attribute key the value was stored under is part of the encryption (associated data), so it
must be given: a token copied to another attribute does not decrypt.

  enc:v1:<keyId>:...   shared secret key: --key, or --key-ring (the key is picked by the token's id)
  enc:v2:<dataKey>:... recipient public key: the recipient's private key (--key PEM file, or a
                       privateKey entry of --key-ring) opens the process's wrapped data key, given with
                       --data-key (the privacy.encryption.data_key resource attribute)

  otel-privacy decrypt --key env:OTEL_PRIVACY_ENCRYPTION_KEY --attribute user.email 'enc:v1:e1:...'
  otel-privacy decrypt --key-ring ring.yaml --attribute user.email 'enc:v1:e1:...' 'enc:v1:e2:...'
  otel-privacy decrypt --key ops.pem --data-key 'ekw:v2:ops:...' --attribute user.email 'enc:v2:...'

Each plaintext is printed on its own line, in the order of the tokens. A token that does not decrypt
(wrong key, wrong attribute, tampered, unknown key id) is reported on stderr and the exit code is 1.

options:
  --key <file|env:NAME>   one key: a 32-byte secret key (raw, base64:... or hex:..., as in the policy),
                          or a file holding a recipient's private key (PEM)
  --key-ring <file>       a key ring (YAML or JSON): encryption: [{id, env | file | privateKey}, ...];
                          relative paths are resolved against the ring file's folder
  --data-key <value>      a wrapped data key (ekw:v2:...), or @file with one per line; repeatable
  --attribute <key>       the attribute key the tokens were stored under, e.g. user.email
  --json                  [{"token", "value"} | {"token", "error"}] instead of plain lines
  -h, --help              this text
`;

/** The keys given on the command line. */
interface Keys {
  readonly secret: readonly KeyMaterial[];
  /** A bare `--key` secret: used for any v1 token, whatever its id. */
  readonly bare?: Buffer;
  readonly private: readonly PrivateRecipientKey[];
}

/** Reads `--key`: a PEM private key file, or secret key material. */
function readKeyOption(ref: string): Keys {
  if (!ref.startsWith('env:')) {
    let head: string;
    try {
      head = readFileSync(ref).subarray(0, 64).toString('latin1');
    } catch {
      head = ''; // readKeyArgument reports it
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(head))
      return { secret: [], private: [{ id: '(--key)', key: readPrivateKeyFile(ref, 'key file') }] };
    if (/-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(head))
      throw new CliFailure(`key file ${ref} holds a public key; decrypting enc:v2 tokens needs the private key`);
  }
  const key = readKeyArgument(ref);
  if (key.length !== 32)
    throw new CliFailure(`the key holds ${key.length} bytes; an encryption key is exactly 32 bytes`);
  return { secret: [], bare: key, private: [] };
}

/** Reads the `--data-key` values (`ekw:v2:…`, or `@file` with one per line). */
function readDataKeyOptions(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (v.startsWith('@')) {
      let text: string;
      try {
        text = readFileSync(v.slice(1), 'utf8');
      } catch (err) {
        throw new CliFailure(
          `cannot read data key file ${v.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
      out.push(
        ...text
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#')),
      );
    } else out.push(v);
  }
  return out;
}

/** Opens each wrapped data key with whichever private key it was wrapped for. */
function openDataKeys(wrapped: readonly string[], keys: readonly PrivateRecipientKey[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [i, w] of wrapped.entries()) {
    let parsed;
    try {
      parsed = parseWrappedKey(w);
    } catch (err) {
      throw new CliFailure(`--data-key ${i + 1}: ${(err as Error).message}`);
    }
    // A ring's private keys are picked by the recipient id; a bare --key is tried for every data key.
    const candidates = keys.filter((k) => k.id === parsed.recipientId || k.id === '(--key)');
    if (candidates.length === 0)
      throw new CliFailure(
        `--data-key ${i + 1}: wrapped for recipient "${parsed.recipientId}", and no private key given has that id`,
      );
    let last: Error | undefined;
    for (const k of candidates) {
      try {
        const { id, bytes } = unwrapDataKey(w, k.key);
        out.set(id, bytes);
        last = undefined;
        break;
      } catch (err) {
        last = err as Error;
      }
    }
    if (last) throw new CliFailure(`--data-key ${i + 1}: ${last.message}`);
  }
  return out;
}

/** `otel-privacy decrypt`: field-encryption tokens back to their values. */
export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'decrypt field-encryption tokens (authorized recovery)',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      {
        key: { type: 'string' },
        'key-ring': { type: 'string' },
        'data-key': { type: 'string', multiple: true },
        attribute: { type: 'string' },
        json: { type: 'boolean' },
      },
      io,
      { min: 1, max: Infinity },
    );
    if (!args) return EXIT.ok;
    const attribute = required(args.values.attribute, 'attribute');
    const keyRef = args.values.key;
    const ringPath = args.values['key-ring'];
    if ((keyRef === undefined) === (ringPath === undefined))
      throw new UsageError('give exactly one of --key or --key-ring');
    const keys: Keys = keyRef !== undefined ? readKeyOption(keyRef) : readKeyRingFile(ringPath!);
    const wrapped = readDataKeyOptions((args.values['data-key'] as string[] | undefined) ?? []);
    const dataKeys = wrapped.length > 0 ? openDataKeys(wrapped, keys.private) : new Map<string, Buffer>();

    const results = args.positionals.map((token) => {
      try {
        const parsed = parseToken(token);
        if (parsed.version === 2) {
          if (keys.private.length === 0)
            throw new Error(
              'an enc:v2 token needs the recipient private key (--key PEM file or a privateKey ring entry)',
            );
          return { token, value: decryptRecipientToken(token, dataKeys, attribute) };
        }
        if (keys.bare !== undefined)
          return { token, value: decryptToken(token, keyMaterial(parsed.keyId, keys.bare), attribute) };
        return { token, value: decryptToken(token, keys.secret, attribute) };
      } catch (err) {
        return { token, error: (err as Error).message };
      }
    });
    const failed = results.filter((r) => 'error' in r).length;
    if (args.values.json) writeJson(io.stdout, results);
    else {
      results.forEach((r, i) => {
        if ('value' in r) io.stdout.write(`${r.value}\n`);
        else io.stderr.write(`otel-privacy decrypt: token ${i + 1}: ${r.error}\n`);
      });
    }
    return failed > 0 ? EXIT.findings : EXIT.ok;
  },
};
