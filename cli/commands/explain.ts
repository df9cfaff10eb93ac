import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { GlobList } from '../../engine/glob-list';
import { parsePolicyText } from '../../policy/policy-source';
import type { AttributeRulesDocument, PolicyDocument } from '../../policy/schema';
import type { AttributeRedactor } from '../../engine/attribute-redactor';
import { EXIT, UsageError, parseCommandLine, required, writeJson } from '../cli-command';
import type { CliIO, Command } from '../cli-command';
import { loadPolicyArgument } from '../policy-argument';
import { whenMatches } from '../../policy/environments';
import { BASE_GROUP } from '../../policy/user-group-name';
import { stringify } from 'yaml';

const HELP = `usage: otel-privacy explain --policy <policy> [--env <name>] [--group <name>] [--signal traces|metrics|logs|resource] [--scope <name>] <attribute-key> [--json]
       otel-privacy explain --policy <policy> --env <name> [--group <name>] [--json]
       otel-privacy explain --policy <policy> --group <name> [--json]

Shows which rule decides an attribute key and why: the rule set that applies (top-level attributes,
the signal's block, matching scopes blocks, or resource), every rule that matches the key in decision
order (drop > encrypt > hash > generalize > allow > default; the first one wins), and what happens to
values (URL/statement sanitizer, value detectors). Under "extends: default", each rule says where it comes
from (your policy or the default policy); a key your policy names literally (no glob) is decided by your
rules alone, so your rule for it overrides the default policy's.

  otel-privacy explain --policy privacy.yaml user.email
  otel-privacy explain --policy privacy.yaml --signal traces --scope @opentelemetry/instrumentation-pg db.query.text
  otel-privacy explain --policy privacy.yaml --env production user.email
  otel-privacy explain --policy privacy.yaml --env production
  otel-privacy explain --policy privacy.yaml --env production --group beta

With --env, the policy's "when" blocks for that environment are applied first (as OTEL_PRIVACY_ENV=<name> would);
without a key it prints your policy's effective rules in that environment (YAML; under "extends: default" your own
document, which is laid over the default policy) and the when blocks that applied. Without --env, OTEL_PRIVACY_ENV
is not read: the policy is explained without when blocks. With --group, the when blocks of that user group
(userGroup, selected per item by the userGroups.attribute attribute) are applied too: the rules items of that
group get.

options:
  --policy <file>    the policy (YAML or JSON)
  --signal <s>       traces (default), metrics, logs, or resource (resource attributes)
  --scope <name>     instrumentation scope name (tracer, meter or logger name), for scopes blocks
  --env <name>       the environment whose when blocks apply (OTEL_PRIVACY_ENV)
  --group <name>     the user group whose when blocks apply (items whose userGroups.attribute is <name>)
  --json             {"key", "signal", "scope", "ruleSet", "action", "rule", "from", "matches", "value"}
  -h, --help         this text
`;

const ORDER = ['drop', 'encrypt', 'hash', 'generalize', 'allow'] as const;

/** Indexes of the policy file's `when` blocks that apply in `env` (and to `group`). */
function appliedWhenBlocks(path: string, env: string | undefined, group?: string): number[] {
  let doc: PolicyDocument;
  try {
    doc = parsePolicyText(readFileSync(path, 'utf8'), basename(path)).value as PolicyDocument;
  } catch {
    return [];
  }
  const out: number[] = [];
  doc?.when?.forEach((block, i) => whenMatches(block, env, group) && out.push(i));
  return out;
}

/** The user's own rule blocks that apply to `signal` (and `scope`), when the document extends the default policy. */
function ownBlocks(path: string, signal: string, scope: string | undefined): AttributeRulesDocument[] | undefined {
  let doc: PolicyDocument;
  try {
    doc = parsePolicyText(readFileSync(path, 'utf8'), basename(path)).value as PolicyDocument;
  } catch {
    return undefined;
  }
  if (doc?.extends !== 'default') return undefined;
  if (signal === 'resource') return [doc.resource ?? {}];
  const blocks = [doc.attributes ?? {}, doc[signal as 'traces']?.attributes ?? {}];
  if (scope !== undefined)
    for (const [pattern, block] of Object.entries(doc.scopes ?? {}))
      if (new GlobList([pattern]).match(scope) !== undefined) blocks.push(block.attributes ?? {});
  return blocks;
}

