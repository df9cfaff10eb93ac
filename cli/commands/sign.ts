import { readFileSync, writeFileSync } from 'node:fs';
import { SIGNATURE_SUFFIX, signPolicyBytes } from '../../policy/policy-signature';
import { keyPathForError } from '../../engine/crypto/key-material';
import { CliFailure, EXIT, UsageError, parseCommandLine, required, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';

const HELP = `usage: otel-privacy sign --key <private-key.pem> <policy> [--json]

Writes a detached Ed25519 signature of the policy file's exact bytes next to it (<policy>.sig, one
line "ed25519:<base64>"). A process started with OTEL_PRIVACY_POLICY_PUBLIC_KEY refuses a policy
without a valid signature, at start and on hot reload; check one with "validate --verify".

  otel-privacy keygen --type signing --out policy-signing     # policy-signing.pem + policy-signing.pub.pem
  otel-privacy sign --key policy-signing.pem privacy.yaml      # writes privacy.yaml.sig
  OTEL_PRIVACY_POLICY_PUBLIC_KEY=policy-signing.pub.pem otel-privacy validate --verify privacy.yaml

Sign after the last edit: any change to the file (even whitespace) invalidates the signature.

options:
  --key <file>   the Ed25519 private key (PEM, from otel-privacy keygen --type signing)
  --json         {"policy", "signature"} (the signature file's path)
  -h, --help     this text
`;

/** `otel-privacy sign`: a detached Ed25519 signature for a policy file. */
export const signCommand: Command = {
  name: 'sign',
  summary: 'write a detached Ed25519 signature next to a policy (<policy>.sig)',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(this, argv, { key: { type: 'string' }, json: { type: 'boolean' } }, io, {
      min: 1,
      max: 1,
    });
    if (!args) return EXIT.ok;
    const keyPath = required(args.values.key, 'key');
    if (keyPathForError(keyPath) !== keyPath)
      throw new UsageError('--key: give the path of the private key file, never the key itself');
    const policyPath = args.positionals[0]!;
    let key: Buffer;
    try {
      key = readFileSync(keyPath);
    } catch (err) {
      throw new CliFailure(`cannot read key file ${keyPath}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
    let policy: Buffer;
    try {
      policy = readFileSync(policyPath);
    } catch (err) {
      throw new CliFailure(`cannot read policy ${policyPath}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
    let signature: string;
    try {
      signature = signPolicyBytes(policy, key);
    } catch (err) {
      throw new CliFailure(`key file ${keyPath}: ${(err as Error).message}`);
    } finally {
      key.fill(0);
    }
    const out = `${policyPath}${SIGNATURE_SUFFIX}`;
    try {
      writeFileSync(out, signature, { mode: 0o644 });
    } catch (err) {
      throw new CliFailure(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? 'unwritable'}`);
    }
    if (args.values.json) writeJson(io.stdout, { policy: policyPath, signature: out });
    else io.stdout.write(`${out}\n`);
    return EXIT.ok;
  },
};
