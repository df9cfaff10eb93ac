import { basename } from 'node:path';
import { AtomicOutput } from '../atomic-output';
import { EXIT, parseCommandLine, required, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';
import { buildCollectorConfig } from '../collector-config-builder';
import { loadPolicyArgument } from '../policy-argument';

const HELP = `usage: otel-privacy collector-config --policy <policy> [--out <file>] [--json]

Emits an OpenTelemetry Collector configuration fragment (YAML: a "processors:" map) that enforces the
policy's rules at a gateway tier, for telemetry from services without the SDK processors or as a second
line of defence:

  transform/otel-privacy           resource rules, drop rules, glob allowlists (OTTL)
  redaction/otel-privacy-hash      hash rules: hash_function: hmac-sha256, key from \${env:...}
  redaction/otel-privacy           allowed_keys, blocked_values (value detectors), url_sanitizer, db_sanitizer

Rules the Collector cannot express are written as "NOT EXPRESSED" comments above the processor
concerned; where it cannot do what the SDK does, the fragment removes the data instead. No key material
is ever written: the HMAC key is referenced as an environment variable of the Collector.

options:
  --policy <file>   the policy (YAML or JSON)
  --out <file>      write the YAML there instead of standard output
  --json            {"yaml", "pipelines", "notExpressed"}
  -h, --help        this text
`;

/** `otel-privacy collector-config`: the policy as Collector processors. */
export const collectorConfigCommand: Command = {
  name: 'collector-config',
  summary: 'emit an equivalent OpenTelemetry Collector processors fragment (YAML)',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      { policy: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
      io,
    );
    if (!args) return EXIT.ok;
    const path = required(args.values.policy, 'policy');
    const policy = loadPolicyArgument(path, { ignoreMissingKeys: true });
    const result = buildCollectorConfig(policy, basename(path));
    if (args.values.out !== undefined) {
      const out = new AtomicOutput(args.values.out);
      await out.write(result.yaml);
      await out.commit();
      if (args.values.json)
        writeJson(io.stdout, { out: args.values.out, pipelines: result.pipelines, notExpressed: result.notExpressed });
    } else if (args.values.json) writeJson(io.stdout, result);
    else io.stdout.write(result.yaml);
    return EXIT.ok;
  },
};
