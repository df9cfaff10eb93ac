#!/usr/bin/env node
// `npm test`: every check the project runs, in the order their inputs allow, with independent steps side by side.
//   1. type check (tsc), lint (eslint), formatting (prettier) and the build (tsup) at the same time: none reads what
//      another writes (dist/ is ignored by the first three), and each is one single-threaded process, so on two
//      cores two of them run at once for free;
//   2. the vitest suite (needs the build: doc, register and consumer-import tests run dist/), and beside it the API
//      report check (reads the build's declarations only);
//   3. the consumer tests on the build just made (--no-build: it was built in step 1; mostly waiting on the registry
//      and on child processes), and beside them the benchmark smoke run (`bench/run.mjs --quick`: it only proves every
//      scenario still runs, its figures are meaningless anyway).
// A step's output is printed whole when it ends (parallel output is never interleaved), then one line with its
// time. The run stops at the first failing phase and exits with its status. The step times at the end show where
// the time goes (see CONTRIBUTING.md, "Test run time").
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const phases = [
  [
    { name: 'typecheck', cmd: bin('tsc'), args: ['--noEmit'] },
    { name: 'lint', cmd: bin('eslint'), args: ['.'] },
    { name: 'format:check', cmd: bin('prettier'), args: ['--check', '.'] },
    { name: 'build', cmd: bin('tsup'), args: [] },
  ],
  [
    { name: 'vitest', cmd: bin('vitest'), args: ['run'], live: true },
    { name: 'api:check', cmd: bin('api-extractor'), args: ['run'] },
  ],
  [
    {
      name: 'test:consumer',
      cmd: process.execPath,
      args: [join(root, 'scripts/consumer-test.mjs'), '--no-build'],
      live: true,
    },
    { name: 'bench --quick', cmd: process.execPath, args: [join(root, 'bench/run.mjs'), '--quick'] },
  ],
];

const times = [];
const started = Date.now();

/** Runs one step; a `live` step (one per phase) streams its output, the others are buffered. */
function runStep({ name, cmd, args, live }) {
  return new Promise((resolve) => {
    const stepStarted = Date.now();
    const child = spawn(cmd, args, { cwd: root, stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    const output = [];
    if (!live) {
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
    }
    let finished = false;
    const finish = (code) => {
      if (finished) return; // 'error' (the command could not start) may be followed by 'close'
      finished = true;
      const seconds = (Date.now() - stepStarted) / 1000;
      times.push([name, seconds]);
      if (!live) process.stdout.write(Buffer.concat(output));
      process.stdout.write(
        `\n── ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s\n\n`,
      );
      resolve(code);
    };
    child.on('error', (error) => {
      output.push(Buffer.from(`${error.message}\n`));
      finish(127);
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

function summary() {
  const total = ((Date.now() - started) / 1000).toFixed(1);
  const steps = times.map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s`).join(', ');
  process.stdout.write(`npm test: ${total} s (${steps})\n`);
}

for (const phase of phases) {
  const codes = await Promise.all(phase.map(runStep));
  const failed = codes.find((code) => code !== 0);
  if (failed !== undefined) {
    summary();
    process.exit(failed);
  }
}
summary();
