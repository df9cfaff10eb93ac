import { createReadStream, openSync } from 'node:fs';
import { once } from 'node:events';
import { AtomicOutput } from '../atomic-output';
import { CliFailure, EXIT, UsageError, parseCommandLine, required, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';
import { DEFAULT_MAX_DOCUMENT_BYTES, readOtlpRequests } from '../otlp-input';
import { OtlpShapeError } from '../otlp-any-value';
import { OtlpJsonRedactor, SIGNAL_KEYS, detectSignals, unknownTopLevelKey } from '../otlp-json-redactor';
import type { OtlpSignal } from '../otlp-json-redactor';
import { loadPolicyArgument } from '../policy-argument';
import { ScanReport } from '../scan-report';

const HELP = `usage: otel-privacy scan --policy <policy> --in <file|-> [--out <file|->] [--signal traces|metrics|logs]
                         [--json] [--fail-on-findings] [--max-document-mb <n>]

Applies a policy to OTLP/JSON telemetry with the same engine the processors use, writes the sanitized
OTLP/JSON, and reports per key what happened to the values (kept, dropped, hashed, encrypted, masked,
generalized) and which value detectors and URL/SQL sanitizers changed values.

Input: OTLP/JSON export requests, either one per line (what the Collector's file exporter writes;
streamed, memory stays flat whatever the file size) or one JSON document (read whole, up to
--max-document-mb). The signals are taken from each request's top-level keys (resourceSpans,
resourceMetrics, resourceLogs; every one present is sanitized); a request with any other top-level
key is refused. Spans, events, links, status messages, metric points (and exemplars), log records
(attributes, body, event name, severity text), scopes (name, version, attributes), resources, schema
URLs and metric names, descriptions and units are sanitized; trace state keeps only the ot member;
entity references, metric metadata, any field OTLP does not define, ids that are not hex ids and
numbers, enums or flags that are not of their type are removed; the rest of the numbers,
timestamps, ids and flags are written as they were, except that log record times and span event times
are rounded down by logs.timestampPrecision and traces.eventTimestampPrecision, as the processors do.
Log records below logs.minSeverity or not kept by logs.sampling.ratio are left out, as the log processor does.

The output file appears only when the whole input was read: malformed input stops with the line
number, exit code 1, and no output file.

  otel-privacy scan --policy privacy.yaml --in traces.jsonl --out clean.jsonl
  otel-privacy scan --policy privacy.yaml --in - --json < captured.json

options:
  --policy <file>         the policy (YAML or JSON)
  --in <file|->           the OTLP/JSON input; - reads standard input
  --out <file|->          where to write sanitized OTLP/JSON (- for standard output; the report then goes
                          to standard error); without --out only the report is printed
  --signal <s>            traces, metrics or logs: every request must carry this signal and no other
  --json                  the report as JSON
  --fail-on-findings      exit code 1 when a value detector found something in values the policy keeps
                          (any signal, any scanned field, whether the finding was masked or dropped)
  --max-document-mb <n>   largest single (not line-delimited) JSON document read into memory (default ${DEFAULT_MAX_DOCUMENT_BYTES / 1048576})
  -h, --help              this text
`;

async function writeTo(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** `otel-privacy scan`: the policy applied to OTLP/JSON, with a report of what it changed. */
export const scanCommand: Command = {
  name: 'scan',
  summary: 'apply a policy to OTLP/JSON (file exporter output) and report what changed',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      {
        policy: { type: 'string' },
        in: { type: 'string' },
        out: { type: 'string' },
        signal: { type: 'string' },
        json: { type: 'boolean' },
        'fail-on-findings': { type: 'boolean' },
        'max-document-mb': { type: 'string' },
      },
      io,
    );
    if (!args) return EXIT.ok;
    const policyPath = required(args.values.policy, 'policy');
    const inPath = required(args.values.in, 'in');
    const forced = args.values.signal as OtlpSignal | undefined;
    if (forced !== undefined && !(forced in SIGNAL_KEYS))
      throw new UsageError(`--signal must be traces, metrics or logs, not ${JSON.stringify(forced)}`);
    let maxBytes = DEFAULT_MAX_DOCUMENT_BYTES;
    if (args.values['max-document-mb'] !== undefined) {
      const mb = Number(args.values['max-document-mb']);
      if (!Number.isFinite(mb) || mb <= 0) throw new UsageError('--max-document-mb must be a positive number');
      maxBytes = mb * 1048576;
    }
    const policy = loadPolicyArgument(policyPath);

    const name = inPath === '-' ? '(stdin)' : inPath;
    let input: NodeJS.ReadableStream;
    if (inPath === '-') input = io.stdin;
    else {
      let fd: number;
      try {
        fd = openSync(inPath, 'r');
      } catch (err) {
        throw new CliFailure(
          `cannot read ${inPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
          { cause: err },
        );
      }
      input = createReadStream('', { fd, highWaterMark: 1 << 20 });
    }

    const outPath = args.values.out;
    const file = outPath !== undefined && outPath !== '-' ? new AtomicOutput(outPath) : undefined;
    const write = file
      ? (t: string) => file.write(t)
      : outPath === '-'
        ? (t: string) => writeTo(io.stdout, t)
        : undefined;
    const reportStream = outPath === '-' ? io.stderr : io.stdout;

    const report = new ScanReport(policy);
    const sanitizer = new OtlpJsonRedactor(policy, report);
    try {
      for await (const { request, line } of readOtlpRequests(input, name, maxBytes)) {
        const found = detectSignals(request);
        if (found.length === 0)
          throw new CliFailure(
            `${name}:${line}: not an OTLP export request (no resourceSpans, resourceMetrics or resourceLogs)`,
          );
        if (forced !== undefined) {
          const others = found.filter((s) => s !== forced).map((s) => SIGNAL_KEYS[s]);
          if (!found.includes(forced))
            throw new CliFailure(
              `${name}:${line}: expected ${SIGNAL_KEYS[forced]} (--signal ${forced}), found ${others.join(' and ')}`,
            );
          if (others.length > 0)
            throw new CliFailure(
              `${name}:${line}: the request carries ${others.join(' and ')} besides ${SIGNAL_KEYS[forced]} (--signal ${forced}): refused, nothing of it is written`,
            );
        }
        const unknown = unknownTopLevelKey(request);
        if (unknown !== undefined) throw new CliFailure(`${name}:${line}: ${unknown}`);
        try {
          sanitizer.sanitize(request);
        } catch (err) {
          if (err instanceof OtlpShapeError) throw new CliFailure(`${name}:${line}: ${err.message}`, { cause: err });
          throw err;
        }
        if (write) await write(`${JSON.stringify(request)}\n`);
      }
      await file?.commit();
    } catch (err) {
      await file?.abort();
      if ('destroy' in input && typeof input.destroy === 'function' && input !== io.stdin) input.destroy();
      throw err;
    }

    if (args.values.json) writeJson(reportStream, report.toJSON());
    else reportStream.write(report.toText());
    // The report's own count, and the engine's: a finding whose value `values.action: drop` removed is in the latter.
    let engineFindings = 0;
    for (const n of Object.values(policy.counters.findings)) engineFindings += n;
    return args.values['fail-on-findings'] && (report.detectorFindings > 0 || engineFindings > 0)
      ? EXIT.findings
      : EXIT.ok;
  },
};
