import { createReadStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { BloomFilter } from '../../engine/consent/bloom-filter';
import { DEFAULT_FALSE_POSITIVE_RATE } from '../../engine/consent/opt-out-set';
import { CliFailure, EXIT, UsageError, parseCommandLine, required, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';
import { loadPolicyArgument } from '../policy-argument';

const HELP = `usage: otel-privacy consent build --policy <policy> --in <ids.txt|-> --out <optout.bloom> [options]

Makes the opt-out filter a policy's consent section reads (consent.optOut.file): a Bloom filter of the
pseudonyms of the subjects who opted out, sized for the policy's consent.optOut.falsePositiveRate
(default 0.001). The input has one subject per line (blank lines and lines starting with # are skipped):
a pseudonym as the policy writes it (<keyId>:<22 characters>, e.g. from your backend or your consent
service, so raw identifiers never need to reach this machine) or a raw identifier, which is pseudonymized
here with every HMAC key of the policy, as written and in lower case (the policy matches a raw identifier in
any case; give pseudonyms of the lower-case form for that). The application only ever holds the filter.

  otel-privacy consent build --policy privacy.yaml --in opted-out.txt --out optout.bloom

The file is replaced atomically; a running service with the policy reloads it without a restart.
Nothing read is printed: only counts, sizes and the expected false-positive rate.

options:
  --policy <file>       the policy (its HMAC keys and consent.optOut.falsePositiveRate)
  --in <file|->         the list, one subject per line (- reads standard input)
  --out <file>          the filter file to write
  --input <kind>        auto (default: pseudonym-shaped lines are pseudonyms), raw, or pseudonyms
  --capacity <n>        size the filter for at least n entries (room to grow; default: the entries read)
  --json                {"out", "entries", "bits", "hashes", "bytes", "expectedFalsePositiveRate", "bound", "keyIds"}
  -h, --help            this text
`;

/** `otel-privacy consent build`: the opt-out Bloom filter from a list of pseudonyms or raw identifiers. */
export const consentBuildCommand: Command = {
  name: 'consent build',
  summary: 'make the opt-out filter (consent.optOut.file) from a list of subjects',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      {
        policy: { type: 'string' },
        in: { type: 'string' },
        out: { type: 'string' },
        input: { type: 'string' },
        capacity: { type: 'string' },
        json: { type: 'boolean' },
      },
      io,
    );
    if (!args) return EXIT.ok;
    const policyPath = required(args.values.policy, 'policy');
    const inPath = required(args.values.in, 'in');
    const outPath = required(args.values.out, 'out');
    const kind = args.values.input ?? 'auto';
    if (kind !== 'auto' && kind !== 'raw' && kind !== 'pseudonyms')
      throw new UsageError(`--input must be auto, raw or pseudonyms, got ${JSON.stringify(kind)}`);
    let capacity = 0;
    if (args.values.capacity !== undefined) {
      capacity = Number(args.values.capacity);
      if (!Number.isInteger(capacity) || capacity < 1)
        throw new UsageError(`--capacity must be a positive integer, got ${JSON.stringify(args.values.capacity)}`);
    }
    const policy = loadPolicyArgument(policyPath, { optOut: 'empty' });
    const ring = policy.compiled.tools.pseudonymRing ?? [];
    if (ring.length === 0) throw new CliFailure('the policy has no HMAC key (keys.hmac): pseudonyms need one');
    const keyIds = ring.map((p) => p.keyId);
    const bound = policy.compiled.document.consent?.optOut.falsePositiveRate ?? DEFAULT_FALSE_POSITIVE_RATE;
    const shape = new RegExp(`^(${keyIds.map((id) => id.replace(/[.]/g, '\\.')).join('|')}):[A-Za-z0-9_-]{22}$`);
    const anyKeyShape = /^[A-Za-z0-9_.-]{1,32}:[A-Za-z0-9_-]{22}$/;

    // Pseudonyms first (the filter's size must be known before anything is added); the list is held once.
    const entries = new Set<string>();
    const input = inPath === '-' ? io.stdin : createReadStream(inPath);
    let lineNo = 0;
    try {
      for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
        lineNo++;
        const line = raw.trim();
        if (line === '' || line.startsWith('#')) continue;
        const pseudonym = kind === 'pseudonyms' || (kind === 'auto' && anyKeyShape.test(line));
        if (pseudonym) {
          if (!shape.test(line))
            throw new CliFailure(
              `${inPath}:${lineNo}: not a pseudonym of the policy's key id(s) ${keyIds.join(', ')} (expected <keyId>:<22 base64url characters>)`,
            );
          entries.add(line);
        } else {
          // and its lower-case form: the policy matches a raw identifier in any case (it also tries the lower case)
          const lower = line.toLowerCase();
          for (const p of ring) {
            entries.add(p.pseudonym(line));
            if (lower !== line) entries.add(p.pseudonym(lower));
          }
        }
      }
    } catch (err) {
      if (err instanceof CliFailure) throw err;
      throw new CliFailure(`cannot read ${inPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const filter = BloomFilter.create(Math.max(entries.size, capacity), bound, keyIds);
    for (const e of entries) filter.add(e);
    const bytes = filter.serialize();
    const temp = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.tmp`);
    try {
      writeFileSync(temp, bytes);
      renameSync(temp, outPath);
    } catch (err) {
      rmSync(temp, { force: true });
      throw new CliFailure(`cannot write ${outPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const summary = {
      out: outPath,
      entries: filter.size,
      bits: filter.m,
      hashes: filter.k,
      bytes: bytes.length,
      expectedFalsePositiveRate: Number(filter.expectedFalsePositiveRate.toPrecision(3)),
      bound,
      keyIds,
    };
    if (args.values.json) writeJson(io.stdout, summary);
    else
      io.stdout.write(
        `wrote ${outPath}: ${summary.entries} pseudonyms (key ${keyIds.join(', ')}), ${summary.bits} bits, ${summary.hashes} hashes, ${summary.bytes} bytes; expected false-positive rate ${summary.expectedFalsePositiveRate} (bound ${bound})\n`,
      );
    return EXIT.ok;
  },
};
