import { createReadStream } from 'node:fs';
import { FieldEncryptor } from '../../engine/crypto/field-encryption';
import { isGlob } from '../../engine/glob-list';
import { CliFailure, EXIT, parseCommandLine, required, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';
import { fromKeyValues } from '../otlp-any-value';
import type { OtlpKeyValue } from '../otlp-any-value';
import { readOtlpRequests } from '../otlp-input';
import { loadPolicyArgument } from '../policy-argument';
import type { Policy } from '../../policy/policy';

const HELP = `usage: otel-privacy subject <identifier> --policy <policy> [--decrypt <otlp.json>] [--json]

For a data-subject request (access or erasure): prints the pseudonym the identifier (a user id, an
e-mail address, ... exactly as the application records it) has in exported telemetry under every HMAC
key of the policy, the attribute keys the policy hashes (where the pseudonym appears), and example
backend queries to find or delete the subject's data by pseudonym.

  otel-privacy subject user-4711 --policy privacy.yaml
  otel-privacy subject user-4711 --policy privacy.yaml --decrypt export.jsonl

An identifier shaped like a pseudonym (k1:...) or a token (enc:v1:...) is refused: the subject is
always given by its raw identifier and found by the pseudonyms the policy's keys make of it.

With --decrypt, reads an OTLP/JSON export (one request per line as the Collector file exporter writes it,
or one document), finds the spans, span events, log records and metric points whose attributes carry the
subject (by its pseudonym under a key of the policy), and decrypts their
encrypted fields (enc:v1:...) with the policy's encryption key: the subject's own data, for an access
request. The output holds that data; nothing about other subjects is printed (the fields of an item that
also names another subject are reported, not decrypted).

options:
  --policy <file>      the policy (its HMAC keys; with --decrypt its encryption key)
  --decrypt <file>     an OTLP/JSON export to search and decrypt
  --json               {"identifierKeys", "pseudonyms", "queries", "matches", "fields"}
  -h, --help           this text
`;

/**
 * What the product writes in place of an identifier (a pseudonym `<keyId>:<22 base64url characters>` under any key
 * id, an `enc:` token): refused as the identifier. Such a value is visible in the backend to anyone; a request quoting
 * it must not be served another subject's decrypted data.
 */
const PRODUCT_OUTPUT = /^(?:[A-Za-z0-9_.-]{1,32}:[A-Za-z0-9_-]{22}|enc:v\d+:[^]*)$/;

/** One decrypted field of the subject's data. */
interface SubjectField {
  readonly signal: 'traces' | 'logs' | 'metrics';
  readonly item: string;
  readonly key: string;
  readonly value?: string;
  readonly error?: string;
}

/** The attribute keys that carry pseudonyms: literal keys of `hash` lists, `consent.subject.attributes`. */
function pseudonymKeys(policy: Policy): string[] {
  const keys = new Set<string>();
  for (const block of policy.compiled.ruleBlocks) for (const k of block.rules.hash ?? []) if (!isGlob(k)) keys.add(k);
  for (const k of policy.compiled.document.consent?.subject.attributes ?? []) keys.add(k);
  for (const k of policy.compiled.document.propagation?.baggage?.hash ?? []) if (!isGlob(k)) keys.add(`baggage ${k}`);
  return [...keys];
}

/** Example backend queries (find and delete) for one pseudonym under one attribute key. */
function queries(key: string, pseudonym: string): Record<string, string> {
  const q = pseudonym.replace(/'/g, "''");
  return {
    'generic (attribute = pseudonym)': `attributes["${key}"] == "${pseudonym}"`,
    'Grafana Tempo (TraceQL, find)': `{ span."${key}" = "${pseudonym}" || resource."${key}" = "${pseudonym}" }`,
    'ClickHouse, Collector exporter schema (find)': `SELECT TraceId, SpanId FROM otel_traces WHERE SpanAttributes['${key}'] = '${q}'`,
    'ClickHouse, Collector exporter schema (erase)': `ALTER TABLE otel_traces DELETE WHERE SpanAttributes['${key}'] = '${q}'; ALTER TABLE otel_logs DELETE WHERE LogAttributes['${key}'] = '${q}'`,
    'Elasticsearch / OpenSearch (erase)': `POST traces-*,logs-*/_delete_by_query {"query":{"term":{"attributes.${key}":"${pseudonym}"}}}`,
  };
}

/** `otel-privacy subject`: a subject's pseudonyms, backend queries, and (with --decrypt) its decrypted fields. */
export const subjectCommand: Command = {
  name: 'subject',
  summary: "data-subject requests: a subject's pseudonyms, backend queries, decrypted fields",
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      { policy: { type: 'string' }, decrypt: { type: 'string' }, json: { type: 'boolean' } },
      io,
      { min: 1, max: 1 },
    );
    if (!args) return EXIT.ok;
    const identifier = args.positionals[0]!;
    if (identifier.trim() === '') throw new CliFailure('the identifier is empty');
    if (PRODUCT_OUTPUT.test(identifier.trim()))
      throw new CliFailure(
        'the identifier is shaped like a pseudonym or an encryption token: give the raw identifier as the application records it',
      );
    const policy = loadPolicyArgument(required(args.values.policy, 'policy'), { optOut: 'empty' });
    const ring = policy.compiled.tools.pseudonymRing ?? [];
    if (ring.length === 0) throw new CliFailure('the policy has no HMAC key (keys.hmac): it makes no pseudonyms');
    const pseudonyms = ring.map((p) => ({ keyId: p.keyId, pseudonym: p.pseudonym(identifier) }));
    const keys = pseudonymKeys(policy);
    const attributeKeys = keys.filter((k) => !k.startsWith('baggage '));
    const example = attributeKeys[0] ?? 'user.id';
    const exampleQueries = pseudonyms.map((p) => ({ keyId: p.keyId, queries: queries(example, p.pseudonym) }));

    let fields: SubjectField[] | undefined;
    let matches: Record<string, number> | undefined;
    if (args.values.decrypt !== undefined) {
      const found = await searchExport(
        args.values.decrypt,
        policy,
        new Set(pseudonyms.map((p) => p.pseudonym)),
        new Set(attributeKeys),
        ring.map((p) => p.keyId),
      );
      fields = found.fields;
      matches = found.matches;
    }

    if (args.values.json) {
      writeJson(io.stdout, { identifierKeys: keys, pseudonyms, queries: exampleQueries, matches, fields });
    } else {
      const out: string[] = ['pseudonyms of this subject in exported telemetry (one per HMAC key):'];
      for (const p of pseudonyms) out.push(`  ${p.keyId.padEnd(12)} ${p.pseudonym}`);
      out.push(
        `attribute keys the policy writes pseudonyms under: ${keys.length ? keys.join(', ') : '(none: the policy hashes no key literally)'}`,
      );
      out.push(`example backend queries (for "${example}"; the same for every key above):`);
      for (const { keyId, queries: q } of exampleQueries) {
        out.push(`  key ${keyId}:`);
        for (const [name, text] of Object.entries(q)) out.push(`    ${name}:\n      ${text}`);
      }
      if (fields !== undefined && matches !== undefined) {
        out.push(
          `items of this subject in ${args.values.decrypt}: ${matches.traces} spans, ${matches.logs} log records, ${matches.metrics} metric points`,
        );
        out.push(fields.length ? 'encrypted fields:' : 'encrypted fields: none');
        for (const f of fields)
          out.push(
            `  ${f.signal} ${f.item} ${f.key} = ${f.value !== undefined ? f.value : `(not decrypted: ${f.error})`}`,
          );
      }
      io.stdout.write(`${out.join('\n')}\n`);
    }
    return fields?.some((f) => f.error !== undefined) ? EXIT.findings : EXIT.ok;
  },
};

