// Command-line options of the long-running scripts (fuzz, soak): `--name value` numbers, parsed with node:util
// parseArgs (unknown options are errors), each checked against its kind; a bad one ends the script with one line and
// exit code 2.
import { parseArgs } from 'node:util';

/**
 * Parses `argv` against `spec` (`{ name: { kind: 'integer' | 'positive', default?: number } }`, plus `flags`: names of
 * boolean options) and returns `{ name: number | undefined, ...flags: boolean }`.
 */
export function parseNumericOptions(command, argv, spec, flags = []) {
  const options = Object.fromEntries([
    ...Object.keys(spec).map((name) => [name, { type: 'string' }]),
    ...flags.map((name) => [name, { type: 'boolean', default: false }]),
  ]);
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (err) {
    fail(command, err.message);
  }
  const result = {};
  for (const [name, { kind, default: fallback }] of Object.entries(spec)) {
    if (values[name] === undefined) {
      result[name] = fallback;
      continue;
    }
    const value = Number(values[name]);
    const ok = kind === 'integer' ? Number.isInteger(value) : Number.isFinite(value) && value > 0;
    if (!ok) fail(command, `--${name} expects ${kind === 'integer' ? 'an integer' : 'a positive number'}`);
    result[name] = value;
  }
  for (const name of flags) result[name] = values[name];
  return result;
}

function fail(command, message) {
  process.stderr.write(`${command}: ${message.split('\n')[0]}\n`);
  process.exit(2);
}
