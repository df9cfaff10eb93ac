import { decryptToken } from '../../engine/crypto/field-encryption';
import { CliFailure, EXIT, parseCommandLine, required, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';
import { readKeyArgument } from '../key-source';

const HELP = `usage: otel-privacy decrypt --key <file|env:NAME> --attribute <key> <token>... [--json]

Decrypts field-encryption tokens (enc:v1:<keyId>:...) written by a policy's "encrypt" rules, for
authorized recovery. The attribute key the value was stored under is part of the encryption
(associated data), so it must be given: a token copied to another attribute does not decrypt.

  otel-privacy decrypt --key env:OTEL_PRIVACY_ENCRYPTION_KEY --attribute user.email 'enc:v1:e1:...'

Each plaintext is printed on its own line, in the order of the tokens. A token that does not decrypt
(wrong key, wrong attribute, tampered) is reported on stderr and the exit code is 1.

options:
  --key <file|env:NAME>   the 32-byte encryption key: a file, or env:NAME for an environment variable
                          (raw, base64:... or hex:..., as in the policy)
  --attribute <key>       the attribute key the tokens were stored under, e.g. user.email
  --json                  [{"token", "value"} | {"token", "error"}] instead of plain lines
  -h, --help              this text
`;

/** `otel-privacy decrypt`: field-encryption tokens back to their values. */
export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'decrypt field-encryption tokens (authorized recovery)',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      { key: { type: 'string' }, attribute: { type: 'string' }, json: { type: 'boolean' } },
      io,
      { min: 1, max: Infinity },
    );
    if (!args) return EXIT.ok;
    const keyRef = required(args.values.key, 'key');
    const attribute = required(args.values.attribute, 'attribute');
    const key = readKeyArgument(keyRef);
    if (key.length !== 32)
      throw new CliFailure(`the key holds ${key.length} bytes; an encryption key is exactly 32 bytes`);
    const results = args.positionals.map((token) => {
      try {
        return { token, value: decryptToken(token, key, attribute) };
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