type Json = Record<string, unknown>;
/** Whether an attribute map names this subject and whether it names another one. */
interface Whose {
  readonly self: boolean;
  readonly other: boolean;
}
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** Finds the subject's items in an OTLP/JSON export and decrypts their encrypted fields. */
async function searchExport(
  file: string,
  policy: Policy,
  pseudonyms: ReadonlySet<string>,
  identifierKeys: ReadonlySet<string>,
  keyIds: readonly string[],
): Promise<{ matches: Record<string, number>; fields: SubjectField[] }> {
  const encryptor = policy.compiled.tools.encryptor;
  const matches = { traces: 0, logs: 0, metrics: 0 };
  const fields: SubjectField[] = [];
  const pseudonymShape = new RegExp(
    `^(?:${keyIds.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}):[A-Za-z0-9_-]{22}$`,
  );
  /**
   * Whom an attribute map names: this subject (one of its pseudonyms under any key: only the HMAC of the raw
   * identifier, which nobody can compute without the key, proves the subject) and/or another one (another pseudonym of
   * a ring key, or any other value under a key the policy writes pseudonyms under). The fields of a map naming another
   * subject are not this one's alone: never decrypted here.
   */
  const owner = (attrs: Record<string, unknown>): Whose => {
    let self = false;
    let other = false;
    for (const [key, v] of Object.entries(attrs)) {
      if (typeof v !== 'string') continue;
      if (pseudonyms.has(v)) self = true;
      else if (pseudonymShape.test(v) || identifierKeys.has(key)) other = true;
    }
    return { self, other };
  };
  const decrypt = (
    signal: SubjectField['signal'],
    item: string,
    attrs: Record<string, unknown>,
    whose: Whose,
  ): void => {
    for (const [key, v] of Object.entries(attrs)) {
      if (typeof v !== 'string' || !v.startsWith('enc:v1:')) continue;
      if (whose.other) {
        fields.push({
          signal,
          item,
          key,
          error: 'the item also names another subject; its fields are not only theirs',
        });
        continue;
      }
      if (!(encryptor instanceof FieldEncryptor)) {
        const error =
          encryptor === undefined
            ? 'the policy has no encryption key (keys.encryption)'
            : 'the policy encrypts for a recipient public key: decrypt with its private key (otel-privacy decrypt)';
        fields.push({ signal, item, key, error });
        continue;
      }
      try {
        fields.push({ signal, item, key, value: encryptor.decrypt(v, key) });
      } catch (err) {
        fields.push({ signal, item, key, error: (err as Error).message });
      }
    }
  };
  let input: NodeJS.ReadableStream;
  try {
    input = createReadStream(file);
  } catch (err) {
    throw new CliFailure(`cannot read ${file}: ${(err as Error).message}`);
  }
  const attrsOf = (kv: unknown, where: string): Record<string, unknown> =>
    fromKeyValues(kv as OtlpKeyValue[] | undefined, where) as Record<string, unknown>;
  try {
    for await (const { request, line } of readOtlpRequests(input, file)) {
      for (const rs of list(request.resourceSpans))
        for (const ss of list(rs.scopeSpans))
          for (const span of list(ss.spans)) {
            const item = `span ${String(span.spanId ?? '?')} (trace ${String(span.traceId ?? '?')})`;
            const attrs = attrsOf(span.attributes, `${file}:${line} span attributes`);
            const events = list(span.events).map((e) => attrsOf(e.attributes, `${file}:${line} event attributes`));
            const whose = owner(attrs);
            const eventsWhose = events.map(owner);
            if (!whose.self && !eventsWhose.some((w) => w.self)) continue;
            matches.traces++;
            decrypt('traces', item, attrs, whose);
            // an event is the span's and its own: another subject named on either keeps its fields encrypted
            events.forEach((e, i) =>
              decrypt('traces', `${item} event ${i}`, e, {
                self: true,
                other: eventsWhose[i].other || (whose.other && !eventsWhose[i].self),
              }),
            );
          }
      for (const rl of list(request.resourceLogs))
        for (const sl of list(rl.scopeLogs))
          for (const [i, record] of list(sl.logRecords).entries()) {
            const attrs = attrsOf(record.attributes, `${file}:${line} log record attributes`);
            const whose = owner(attrs);
            if (!whose.self) continue;
            matches.logs++;
            decrypt('logs', `log record ${i} (line ${line})`, attrs, whose);
          }
      for (const rm of list(request.resourceMetrics))
        for (const sm of list(rm.scopeMetrics))
          for (const metric of list(sm.metrics))
            for (const type of ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'])
              for (const point of list((metric[type] as Json | undefined)?.dataPoints)) {
                const attrs = attrsOf(point.attributes, `${file}:${line} metric point attributes`);
                const whose = owner(attrs);
                if (!whose.self) continue;
                matches.metrics++;
                decrypt('metrics', `metric ${String(metric.name)} point`, attrs, whose);
              }
    }
  } catch (err) {
    if (err instanceof CliFailure) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliFailure(code ? `cannot read ${file}: ${code}` : `${(err as Error).message}`);
  }
  return { matches, fields };
}
