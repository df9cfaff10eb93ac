import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { KeyMeaningPatterns } from '../engine/key-meaning';
import { isMaybeTimeKey, isTimeKey } from '../engine/time-precision';
import { findTimeEdits } from '../engine/time-in-text';
import { GlobList, isGlob } from '../engine/glob-list';
import { attributeRuleBlocks } from '../policy/compiled-policy';
import type { Policy } from '../policy/policy';
import { formatPath } from '../policy/policy-error';
import type { PolicySource } from '../policy/policy-source';
import type { AttributeRulesDocument, PolicyDocument } from '../policy/schema';
import { encryptGlob } from '../policy/encrypt-rules';

/** One lint finding: a policy that loads but probably does not do what its author meant. */
export interface LintFinding {
  /** The policy file's base name. */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** The path inside the document, e.g. `attributes.allow[2]`. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
}

type Block = { path: PropertyKey[]; rules: AttributeRulesDocument; applies: 'all' | 'resource' | 'one' };

/** Keys that differ as much as keys can: a pattern that matches all of them matches everything. */
const PROBES = [
  'a',
  'Z',
  'user.email',
  'http.request.header.authorization',
  'x.y.z.w.v.u',
  'weird key-with:chars',
  '9',
  'form/password',
];

/** The first segment of every semantic-convention attribute namespace a policy is likely to name. */
const SEMCONV_NAMESPACES = new Set([
  'http',
  'url',
  'db',
  'user',
  'enduser',
  'session',
  'server',
  'client',
  'network',
  'net',
  'peer',
  'source',
  'destination',
  'rpc',
  'messaging',
  'exception',
  'error',
  'code',
  'thread',
  'otel',
  'user_agent',
  'service',
  'host',
  'k8s',
  'cloud',
  'container',
  'process',
  'telemetry',
  'deployment',
  'os',
  'faas',
  'log',
  'event',
  'gen_ai',
  'feature_flag',
  'aws',
  'gcp',
  'azure',
  'browser',
  'device',
]);

function blocks(doc: PolicyDocument): Block[] {
  return attributeRuleBlocks(doc) as Block[];
}

/** Whether two blocks' rules meet on the same keys: the same block, or the top level with a signal/scope block. */
function interact(a: Block, b: Block): boolean {
  if (a === b) return true;
  if (a.applies === 'resource' || b.applies === 'resource') return false;
  return a.applies === 'all' || b.applies === 'all';
}

/**
 * Whether an allow entry is dead because of a stronger rule: the same pattern, or a literal key that the
 * stronger glob matches. (A broad allow glob covering a hashed key is the normal way to write a policy.)
 */
function shadowed(allow: string, stronger: string): boolean {
  return allow === stronger || (!isGlob(allow) && new GlobList([stronger]).match(allow) !== undefined);
}

/**
 * The words a drop pattern names (`*api_key*` → `api_key`, `user.email`) written in other cases and
 * naming styles: `API_KEY`, `apiKey`, `ApiKey`, `api-key`, `apikey`, `dbApiKey`, … (empty when the
 * pattern has glob syntax inside).
 */
function styleVariants(pattern: string): string[] {
  const core = pattern.replace(/^\*+|\*+$/g, '');
  if (core.length === 0 || isGlob(core)) return [];
  const words = core.split(/[_-]/).filter((w) => w.length > 0);
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const pascal = words.map(cap).join('');
  const variants = [
    cap(core),
    words[0] + words.slice(1).map(cap).join(''),
    pascal,
    core.toUpperCase(),
    words.join('-'),
    words.join('_'),
    words.join(''),
    `db${pascal}`,
    `x-${words.join('-')}`,
  ];
  return [...new Set(variants)].filter((v) => v !== core);
}

/** Keys an allow pattern matches with `word` in place of its first wildcard (the pattern itself when literal). */
function probeKeys(allow: string, word: string): string[] {
  if (!isGlob(allow)) return [allow];
  if (!/\*/.test(allow)) return [];
  return [allow.replace(/\*+/, word).replace(/\*+/g, 'x').replace(/\?/g, 'x')];
}

/** Why `pattern` can never match a semantic-convention key, or undefined. */
function neverSemconv(pattern: string): string | undefined {
  if (/^\.|\.$/.test(pattern) || pattern.includes('..'))
    return 'has an empty segment (a leading, trailing or double dot), which no attribute key has';
  if (/\s/.test(pattern)) return 'contains whitespace, which no semantic-convention key has';
  const first = pattern.split('.')[0]!;
  if (SEMCONV_NAMESPACES.has(first.toLowerCase()) && /[A-Z]/.test(pattern)) {
    return `has upper-case letters, but keys in the "${first.toLowerCase()}" namespace are lower-case (matching is case-sensitive)`;
  }
  return undefined;
}

