import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

/** Where a command reads and writes (the process streams, or others in tests). */
export interface CliIO {
  /** Standard input (for `--in -`). */
  readonly stdin: NodeJS.ReadableStream;
  /** Results. */
  readonly stdout: NodeJS.WritableStream;
  /** Errors, warnings and reports that must not mix with results on stdout. */
  readonly stderr: NodeJS.WritableStream;
}

/** Exit codes of every command: 0 ok, 1 findings or failure, 2 usage error (scripts and CI branch on them). */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A wrong command line: printed as one line plus the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can act on (bad input, unreadable file): printed as one line, exit code 1. */
export class CliFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliFailure';
  }
}

/** One `otel-privacy` command. */
export interface Command {
  /** The word after `otel-privacy`, e.g. `scan` (`audit verify` for sub-commands). */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/** Options every command accepts. */
const COMMON = { help: { type: 'boolean', short: 'h' } } as const;

/** The parsed command line of one command, or `undefined` when `--help` was asked for (already printed). */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(
  command: Pick<Command, 'help'>,
  argv: readonly string[],
  options: O,
  io: CliIO,
  positionals: { min: number; max: number } = { min: 0, max: 0 },
):
  | {
      values: {
        [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K] extends { multiple: true } ? string[] : string;
      };
      positionals: string[];
    }
  | undefined {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    // node:util messages are multi-line and mention "parseArgs"; keep the first sentence.
    const message = (err as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(message);
  }
  if ((parsed.values as Record<string, unknown>).help) {
    io.stdout.write(`${command.help.trimEnd()}\n`);
    return undefined;
  }
  const n = parsed.positionals.length;
  if (n < positionals.min)
    throw new UsageError(positionals.min === 1 ? 'missing argument' : `expected at least ${positionals.min} arguments`);
  if (n > positionals.max)
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals.max])}`);
  return parsed as never;
}

/** Reads a required string option or throws a usage error naming it. */
export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** Writes `value` as one line of JSON. */
export function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