const EFFECT: Record<string, string> = {
  drop: 'the attribute is removed',
  encrypt: 'kept; the value becomes an AES-256-GCM token (enc:v1:<keyId>:...), recoverable with otel-privacy decrypt',
  hash: 'kept; the value becomes a keyed pseudonym (<keyId>:<base64url>), the same in every service with the same key',
  generalize: 'kept in a coarser form',
  mask: 'kept; the value becomes [REDACTED]',
};

/** `otel-privacy explain`: which rule decides a key, and why. */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'show which rule decides an attribute key, and why',
  help: HELP,
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const args = parseCommandLine(
      this,
      argv,
      {
        policy: { type: 'string' },
        signal: { type: 'string' },
        scope: { type: 'string' },
        env: { type: 'string' },
        group: { type: 'string' },
        json: { type: 'boolean' },
      },
      io,
      { min: 0, max: 1 },
    );
    if (!args) return EXIT.ok;
    const env = args.values.env;
    if (env !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(env))
      throw new UsageError(
        `--env must be an environment name (letters, digits, "_", ".", "-"), not ${JSON.stringify(env)}`,
      );
    const group = args.values.group;
    if (group !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(group))
      throw new UsageError(
        `--group must be a user-group name (letters, digits, "_", ".", "-"), not ${JSON.stringify(group)}`,
      );
    if (args.positionals.length === 0 && env === undefined && group === undefined)
      throw new UsageError('expected an attribute key (or --env <name> / --group <name> to print the effective rules)');
    const path = required(args.values.policy, 'policy');
    const loaded = loadPolicyArgument(path, { ignoreMissingKeys: true, env: env ?? '' });
    // the rules items of the group get (its compiled policy; any spelling of its name), or the base ones
    const compiled = loaded.compiled.forGroup(group);
    if (compiled === undefined) {
      const declared = loaded.compiled.userGroups?.order.filter((g) => g !== BASE_GROUP);
      throw new UsageError(
        declared === undefined
          ? `--group ${group}: ${basename(path)} has no user groups (no when block names a userGroup)`
          : `--group ${group}: no when block of ${basename(path)} names this user group; its groups: ${declared.join(', ')} (and base)`,
      );
    }
    const policy = {
      compiled,
      hash: compiled.hash,
      document: compiled.document,
      resourceSanitizer: compiled.resourceSanitizer,
      sanitizer: (signal: 'traces' | 'metrics' | 'logs', scope?: string) => compiled.sanitizer(signal, scope),
    };
    const applied = env === undefined && group === undefined ? [] : appliedWhenBlocks(path, env, group);
    const where = [env !== undefined ? `environment ${env}` : '', group !== undefined ? `user group ${group}` : '']
      .filter(Boolean)
      .join(', ');
    if (args.positionals.length === 0) {
      const effective = policy.compiled.own ?? policy.document;
      if (args.values.json)
        writeJson(io.stdout, { env, group, whenBlocks: applied, policy: effective, policyHash: policy.hash });
      else
        io.stdout.write(
          `# effective policy in ${where} (when blocks applied: ${applied.length ? applied.map((i) => `when[${i}]`).join(', ') : 'none'}; hash ${policy.hash})\n${stringify(effective)}`,
        );
      return EXIT.ok;
    }
    const signal = args.values.signal ?? 'traces';
    if (!['traces', 'metrics', 'logs', 'resource'].includes(signal))
      throw new UsageError(`--signal must be traces, metrics, logs or resource, not ${JSON.stringify(signal)}`);
    const scope = args.values.scope;
    if (scope !== undefined && signal === 'resource')
      throw new UsageError('--scope does not apply to resource attributes');
    const key = args.positionals[0]!;

    const sanitizer: AttributeRedactor =
      signal === 'resource' ? policy.resourceSanitizer : policy.sanitizer(signal as 'traces', scope);
    const explicit = sanitizer.rules.isExplicit(key);
    const rules = explicit ? sanitizer.rules.explicit! : sanitizer.rules;
    const decision = rules.decide(key);
    const spec = rules.spec;
    const own = ownBlocks(required(args.values.policy, 'policy'), signal, scope);
    const origin = (list: (typeof ORDER)[number], pattern: string): string => {
      if (!own || explicit) return 'your policy';
      const mine = own.some((b) =>
        list === 'generalize' ? b.generalize?.[pattern] !== undefined : b[list]?.includes(pattern),
      );
      return mine ? 'your policy' : 'default policy';
    };
    const matches: { list: string; pattern: string; from: string }[] = [];
    for (const list of ORDER) {
      const patterns = list === 'generalize' ? Object.keys(spec.generalize) : spec[list];
      for (const p of patterns)
        if (new GlobList([p]).match(key) !== undefined) matches.push({ list, pattern: p, from: origin(list, p) });
    }
    const from =
      matches[0]?.from ?? (own && own.every((b) => b.default === undefined) ? 'default policy' : 'your policy');
    const hasScanner = policy.compiled.values !== undefined;
    let value: string;
    if (decision.action === 'allow' || decision.action === 'generalize') {
      const parts = [
        decision.action === 'allow'
          ? 'kept'
          : `kept in a coarser form (${spec.generalize[matches.find((m) => m.list === 'generalize')!.pattern]})`,
      ];
      if (decision.statement)
        parts.push(
          'strings go through the statement sanitizer of the db.system.name (or db.system) beside them (values become ?; unknown systems: every literal and value)',
        );
      else if (decision.transform)
        parts.push(
          'strings go through the URL sanitizer (userinfo removed, sensitive parameters REDACTED, ID-like path segments {id})',
        );
      parts.push(
        hasScanner
          ? 'strings are scanned by the value detectors (values.detectors)'
          : 'no value detectors (no values block)',
      );
      parts.push('map values: each entry is decided as its own dotted key');
      value = parts.join('; ');
    } else if (decision.deterministic === true)
      value = `${EFFECT.encrypt}; deterministic: equal values give equal tokens (linkable like a pseudonym)`;
    else value = EFFECT[decision.action]!;
    const result = {
      key,
      signal,
      scope: scope ?? null,
      ruleSet: rules.label,
      action: decision.action,
      rule: decision.rule,
      from,
      matches,
      value,
      env: env ?? null,
      group: group ?? null,
      whenBlocks: applied,
      policyHash: policy.hash,
    };

    if (args.values.json) writeJson(io.stdout, result);
    else {
      const lines = [
        `${key} (${signal === 'resource' ? 'resource attributes' : `${signal} attributes${scope !== undefined ? `, scope ${scope}` : ''}`}; rule set: ${rules.label})`,
        `  decision: ${decision.action}, by ${decision.rule} (from ${from})`,
      ];
      if (env !== undefined || group !== undefined)
        lines.push(
          `  ${where.replace('environment ', 'environment: ').replace('user group ', 'user group: ')} (when blocks applied: ${applied.length ? applied.map((i) => `when[${i}]`).join(', ') : 'none'})`,
        );
      if (explicit)
        lines.push(
          `  layering: your policy names ${JSON.stringify(key)} literally, so only your rules decide it (the default policy's rules for it do not apply)`,
        );
      if (matches.length === 0)
        lines.push(
          `  why: no allow, hash, encrypt, drop or generalize pattern matches, so "default: ${spec.default}" decides`,
        );
      else {
        lines.push(
          `  why: matching rules in decision order (drop > encrypt > hash > generalize > allow > default), the first wins:`,
        );
        matches.forEach((m, i) =>
          lines.push(
            `    ${i === 0 ? '*' : ' '} ${m.list} ${JSON.stringify(m.pattern)} (${m.from})${i === 0 ? '' : ' (loses)'}`,
          ),
        );
      }
      lines.push(`  value: ${value}`);
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    return EXIT.ok;
  },
};