/**
 * Lint checks for `otel-privacy validate` on a policy that loads: allow patterns matching every key,
 * keys both allowed and hashed/encrypted/dropped, globs that can never match a semantic-convention key,
 * `default: mask|hash` blocks without any rule, keys given as raw text instead of random bytes, and
 * sanitizer attributes the rules drop before the sanitizer could run, and catch-all baggage or tracestate allow
 * patterns.
 *
 * @param doc the user's document as written (before `extends`), for paths and lines
 * @param policy the compiled policy (after `extends`), for what the engine decides
 */
export function lintPolicy(doc: PolicyDocument, source: PolicySource, policy: Policy, baseDir: string): LintFinding[] {
  const findings: LintFinding[] = [];
  const file = source.file ?? '(policy)';
  const warn = (path: readonly PropertyKey[], message: string) =>
    findings.push({ file, line: source.lineOf(path), path: formatPath(path), message });
  const all = blocks(doc);

  // Minimization: allowed keys named like times keep their full precision unless values.timestamps coarsens them;
  // under coarsen, keys that only sound like times get the shape rules only, and allowed texts are never rounded.
  const values = policy.compiled.document.values;
  const coarsen = values?.timestamps === 'coarsen';
  for (const b of all)
    (b.rules.allow ?? []).forEach((p, i) => {
      if (isGlob(p)) return;
      if (!coarsen && isTimeKey(p))
        warn(
          [...b.path, 'allow', i],
          `${JSON.stringify(p)} looks like a time: its values are kept at full precision (a precise time can single a person out); set values.timestamps: coarsen (with values.timestampPrecision) to round them down`,
        );
      else if (!coarsen && isMaybeTimeKey(p))
        warn(
          [...b.path, 'allow', i],
          `${JSON.stringify(p)} may hold a time (an epoch number, an HrTime pair, a date in text), kept at full precision; set values.timestamps: coarsen (with values.timestampPrecision) to round them down`,
        );
      else if (coarsen && isMaybeTimeKey(p))
        warn(
          [...b.path, 'allow', i],
          `${JSON.stringify(p)} is not named like a time, so values.timestamps: coarsen rounds only the unmistakable shapes under it (epoch milliseconds, fractional seconds, HrTime pairs, dates in text); whole seconds, microseconds, nanoseconds and integer digit strings are kept as they are. Name the key like a time (e.g. with _time or _at) if it holds those`,
        );
    });
  if (coarsen)
    (values?.allow ?? []).forEach((entry, i) => {
      if (typeof entry === 'string' && findTimeEdits(entry, 1000) !== undefined)
        warn(
          ['values', 'allow', i],
          `${JSON.stringify(entry)} holds a date-time finer than a second: an allowed text is exported as written, so values.timestamps: coarsen does not round it`,
        );
    });

  for (const b of all) {
    (b.rules.allow ?? []).forEach((p, i) => {
      const glob = new GlobList([p]);
      if (PROBES.every((k) => glob.match(k) !== undefined))
        warn(
          [...b.path, 'allow', i],
          `${JSON.stringify(p)} matches every key, so nothing is dropped by default; list the keys (or namespaces) you need`,
        );
    });
    const lists = ['allow', 'hash', 'encrypt', 'drop'] as const;
    for (const list of lists) {
      (b.rules[list] ?? []).forEach((rule, i) => {
        const p = encryptGlob(rule);
        const why = neverSemconv(p);
        if (why)
          warn([...b.path, list, i], `${JSON.stringify(p)} can never match a semantic-convention key: it ${why}`);
      });
    }
    for (const k of Object.keys(b.rules.generalize ?? {})) {
      const why = neverSemconv(k);
      if (why)
        warn([...b.path, 'generalize', k], `${JSON.stringify(k)} can never match a semantic-convention key: it ${why}`);
    }
    const d = b.rules.default;
    const ruleSets = b.applies === 'one' && doc.attributes ? [b.rules, doc.attributes] : [b.rules];
    const hasRules = ruleSets.some(
      (r) => lists.some((l) => (r[l]?.length ?? 0) > 0) || Object.keys(r.generalize ?? {}).length > 0,
    );
    if ((d === 'mask' || d === 'hash') && !hasRules) {
      warn(
        [...b.path, 'default'],
        `default: ${d} with no allow, hash, encrypt, drop or generalize rule: every attribute is ${d === 'mask' ? 'masked' : 'hashed'}, none is kept as it is`,
      );
    }
  }

  // Catch-all patterns for propagation: whatever the application or a caller puts there crosses every service boundary.
  const everyKey = (p: string) => {
    const glob = new GlobList([p]);
    return PROBES.every((k) => glob.match(k) !== undefined);
  };
  (doc.propagation?.baggage?.allow ?? []).forEach((p, i) => {
    if (everyKey(p))
      warn(
        ['propagation', 'baggage', 'allow', i],
        `${JSON.stringify(p)} matches every baggage key, so every entry the application or a caller sets is forwarded to every downstream service (values are still scanned); list the keys you need`,
      );
  });
  (doc.traces?.traceState?.allow ?? []).forEach((p, i) => {
    if (everyKey(p))
      warn(
        ['traces', 'traceState', 'allow', i],
        `${JSON.stringify(p)} matches every tracestate key, so every vendor's member is exported and forwarded (values are still scanned); list the vendor keys you need`,
      );
  });

  // A key both allowed and hashed/encrypted/dropped in rules that meet: the allow entry is dead (decision order)
  // and confusing. A drop in a signal or scope block narrowing a top-level allow is deliberate, not reported.
  const stronger = ['drop', 'encrypt', 'hash'] as const;
  for (const a of all) {
    (a.rules.allow ?? []).forEach((ap, i) => {
      for (const b of all) {
        if (!interact(a, b)) continue;
        for (const list of stronger) {
          if (list === 'drop' && a !== b && b.applies !== 'all') continue;
          const j = (b.rules[list] ?? []).findIndex((p) => shadowed(ap, encryptGlob(p)));
          if (j === -1) continue;
          const other = encryptGlob(b.rules[list]![j]!);
          warn(
            [...a.path, 'allow', i],
            `${JSON.stringify(ap)} is allowed and also ${list === 'drop' ? 'dropped' : list === 'hash' ? 'hashed' : 'encrypted'} by ${formatPath([...b.path, list, j])} (${JSON.stringify(other)}); ${list} wins for the keys both match`,
          );
          return;
        }
      }
    });
  }

  // An allow glob that also matches keys a drop pattern names under another case or naming style
  // (`server.*` and `*password*`: `server.Password`): drop patterns match by meaning, so those keys are
  // dropped although the allow entry seems to keep them.
  const effective = policy.compiled.ruleBlocks;
  for (const a of all) {
    (a.rules.allow ?? []).forEach((ap, i) => {
      const allowGlob = new GlobList([ap]);
      for (const b of effective) {
        if (b.applies === 'resource' ? a.applies !== 'resource' : a.applies === 'resource') continue;
        for (const dp of b.rules.drop ?? []) {
          const asWritten = new GlobList([dp]);
          const byMeaning = new KeyMeaningPatterns([dp]);
          const hit = styleVariants(dp)
            .flatMap((v) => probeKeys(ap, v))
            .find(
              (k) =>
                allowGlob.match(k) !== undefined &&
                asWritten.match(k) === undefined &&
                byMeaning.match(k) !== undefined,
            );
          if (hit === undefined) continue;
          warn(
            [...a.path, 'allow', i],
            `${JSON.stringify(ap)} also matches ${JSON.stringify(hit)}, which ${formatPath([...b.path, 'drop'])} (${JSON.stringify(dp)}) names in another case or naming style; drop patterns match by meaning, so such keys are dropped`,
          );
          return;
        }
      }
    });
  }

  // Keys written as text rather than random bytes.
  for (const kind of ['hmac', 'encryption'] as const) {
    const declared = doc.keys?.[kind];
    if (!declared) continue;
    const ring: readonly { id: string; env?: string; file?: string; recipient?: string }[] = Array.isArray(declared)
      ? declared
      : [declared];
    ring.forEach((ref, i) => {
      if (ref.recipient !== undefined) return; // a public key: not a secret
      let text: string | undefined;
      if (ref.env !== undefined) text = process.env[ref.env];
      else {
        try {
          text = readFileSync(isAbsolute(ref.file!) ? ref.file! : resolve(baseDir, ref.file!), 'utf8');
        } catch {
          text = undefined;
        }
      }
      if (text !== undefined && text.trim() !== '' && !/^(base64|hex):/.test(text.trim())) {
        const field = ref.env !== undefined ? 'env' : 'file';
        warn(
          Array.isArray(declared) ? ['keys', kind, i, field] : ['keys', kind, field],
          `the ${kind} key is raw text, not encoded random bytes; a memorable string is guessable: use \`otel-privacy keygen --type ${kind}\` (base64:...)`,
        );
      }
    });
  }

  // Sanitizer attributes the rules drop before the URL/statement sanitizer could run.
  const sanitizerKeys = {
    url: policy.compiled.sanitizers.url?.attributes ?? [],
    statements: policy.compiled.sanitizers.statementKeys,
  };
  for (const which of ['url', 'statements'] as const) {
    sanitizerKeys[which].forEach((key) => {
      if (isGlob(key)) return;
      const decisions = (['traces', 'metrics', 'logs'] as const).map((s) => ({
        s,
        d: policy.sanitizer(s).rules.decide(key),
      }));
      if (decisions.some(({ d }) => d.action === 'allow')) return;
      const section = (['url', 'statements', 'sql'] as const).find(
        (w) => (w === 'url') === (which === 'url') && doc.sanitizers?.[w]?.attributes?.includes(key),
      );
      const path = section
        ? ['sanitizers', section, 'attributes', doc.sanitizers![section]!.attributes!.indexOf(key)]
        : ['sanitizers', which];
      warn(
        path,
        `${JSON.stringify(key)} never reaches the ${which === 'url' ? 'URL' : 'statement'} sanitizer: no signal allows it (traces: ${decisions[0]!.d.rule}); allow it to keep it sanitized, or remove it here`,
      );
    });
  }
  // Report in file order.
  return findings.sort((x, y) => (x.line ?? 0) - (y.line ?? 0));
}
