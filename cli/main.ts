#!/usr/bin/env node
/**
 * The `otel-privacy` command: dispatches to one command per file in `cli/commands/`.
 * Exit codes: 0 ok, 1 findings or failure, 2 usage error. Errors are one line, never a stack trace.
 */
import { auditVerifyCommand } from './commands/audit-verify';
import { consentBuildCommand } from './commands/consent-build';
import { subjectCommand } from './commands/subject';
import { collectorConfigCommand } from './commands/collector-config';
import { decryptCommand } from './commands/decrypt';
import { explainCommand } from './commands/explain';
import { keygenCommand } from './commands/keygen';
import { scanCommand } from './commands/scan';
import { spoolInspectCommand, spoolPurgeCommand } from './commands/spool';
import { signCommand } from './commands/sign';
import { validateCommand } from './commands/validate';
import { diagnosticText } from '../engine/diagnostic-text';
import { EXIT, UsageError } from './cli-command';
import { SCAN_NODE_FLAGS, rerunWithNodeFlags } from './tuned-node-process';
import type { CliIO, Command } from './cli-command';

const COMMANDS: readonly Command[] = [
  validateCommand,
  scanCommand,
  explainCommand,
  keygenCommand,
  decryptCommand,
  signCommand,
  collectorConfigCommand,
  auditVerifyCommand,
  spoolInspectCommand,
  spoolPurgeCommand,
  consentBuildCommand,
  subjectCommand,
];

const USAGE = `usage: otel-privacy <command> [options]   (otel-privacy <command> --help for details)

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(18)}${c.summary}`).join('\n')}
`;

/** One line for any error: its message without a stack, newlines folded. */
function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return diagnosticText(message.replace(/\s*\n\s*/g, ' ').trim()) || 'unknown error';
}

/** Finds the command named by the first one or two words; the rest are its arguments. */
function pick(argv: readonly string[]): { command: Command; rest: readonly string[] } | undefined {
  for (const c of COMMANDS) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command: c, rest: argv.slice(words.length) };
  }
  return undefined;
}

async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    (first === undefined ? io.stderr : io.stdout).write(
      first === undefined ? `otel-privacy: no command given\n${USAGE}` : USAGE,
    );
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  const found = pick(argv);
  if (found === undefined) {
    const hint =
      first === 'audit'
        ? ' (did you mean "audit verify"?)'
        : first === 'spool'
          ? ' (did you mean "spool inspect" or "spool purge"?)'
          : first === 'consent'
            ? ' (did you mean "consent build"?)'
            : '';
    const words = first === 'audit' || first === 'spool' || first === 'consent' ? 2 : 1;
    io.stderr.write(`otel-privacy: unknown command ${JSON.stringify(argv.slice(0, words).join(' '))}${hint}\n${USAGE}`);
    return EXIT.usage;
  }
  const { command, rest } = found;
  if (command === scanCommand && !rest.includes('--help') && !rest.includes('-h')) {
    const child = rerunWithNodeFlags(SCAN_NODE_FLAGS, argv);
    if (child !== undefined) return child;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(
        `otel-privacy ${command.name}: ${oneLine(err)}\n(otel-privacy ${command.name} --help shows the usage)\n`,
      );
      return EXIT.usage;
    }
    io.stderr.write(`otel-privacy ${command.name}: ${oneLine(err)}\n`);
    return EXIT.findings;
  }
}

const io: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
// A closed pipe (`otel-privacy scan … | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
process.on('uncaughtException', (err) => {
  process.stderr.write(`otel-privacy: ${oneLine(err)}\n`);
  process.exit(EXIT.findings);
});

main(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
  // Test hook: peak resident memory of this run, for the streaming bound (KiB, as the OS reports it).
  if (process.env.OTEL_PRIVACY_CLI_REPORT_MAXRSS === '1') {
    const m = process.memoryUsage();
    process.stderr.write(
      `otel-privacy: maxRSS ${process.resourceUsage().maxRSS} KiB (now: rss ${m.rss >> 20} MiB, heap ${m.heapUsed >> 20}/${m.heapTotal >> 20} MiB, external ${m.external >> 20} MiB)\n`,
    );
  }
});
