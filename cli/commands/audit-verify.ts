import { readFileSync } from 'node:fs';
import { verifyAuditLog } from '../../instrumentation/audit-log';
import { CliFailure, EXIT, UsageError, parseCommandLine, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';

const HELP = `usage: otel-privacy audit verify <audit-log> [--head <sha256>] [--json]

Checks a policy audit log (OTEL_PRIVACY_AUDIT_LOG): every line must be a well-formed entry whose
"prev" is the SHA-256 of the line before it (64 zeros for the first line). Names the first line that
fails: an edited line shows up at the line after it, a removed line at the line that followed it.
Prints the head (SHA-256 of the last line); record it elsewhere and pass it later with --head to also
detect lines removed from the end.

exit code: 0 the chain holds, 1 it is broken (or the file cannot be read), 2 usage error

options:
  --head <sha256>   a head printed by an earlier run: some line must still hash to it
  --json            {"ok", "lines", "head", "firstBad": {"line", "reason"}}
  -h, --help        this text
`;

/** `otel-privacy audit verify`: checks the hash chain of a policy audit log. */
export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'check the hash chain of a policy audit log',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(this, argv, { head: { type: 'string' }, json: { type: 'boolean' } }, io, {
      min: 1,
      max: 1,
    });
    if (!args) return EXIT.ok;
    const head = args.values.head;
    if (head !== undefined && !/^[0-9a-f]{64}$/.test(head))
      throw new UsageError('--head must be a SHA-256 hex digest (64 hex digits)');
    const file = args.positionals[0]!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliFailure(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
        cause: err,
      });
    }
    const result = verifyAuditLog(text, head);
    if (args.values.json) writeJson(io.stdout, result);
    else if (result.ok)
      io.stdout.write(`${file}: ok, ${result.lines} line${result.lines === 1 ? '' : 's'}, head ${result.head}\n`);
    else io.stderr.write(`${file}:${result.firstBad!.line}: ${result.firstBad!.reason}\n`);
    return result.ok ? EXIT.ok : EXIT.findings;
  },
};
