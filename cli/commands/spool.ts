import { createInterface } from 'node:readline';
import { CliFailure, EXIT, UsageError, parseCommandLine, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';
import { inspectSpoolDirectory, purgeSpoolFiles, purgeTargets } from '../spool-directory';
import type { SpoolFileGroup } from '../spool-directory';

const INSPECT_HELP = `usage: otel-privacy spool inspect <dir> [--json]

Reports what an encrypted spool directory holds: batches per signal (files, bytes, age of the oldest
and newest), files in quarantine/, files of the previous format, leftovers of interrupted writes, and
the state file (spool id, key id, delivered marks; shown as written, not verified: no key is read).
Never decrypts and never prints content.

exit code: 0 ok, 1 the directory cannot be read, 2 usage error

options:
  --json        the same as one JSON object (ages in milliseconds)
  -h, --help    this text
`;

const PURGE_HELP = `usage: otel-privacy spool purge <dir> [--yes]

Deletes everything the spool keeps in <dir>: waiting batches, quarantined files, the state file and
leftovers of interrupted writes; other files are left alone. Stop the service using the spool first.
Asks for confirmation on standard input unless --yes is given. Each file is overwritten with zeros
and fsynced before it is unlinked: best effort only, since SSDs and copy-on-write file systems (btrfs,
ZFS, APFS) keep old blocks elsewhere. The contents are encrypted: destroying the spool key is what
makes every copy unreadable (docs/secure-export.md, "Purging a spool").

exit code: 0 purged (or nothing to purge), 1 not confirmed or a file could not be deleted, 2 usage error

options:
  --yes         do not ask
  -h, --help    this text
`;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function age(millis: number | undefined): string {
  if (millis === undefined) return '-';
  const seconds = Math.floor(millis / 1000);
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function group(label: string, g: SpoolFileGroup): string {
  const files = `${g.files} file${g.files === 1 ? '' : 's'}`;
  if (g.files === 0) return `${label.padEnd(12)}${files}`;
  return `${label.padEnd(12)}${files}, ${size(g.bytes)}, oldest ${age(g.oldestAgeMillis)}, newest ${age(g.newestAgeMillis)}`;
}

/** `otel-privacy spool inspect`: counts, sizes and ages of an encrypted spool directory. */
export const spoolInspectCommand: Command = {
  name: 'spool inspect',
  summary: 'counts, sizes and ages of an encrypted spool directory (never its content)',
  help: INSPECT_HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(this, argv, { json: { type: 'boolean' } }, io, { min: 1, max: 1 });
    if (!args) return EXIT.ok;
    const report = inspectSpoolDirectory(args.positionals[0]!);
    if (args.values.json) {
      writeJson(io.stdout, report);
      return EXIT.ok;
    }
    const lines = [`spool ${report.dir}`];
    const { state } = report;
    if (state === undefined) lines.push('  state       none (a new identity is created at the next start)');
    else if ('problem' in state) lines.push(`  state       unusable: ${state.problem} (quarantined at the next start)`);
    else
      lines.push(
        `  state       spool id ${state.spoolId}, key id ${state.keyId}, delivered up to traces ${state.delivered.traces}, metrics ${state.delivered.metrics}, logs ${state.delivered.logs} (as written; not verified)`,
      );
    for (const signal of ['traces', 'metrics', 'logs'] as const)
      lines.push(`  ${group(signal, report.signals[signal])}`);
    lines.push(`  ${group('quarantine', report.quarantine)}`);
    if (report.legacyFiles > 0) lines.push(`  format 1    ${report.legacyFiles} file(s) from the previous version`);
    if (report.unreadableFiles > 0) lines.push(`  unreadable  ${report.unreadableFiles} file(s) named like batches`);
    if (report.tempFiles > 0) lines.push(`  temporary   ${report.tempFiles} file(s) of interrupted writes`);
    if (report.otherFiles > 0) lines.push(`  other       ${report.otherFiles} file(s) not belonging to the spool`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  },
};

/** Reads one line from standard input (empty at end of input). */
function readAnswer(io: CliIO): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.stdin, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve('');
    });
  });
}

/** `otel-privacy spool purge`: deletes a spool directory's files after confirmation. */
export const spoolPurgeCommand: Command = {
  name: 'spool purge',
  summary: 'delete the batches, quarantine and state of a spool directory (asks first)',
  help: PURGE_HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(this, argv, { yes: { type: 'boolean' } }, io, { min: 1, max: 1 });
    if (!args) return EXIT.ok;
    const dir = args.positionals[0]!;
    if (dir.trim() === '') throw new UsageError('the spool directory must not be empty');
    const { paths, bytes, others } = purgeTargets(dir);
    if (paths.length === 0) {
      io.stdout.write(`${dir}: no spool files; nothing deleted\n`);
      return EXIT.ok;
    }
    if (!args.values.yes) {
      io.stderr.write(
        `delete ${paths.length} spool file(s) (${size(bytes)}) in ${dir}, including quarantine and state? This cannot be undone. [y/N] `,
      );
      const answer = (await readAnswer(io)).trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') {
        io.stderr.write('\n');
        throw new CliFailure(`not confirmed; nothing deleted in ${dir}`);
      }
    }
    const { purged, failed } = purgeSpoolFiles(dir, paths);
    io.stdout.write(
      `${dir}: purged ${purged} file(s) (${size(bytes)}), overwritten with zeros before unlinking (best effort on SSDs and copy-on-write file systems; destroy the spool key to make any copy unreadable)${others > 0 ? `; ${others} other file(s) left alone` : ''}\n`,
    );
    if (failed.length > 0) throw new CliFailure(`could not delete ${failed.length} file(s): ${failed.join(', ')}`);
    return EXIT.ok;
  },
};
