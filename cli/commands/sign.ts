import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SIGNATURE_SUFFIX, signPolicyFile } from '../../policy/policy-signature';
import type { SignedPolicy } from '../../policy/policy-signature';
import { keyPathForError } from '../../engine/crypto/key-material';
import { CliFailure, EXIT, UsageError, parseCommandLine, required, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';

const HELP = `usage: otel-privacy sign --key <private-key.pem> [--name <identity>] [--serial <n>] <policy> [--json]

Writes <policy>.sig: a manifest signed with Ed25519. The manifest holds the policy's identity (--name, or
the policy's "name:"), a serial, the signing time, and the SHA-256 of the policy file and of every file
it names (keys.*.file, keys.encryption.recipient, consent.optOut.file, paths as written). A process
started with OTEL_PRIVACY_POLICY_PUBLIC_KEY refuses, at start and on hot reload, a policy whose manifest
does not verify, whose policy or referenced file differs from its digest, whose identity is not
OTEL_PRIVACY_POLICY_IDENTITY (when set), or whose serial is below one it already accepted (rollback).

  otel-privacy keygen --type signing --out policy-signing     # policy-signing.pem + policy-signing.pub.pem
  otel-privacy sign --key policy-signing.pem --name checkout privacy.yaml     # writes privacy.yaml.sig
  OTEL_PRIVACY_POLICY_PUBLIC_KEY=policy-signing.pub.pem otel-privacy validate --verify privacy.yaml

Sign after the last edit of the policy or of any file it names (a new opt-out filter, a new key file).

options:
  --key <file>        the Ed25519 private key (PEM, from otel-privacy keygen --type signing)
  --name <identity>   the identity written into the manifest (default: the policy's "name:"; one is
                      required; when both are given they must be equal)
  --serial <n>        the serial (default: the time in seconds since 1970, or one more than the serial
                      of the manifest already in <policy>.sig if higher; that one counts when it verifies
                      with this key and has the same identity); must be above that one's
  --json              {"policy", "signature", "name", "serial", "signedAt", "files": [{"field", "path"}]}
  -h, --help          this text
`;

/** `otel-privacy sign`: a signed manifest of a policy and the files it names. */
export const signCommand: Command = {
  name: 'sign',
  summary: 'sign a policy and the files it names (<policy>.sig: identity, serial, digests)',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      { key: { type: 'string' }, name: { type: 'string' }, serial: { type: 'string' }, json: { type: 'boolean' } },
      io,
      { min: 1, max: 1 },
    );
    if (!args) return EXIT.ok;
    const keyPath = required(args.values.key, 'key');
    if (keyPathForError(keyPath) !== keyPath)
      throw new UsageError('--key: give the path of the private key file, never the key itself');
    let serial: number | undefined;
    if (args.values.serial !== undefined) {
      if (!/^[1-9][0-9]{0,15}$/.test(args.values.serial) || !Number.isSafeInteger(Number(args.values.serial)))
        throw new UsageError(`--serial ${JSON.stringify(args.values.serial)}: expected a positive integer`);
      serial = Number(args.values.serial);
    }
    const policyPath = args.positionals[0]!;
    let key: Buffer;
    try {
      key = readFileSync(keyPath);
    } catch (err) {
      throw new CliFailure(
        `cannot read key file ${keyPathForError(keyPath)}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      );
    }
    let signed: SignedPolicy;
    try {
      signed = signPolicyFile(policyPath, key, { name: args.values.name, serial });
    } catch (err) {
      const message = (err as Error).message;
      throw new CliFailure(message.startsWith('the signing key') ? `key file ${keyPath}: ${message}` : message);
    } finally {
      key.fill(0);
    }
    const out = `${policyPath}${SIGNATURE_SUFFIX}`;
    // Written whole and renamed over the old one, so a watching process never reads half a manifest.
    // The policy's folder may be writable by others: an unguessable name, created exclusively, so a symlink planted
    // there is never written through.
    const temporary = join(dirname(out), `.${basename(out)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeFileSync(temporary, signed.text, { mode: 0o644, flag: 'wx' });
      renameSync(temporary, out);
    } catch (err) {
      rmSync(temporary, { force: true });
      throw new CliFailure(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? 'unwritable'}`);
    }
    const { name, serial: written, signedAt, files } = signed.manifest;
    if (args.values.json)
      writeJson(io.stdout, {
        policy: policyPath,
        signature: out,
        name,
        serial: written,
        signedAt,
        files: files.map(({ field, path }) => ({ field, path })),
      });
    else
      io.stdout.write(
        `${out}: ${JSON.stringify(name)} serial ${written}, ${files.length} referenced file${files.length === 1 ? '' : 's'}\n`,
      );
    return EXIT.ok;
  },
};
