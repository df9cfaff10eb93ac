import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { KEY_LENGTH } from '../../engine/crypto/key-material';
import { CliFailure, EXIT, UsageError, parseCommandLine, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';

const HELP = `usage: otel-privacy keygen [--type hmac|encryption] [--json]
       otel-privacy keygen --type recipient|signing --out <prefix> [--json]

hmac, encryption: prints a fresh random key (32 bytes) in the format a policy reads: base64:<key>.
Store it in the environment variable or file the policy's keys.hmac / keys.encryption names:

  otel-privacy keygen --type hmac > /run/secrets/otel-hmac
  export OTEL_PRIVACY_HMAC_KEY="$(otel-privacy keygen)"

recipient, signing: writes a key pair to <prefix>.pem (private key, mode 0600) and <prefix>.pub.pem
(public key) and prints the two paths; the private key is never printed.

  otel-privacy keygen --type recipient --out ops-2026   # X25519: keys.encryption[].recipient: ops-2026.pub.pem
  otel-privacy keygen --type signing --out policy-sign  # Ed25519: otel-privacy sign --key policy-sign.pem

options:
  --type <type>    hmac (keyed pseudonyms, default), encryption (AES-256-GCM field encryption),
                   recipient (X25519 key pair for public-key field encryption: the process that encrypts
                   holds only the public key) or signing (Ed25519 key pair for signed policies)
  --out <prefix>   recipient and signing: where the key pair is written
  --json           {"type", "bytes", "key"} or {"type", "privateKey", "publicKey"} (paths)
  -h, --help       this text
`;

/** `otel-privacy keygen`: a fresh HMAC or encryption key, or a recipient or signing key pair. */
export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'print a fresh HMAC or encryption key (base64:...), or write a recipient/signing key pair',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      { type: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
      io,
    );
    if (!args) return EXIT.ok;
    const type = args.values.type ?? 'hmac';
    if (type === 'recipient' || type === 'signing') {
      const prefix = args.values.out;
      if (!prefix)
        throw new UsageError(`--type ${type} needs --out <prefix> (the private key is written, never printed)`);
      const pair = type === 'recipient' ? generateKeyPairSync('x25519') : generateKeyPairSync('ed25519');
      const privatePath = `${prefix}.pem`;
      const publicPath = `${prefix}.pub.pem`;
      try {
        writeFileSync(privatePath, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }), {
          mode: 0o600,
          flag: 'wx',
        });
        writeFileSync(publicPath, pair.publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o644, flag: 'wx' });
      } catch (err) {
        throw new CliFailure(
          `cannot write the key pair at ${prefix}(.pem, .pub.pem): ${(err as NodeJS.ErrnoException).code ?? 'unwritable'} (existing files are never overwritten)`,
        );
      }
      if (args.values.json) writeJson(io.stdout, { type, privateKey: privatePath, publicKey: publicPath });
      else io.stdout.write(`${privatePath}\n${publicPath}\n`);
      return EXIT.ok;
    }
    if (type !== 'hmac' && type !== 'encryption')
      throw new UsageError(`--type must be hmac, encryption, recipient or signing, not ${JSON.stringify(type)}`);
    if (args.values.out !== undefined) throw new UsageError('--out is for --type recipient or signing');
    const bytes = KEY_LENGTH[type];
    const key = `base64:${randomBytes(bytes).toString('base64')}`;
    if (args.values.json) writeJson(io.stdout, { type, bytes, key });
    else io.stdout.write(`${key}\n`);
    return EXIT.ok;
  },
};
