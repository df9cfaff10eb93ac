import { randomBytes } from 'node:crypto';
import { KEY_LENGTH } from '../../engine/crypto/key-material';
import { EXIT, UsageError, parseCommandLine, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';

const HELP = `usage: otel-privacy keygen [--type hmac|encryption] [--json]

Prints a fresh random key (32 bytes) in the format a policy reads: base64:<key>.
Store it in the environment variable or file the policy's keys.hmac / keys.encryption names:

  otel-privacy keygen --type hmac > /run/secrets/otel-hmac
  export OTEL_PRIVACY_HMAC_KEY="$(otel-privacy keygen)"

options:
  --type hmac|encryption   hmac (keyed pseudonyms, default) or encryption (AES-256-GCM field encryption)
  --json                   {"type", "bytes", "key"} instead of the bare key
  -h, --help               this text
`;

/** `otel-privacy keygen`: a fresh HMAC or encryption key in the policy's key format. */
export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'print a fresh HMAC or encryption key (base64:...)',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(this, argv, { type: { type: 'string' }, json: { type: 'boolean' } }, io);
    if (!args) return EXIT.ok;
    const type = args.values.type ?? 'hmac';
    if (type !== 'hmac' && type !== 'encryption')
      throw new UsageError(`--type must be hmac or encryption, not ${JSON.stringify(type)}`);
    const bytes = KEY_LENGTH[type];
    const key = `base64:${randomBytes(bytes).toString('base64')}`;
    if (args.values.json) writeJson(io.stdout, { type, bytes, key });
    else io.stdout.write(`${key}\n`);
    return EXIT.ok;
  },
};
