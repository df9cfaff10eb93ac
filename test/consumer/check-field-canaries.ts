/**
 * The consumer tests' field-canary checks (scripts/consumer-test.mjs runs this with tsx from the repository, on the
 * dev install), so the packed package's register hook on each OpenTelemetry line is held to the same checks as
 * test/assurance/register-field-canaries.test.ts (`checkRegisterRun`, test/assurance/field-canaries.ts):
 * - `inputs`: prints one JSON line `{ env, args }`, what the app (the bundled test/assurance/testdata/
 *   field-canary-app.ts) is started with besides the exporter settings;
 * - `check <file>`: reads `{ stdout, requests: [{ signal, decoded, bytes (base64) }] }` (what the app printed, what
 *   the receiver got), checks it under the suite's policy (field-canary-policy.yaml) with the key in `OTEL_PRIVACY_HMAC_KEY`, prints one JSON
 *   line `{ fields, problems }` and exits 1 when there is a problem.
 */
import { readFileSync } from 'node:fs';
import { canaryPolicy, checkRegisterRun, registerRunInputs } from '../assurance/field-canaries';
import type { Signal } from '../assurance/field-canaries';

const [command, file] = process.argv.slice(2);
if (command === 'inputs') {
  process.stdout.write(`${JSON.stringify(registerRunInputs())}\n`);
} else if (command === 'check' && file !== undefined) {
  const run = JSON.parse(readFileSync(file, 'utf8')) as {
    stdout: string;
    requests: { signal: Signal; decoded: unknown; bytes: string }[];
  };
  const requests = run.requests.map((r) => ({ ...r, bytes: Buffer.from(r.bytes, 'base64') }));
  const result = checkRegisterRun(run.stdout, requests, canaryPolicy());
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.problems.length > 0 ? 1 : 0;
} else {
  process.stderr.write('usage: check-field-canaries.ts inputs | check <file>\n');
  process.exitCode = 2;
}
