import { readFileSync } from 'node:fs';
import { diagnosticText } from '../../engine/diagnostic-text';
import { basename, dirname, resolve } from 'node:path';
import { loadPolicy, signedManifestOf } from '../../policy/load-policy';
import type { Policy } from '../../policy/policy';
import { PolicyError } from '../../policy/policy-error';
import type { PolicyIssue } from '../../policy/policy-error';
import { parsePolicyText } from '../../policy/policy-source';
import type { PolicyDocument } from '../../policy/schema';
import { CliFailure, EXIT, UsageError, parseCommandLine, writeJson } from '../cli-command';
import {
  POLICY_IDENTITY_ENV,
  POLICY_PUBLIC_KEY_ENV,
  POLICY_STATE_ENV,
  checkIdentity,
  readPolicyPublicKey,
} from '../../policy/policy-signature';
import type { KeyObject } from 'node:crypto';
import type { CliIO, Command } from '../cli-command';
import { lintPolicy } from '../policy-lint';
import type { LintFinding } from '../policy-lint';

const HELP = `usage: otel-privacy validate <policy> [--json] [--ignore-missing-keys] [--verify]

Checks a policy file: schema errors (with file:line), then lint warnings for policies that load but
probably do not do what was meant:
  - allow patterns that match every key ("*", "**")
  - a key both allowed and hashed, encrypted or dropped (the stronger rule wins; the allow entry is dead)
  - globs that can never match a semantic-convention key (upper case in a semconv namespace, empty segments)
  - "default: mask" or "default: hash" in a block without any rule
  - keys shorter than required (an error) or given as raw text instead of random bytes
  - URL/statement sanitizer attributes the rules drop before the sanitizer runs
  - allowed keys that hold or may hold times (last_login, t0, start, ...) kept at full precision, or under
    values.timestamps: coarsen read by shape only; values.allow texts holding a date-time (never rounded)

exit code: 0 clean, 1 errors or warnings, 2 usage error

  otel-privacy validate privacy.yaml
  otel-privacy validate --ignore-missing-keys privacy.yaml     # in CI, where the key variables are not set
  OTEL_PRIVACY_POLICY_PUBLIC_KEY=policy-signing.pub.pem otel-privacy validate --verify privacy.yaml

options:
  --json                  {"file", "ok", "policyHash", "signed"?, "errors": [...], "warnings": [...]} (each with file,
                          line, path, message; "signed": {name, serial, signedAt} after --verify)
  --ignore-missing-keys   keys whose environment variable is unset or whose file is absent get a throwaway
                          random key for this check, so schema and lint run without secrets (in CI)
  --verify                checks the signed manifest <policy>.sig as a process started with the same
                          variables would: its signature against OTEL_PRIVACY_POLICY_PUBLIC_KEY (PEM or a
                          file path), the digests of the policy and of every file it names, the identity
                          against OTEL_PRIVACY_POLICY_IDENTITY (when set), the serial against
                          OTEL_PRIVACY_POLICY_STATE (when set; read, never written); any mismatch is an error
  -h, --help              this text
`;

/** `otel-privacy validate`: schema errors and lint warnings. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a policy: schema errors (file:line) and lint warnings',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      { json: { type: 'boolean' }, 'ignore-missing-keys': { type: 'boolean' }, verify: { type: 'boolean' } },
      io,
      { min: 1, max: 1 },
    );
    if (!args) return EXIT.ok;
    const path = args.positionals[0]!;
    const file = basename(path);
    const errors: PolicyIssue[] = [];
    let warnings: LintFinding[] = [];
    const notes: string[] = [];
    let policy: Policy | undefined;

    let parsed: { value: unknown; source: ReturnType<typeof parsePolicyText>['source'] } | undefined;
    try {
      parsed = parsePolicyText(readFileSync(path, 'utf8'), file);
    } catch {
      parsed = undefined; // loadPolicy below reports why, with the line
    }
    let publicKey: KeyObject | undefined;
    let identity: string | undefined;
    let stateFile: string | undefined;
    if (args.values.verify) {
      const value = process.env[POLICY_PUBLIC_KEY_ENV]?.trim();
      if (!value)
        throw new UsageError(`--verify needs ${POLICY_PUBLIC_KEY_ENV} (the Ed25519 public key, PEM or a file path)`);
      identity = process.env[POLICY_IDENTITY_ENV]?.trim() || undefined;
      stateFile = process.env[POLICY_STATE_ENV]?.trim() || undefined;
      try {
        publicKey = readPolicyPublicKey(value, POLICY_PUBLIC_KEY_ENV);
        if (identity !== undefined) checkIdentity(identity, POLICY_IDENTITY_ENV);
      } catch (err) {
        throw new CliFailure((err as Error).message);
      }
    }
    try {
      policy = loadPolicy(path, {
        ignoreMissingKeys: args.values['ignore-missing-keys'] === true,
        onMissingKey: (message) => notes.push(message),
        publicKey,
        identity,
        stateFile,
        recordSerial: false,
      });
    } catch (err) {
      if (err instanceof PolicyError) errors.push(...err.issues.map((i) => ({ ...i, file: i.file ?? file })));
      else errors.push({ file, path: '(policy)', message: diagnosticText((err as Error).message) });
    }
    if (policy && parsed)
      // warnings quote the policy (a glob, a key): masked like every diagnostic
      warnings = lintPolicy(parsed.value as PolicyDocument, parsed.source, policy, dirname(resolve(path))).map((w) => ({
        ...w,
        message: diagnosticText(w.message),
      }));

    const ok = errors.length === 0 && warnings.length === 0;
    const manifest = policy && signedManifestOf(policy);
    const signed = manifest && { name: manifest.name, serial: manifest.serial, signedAt: manifest.signedAt };
    if (args.values.json) {
      writeJson(io.stdout, {
        file: path,
        ok,
        policyHash: policy?.hash ?? null,
        ...(signed ? { signed } : {}),
        errors,
        warnings,
        notes,
      });
    } else {
      const where = (f: { file?: string; line?: number }) => `${f.file ?? file}${f.line ? `:${f.line}` : ''}`;
      for (const n of notes) io.stderr.write(`${file}: note: ${n}\n`);
      for (const e of errors) io.stdout.write(`${where(e)}: error: ${e.path}: ${e.message}\n`);
      for (const w of warnings) io.stdout.write(`${where(w)}: warning: ${w.path}: ${w.message}\n`);
      const how = signed
        ? `; signed for ${JSON.stringify(signed.name)}, serial ${signed.serial}, ${signed.signedAt}`
        : '';
      if (ok) io.stdout.write(`${file}: ok (policy hash ${policy!.hash}${how})\n`);
      else
        io.stdout.write(
          `${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}\n`,
        );
    }
    return ok ? EXIT.ok : EXIT.findings;
  },
};
