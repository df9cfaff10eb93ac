#!/usr/bin/env node
/**
 * The `otel-privacy` command (SPEC §9). Commands are added in `cli/`; this entry only dispatches.
 */
const USAGE = 'usage: otel-privacy <validate|scan|explain|keygen|decrypt|collector-config|audit> [options] (--help on any command)';

process.stderr.write(`otel-privacy: no command given\n${USAGE}\n`);
process.exitCode = 2;
