import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { loadPolicy } from '../../policy/load-policy';
import type { Policy } from '../../policy/policy';
import { PolicyError } from '../../policy/policy-error';
import type { PolicyIssue } from '../../policy/policy-error';
import { parsePolicyText } from '../../policy/policy-source';
import type { PolicyDocument } from '../../policy/schema';
import { CliFailure, EXIT, UsageError, parseCommandLine, writeJson } from '../cli-command';
import { POLICY_PUBLIC_KEY_ENV, readPolicyPublicKey } from '../../policy/policy-signature';
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

exit code: 0 clean, 1 errors or warnings, 2 usage error

  otel-privacy validate privacy.yaml
  otel-privacy validate --ignore-missing-keys privacy.yaml     # in CI, where the key variables are not set
  otel-privacy validate --verify privacy.yaml                  # also checks privacy.yaml.sig

options:
  --json                  {"file", "ok", "policyHash", "errors": [...], "warnings": [...]} (each with file, line, path, message)
  --ignore-missing-keys   keys whose environment variable is unset or whose file is absent get a throwaway
                          random key for this check, so schema and lint run without secrets (in CI)
  --verify                checks the detached signature <policy>.sig against the Ed25519 public key in
                          OTEL_PRIVACY_POLICY_PUBLIC_KEY (PEM or a file path), as a process started with
                          it would; a missing or bad signature is an error
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
    if (args.values.verify) {
      const value = process.env[POLICY_PUBLIC_KEY_ENV]?.trim();
      if (!value)
        throw new UsageError(`--verify needs ${POLICY_PUBLIC_KEY_ENV} (the Ed25519 public key, PEM or a file path)`);
      try {
        publicKey = readPolicyPublicKey(value, POLICY_PUBLIC_KEY_ENV);
      } catch (err) {
        throw new CliFailure((err as Error).message);
      }
    }
    try {
      policy = loadPolicy(path, {
        ignoreMissingKeys: args.values['ignore-missing-keys'] === true,
        onMissingKey: (message) => notes.push(message),
        publicKey,
      });
    } catch (err) {
      if (err instanceof PolicyError) errors.push(...err.issues.map((i) => ({ ...i, file: i.file ?? file })));
      else errors.push({ file, path: '(policy)', message: (err as Error).message });
    }
    if (policy && parsed)
      warnings = lintPolicy(parsed.value as PolicyDocument, parsed.source, policy, dirname(resolve(path)));

    const ok = errors.length === 0 && warnings.length === 0;
    if (args.values.json) {
      writeJson(io.stdout, { file: path, ok, policyHash: policy?.hash ?? null, errors, warnings, notes });
    } else {
      const where = (f: { file?: string; line?: number }) => `${f.file ?? file}${f.line ? `:${f.line}` : ''}`;
      for (const n of notes) io.stderr.write(`${file}: note: ${n}\n`);
      for (const e of errors) io.stdout.write(`${where(e)}: error: ${e.path}: ${e.message}\n`);
      for (const w of warnings) io.stdout.write(`${where(w)}: warning: ${w.path}: ${w.message}\n`);
      if (ok) io.stdout.write(`${file}: ok (policy hash ${policy!.hash})\n`);
      else
        io.stdout.write(
          `${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}\n`,
        );
    }
    return ok ? EXIT.ok : EXIT.findings;
  },
};
