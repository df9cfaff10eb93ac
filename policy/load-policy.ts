import { FindingLog } from '../engine/finding-log';
import { ENV_VARIABLE, applyWhenBlocks, userGroupsOf } from './environments';
import { BASE_GROUP, canonicalUserGroup } from './user-group-name';
import { UserGroupSelector } from './user-group-selector';
import type { CompiledPolicy } from './compiled-policy';
import { durationMillis } from './duration';
import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readRegularFile } from '../engine/read-regular-file';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { core } from 'zod';
import { FieldEncryptor } from '../engine/crypto/field-encryption';
import { compileGlob } from '../engine/glob-list';
import {
  KEY_LENGTH,
  MissingKeyError,
  keyMaterial,
  keyNameForError,
  keyPathForError,
  readKeyMaterial,
} from '../engine/crypto/key-material';
import {
  RecipientFieldEncryptor,
  generateRecipientKeyPair,
  parseRecipientKey,
} from '../engine/crypto/recipient-encryption';
import type { RecipientKey } from '../engine/crypto/recipient-encryption';
import type { KeyMaterial } from '../engine/crypto/key-material';
import { contentHash } from './content-hash';
import { SIGNATURE_SUFFIX, checkReferencedFile, readSignedManifest, sha256 } from './policy-signature';
import type { PolicyManifest, VerifiedManifest } from './policy-signature';
import { checkSerial, recordSerial } from './policy-serial-state';
import { mergeDocuments } from './merge-documents';
import { Policy } from './policy';
import { PolicyError, formatPath } from './policy-error';
import type { PolicyIssue } from './policy-error';
import { inCodeSource, parsePolicyText } from './policy-source';
import type { PolicySource } from './policy-source';
import { Pseudonymizer } from '../engine/crypto/pseudonymizer';
import { ConsentGate } from '../engine/consent/consent-gate';
import { DEFAULT_FALSE_POSITIVE_RATE, OptOutSet } from '../engine/consent/opt-out-set';
import { detectorNames, policySchema } from './schema';
import type { AttributeRulesDocument, EncryptionKeyRef, KeyRef, PolicyDocument } from './schema';
import { defaultPolicyDocument } from './default-policy-document';
import { AlarmKeyLabels, literalKeys } from '../engine/alarm-key-label';
import { DROPPED } from '../engine/attribute-redactor';
import type { RedactorTools, ValueScanner } from '../engine/attribute-redactor';
import { checkAllowEntry, withValueExemptions } from '../engine/value-exemptions';
import { withAddressKeyNumbers } from '../engine/address-key-numbers';
import { rewriteScan } from '../engine/rewrite-scan';
import { coarsenTimesInText } from '../engine/time-in-text';
import { createFindingMasker } from '../engine/finding-masks';
import { maskHomeDirectories } from '../engine/home-directory';
import { coarsenPercentEncodedTimes } from '../engine/percent-encoded-times';
import { checkCustomPattern, createValueScanner } from '../engine/detectors/value-scanner';
import type { FindingTally } from '../engine/detectors/value-scanner';
import { sanitizeSpanName } from '../engine/sanitizers/span-name';
import { templateNameTokens } from '../engine/sanitizers/name-tokens';
import { createFamilyResolver, sanitizeStatement } from '../engine/sanitizers/statement-sanitizer';
import { createUrlSanitizer } from '../engine/sanitizers/url-sanitizer';
import { sanitizeUrlsInText } from '../engine/sanitizers/url-text';
import { sensitiveParamTest } from '../engine/sanitizers/url-sanitizer';
import type { EncryptRule } from './encrypt-rules';

/** The keys a policy names, read: rings with the active key first. */
interface LoadedKeys {
  hmac: (KeyMaterial | RecipientKey)[];
  encryption: (KeyMaterial | RecipientKey)[];
}

/**
 * With a signed policy: a check of a referenced file's bytes (by its path as written) against the manifest.
 * Without one: undefined.
 */
type FileCheck = ((writtenPath: string) => (bytes: Buffer) => void) | undefined;

/** Reads a recipient's public key file (`keys.encryption[].recipient`). Never reads a private key: one is refused. */
function readRecipientKey(
  id: string,
  file: string,
  baseDir: string,
  checkFile?: (bytes: Buffer) => void,
): RecipientKey {
  const full = isAbsolute(file) ? file : resolve(baseDir, file);
  let bytes: Buffer;
  try {
    bytes = readRegularFile(full);
  } catch (err) {
    throw new MissingKeyError(
      `cannot read recipient key file ${keyPathForError(full)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
  checkFile?.(bytes);
  return parseRecipientKey(id, bytes, `recipient key file ${file}`);
}

/** A random X25519 public key standing in for a missing recipient key under `ignoreMissingKeys`. */
function throwawayRecipient(id: string): RecipientKey {
  return parseRecipientKey(id, Buffer.from(generateRecipientKeyPair().publicKey), 'throwaway key');
}

/** Options of {@link loadPolicy}. */
export interface LoadPolicyOptions {
  /**
   * For tools that check or describe a policy without using its keys (CI validation, `explain`, `collector-config`):
   * a key whose environment variable is unset or whose file is absent gets a throwaway random key instead of failing.
   * Key material that is present but unusable (too short, bad encoding) is still an error. Never for export.
   */
  readonly ignoreMissingKeys?: boolean;
  /** Told (one line, no key material) about each key replaced under `ignoreMissingKeys`. */
  readonly onMissingKey?: (message: string) => void;
  /**
   * An Ed25519 public key: the file must come with a signed manifest (`<path>.sig`, written by `otel-privacy sign`)
   * that verifies with it and whose digests match the policy's bytes and every file it names, or it is refused
   * (`PolicyError` at `(signature)`, or at the field naming the file that differs). A manifest whose serial is below
   * the highest accepted in this process for its name is refused (rollback). Only for `loadPolicy`.
   */
  readonly publicKey?: KeyObject;
  /**
   * The name the signed manifest must carry (`OTEL_PRIVACY_POLICY_IDENTITY`), so a policy signed for another service
   * is refused. Needs `publicKey`.
   */
  readonly identity?: string;
  /**
   * A file keeping the highest accepted serial per policy name across restarts (`OTEL_PRIVACY_POLICY_STATE`): a
   * manifest below it is refused; an accepted one raises it. Needs `publicKey`.
   */
  readonly stateFile?: string;
  /** `false`: check the serial without recording it (in this process or the state file), e.g. `validate --verify`. */
  readonly recordSerial?: boolean;
  /**
   * `consent.optOut.file`: `load` (default) reads and checks it (a missing or unusable file is an error, except that
   * `ignoreMissingKeys` replaces a missing one by an empty set, told through `onMissingKey`); `empty` never reads it
   * and gates nothing (tools that make the file or look subjects up: `consent build`, `subject`).
   */
  readonly optOut?: 'load' | 'empty';
  /**
   * The environment whose `when` blocks apply (default: `OTEL_PRIVACY_ENV`); an empty string applies none. Blocks are
   * laid over the policy once, here.
   */
  readonly env?: string;
}

/**
 * Reads, validates and compiles a policy file (YAML or JSON), synchronously.
 * @throws PolicyError with a one-line message such as `privacy.yaml:14 attributes.hash[2]: expected a string`.
 */
export function loadPolicy(path: string, options: LoadPolicyOptions = {}): Policy {
  const shown = keyPathForError(path);
  const file = shown === path ? basename(path) : shown;
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path);
  } catch (err) {
    throw new PolicyError([
      {
        file,
        path: '(file)',
        message: `cannot read policy file ${shown}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      },
    ]);
  }
  const signatureIssue = (message: string) => new PolicyError([{ file, path: '(signature)', message }]);
  if (options.publicKey === undefined) {
    if (options.identity !== undefined || options.stateFile !== undefined)
      throw signatureIssue('a policy identity or state file is checked only with a public key (publicKey)');
    const { value, source } = parsePolicyText(bytes.toString('utf8'), file);
    return compilePolicy(value, source, dirname(resolve(path)), options);
  }
  let verified: VerifiedManifest;
  try {
    verified = readSignedManifest(`${path}${SIGNATURE_SUFFIX}`, options.publicKey);
  } catch (err) {
    throw signatureIssue((err as Error).message);
  }
  const { manifest } = verified;
  if (sha256(bytes) !== manifest.policySha256)
    throw signatureIssue(
      `policy file ${file} differs from the signed manifest ${file}${SIGNATURE_SUFFIX} (changed after signing); sign it again (otel-privacy sign)`,
    );
  if (options.identity !== undefined && manifest.name !== options.identity)
    throw signatureIssue(
      `the policy is signed for ${JSON.stringify(manifest.name)}, this process expects ${JSON.stringify(options.identity)} (policy identity)`,
    );
  try {
    checkSerial(verified, options.stateFile);
  } catch (err) {
    throw signatureIssue((err as Error).message);
  }
  const { value, source } = parsePolicyText(bytes.toString('utf8'), file);
  const policy = compilePolicy(
    value,
    source,
    dirname(resolve(path)),
    options,
    (written) => (fileBytes) => checkReferencedFile(verified, written, fileBytes),
  );
  if (options.recordSerial !== false) {
    try {
      recordSerial(verified, options.stateFile);
    } catch (err) {
      throw signatureIssue((err as Error).message);
    }
  }
  signedManifests.set(policy, manifest);
  return policy;
}

/** The signed manifest each policy loaded with a public key was accepted under. */
const signedManifests = new WeakMap<Policy, PolicyManifest>();

/**
 * The signed manifest (identity, serial, signing time, digests) a policy was loaded under, when `loadPolicy` verified
 * one; undefined otherwise. A policy updated by hot reload keeps the manifest it was first loaded under.
 */
export function signedManifestOf(policy: Policy): PolicyManifest | undefined {
  return signedManifests.get(policy);
}

/**
 * Validates and compiles a policy given as an object (the same shape as a policy file), synchronously.
 * Relative key file paths are resolved against the working directory.
 * @throws PolicyError naming the path of the first problem.
 */
export function definePolicy(document: PolicyDocument): Policy {
  return compilePolicy(document, inCodeSource, process.cwd());
}

/**
 * The built-in default policy (`policy/default-policy.yaml`, built from the OpenTelemetry semantic
 * conventions). It hashes identifiers, so it needs an HMAC key in `OTEL_PRIVACY_HMAC_KEY`.
 */
export function defaultPolicy(): Policy {
  const { value, source, dir } = defaultPolicyDocument();
  return compilePolicy(value, source, dir);
}

/**
 * The path of the first own `__proto__` key in a raw document. Schema parsing would strip it
 * silently (an object cannot hold it as an own key), losing a rule such as `generalize: { __proto__: … }`.
 */
function findProtoKey(value: unknown, path: PropertyKey[], depth = 0): PropertyKey[] | undefined {
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findProtoKey(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return [...path, key];
    const found = findProtoKey((value as Record<string, unknown>)[key], [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Validates, resolves `extends`, checks globs and keys, and builds the `Policy`. */
function compilePolicy(
  raw: unknown,
  source: PolicySource,
  baseDir: string,
  options: LoadPolicyOptions = {},
  checkFile: FileCheck = undefined,
  group?: string,
): Policy {
  const at = (path: readonly PropertyKey[], message: string): PolicyIssue => ({
    file: source.file,
    line: source.lineOf(path),
    path: formatPath(path),
    message,
  });

  const proto = findProtoKey(raw, []);
  if (proto !== undefined)
    throw new PolicyError([
      at(
        proto,
        '"__proto__" cannot be a key in a policy (a JavaScript object would lose it, and the rule with it); match it with a glob such as "__proto_?"',
      ),
    ]);
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const schemaIssues = parsed.error.issues.flatMap((i) => zodIssues(i, [], raw, at));
    // bad globs are reported together with the schema errors, not only once those are fixed (best effort on the
    // unvalidated document: lists that are not lists of strings are skipped)
    const globIssues: PolicyIssue[] = [];
    try {
      checkPatterns(raw as PolicyDocument, (path, message) => globIssues.push(at(path, message)), true);
    } catch {
      // a shape checkPatterns cannot walk: the schema errors say why
    }
    const seen = new Set(schemaIssues.map((i) => i.path));
    throw new PolicyError([...schemaIssues, ...globIssues.filter((i) => !seen.has(i.path))]);
  }
  const written = parsed.data;

  const issues: PolicyIssue[] = [];
  checkPatterns(written, (path, message) => issues.push(at(path, message)));
  // `when` blocks: every block's patterns are checked, whichever environment this is; the matching ones are laid over
  // the document before anything else reads it.
  written.when?.forEach((block, i) => {
    const { env: _env, userGroup: _group, ...sections } = block;
    checkPatterns({ version: 1, ...sections } as PolicyDocument, (path, message) =>
      issues.push(at(['when', i, ...path], message)),
    );
    if (block.userGroup !== undefined)
      checkPerItemSections(block, (path, message) => issues.push(at(['when', i, ...path], message)));
  });
  const groups = userGroupsOf(written);
  if (groups.length > 0 && written.userGroups === undefined)
    issues.push(
      at(
        ['when'],
        'a when block names a userGroup, but userGroups.attribute (the attribute holding the group) is not set',
      ),
    );
  else if (written.userGroups !== undefined)
    checkUserGroupOrder(written, groups, (path, message) => issues.push(at(path, message)));
  const env = options.env ?? process.env[ENV_VARIABLE];
  const doc = applyWhenBlocks(written, env, group);
  if (issues.length > 0) throw new PolicyError(issues);

  // extends: the user's rules laid over the default policy (lists concatenated, scalars overridden).
  let effective: PolicyDocument = doc;
  let defaults: ReturnType<typeof defaultPolicyDocument> | undefined;
  if (doc.extends === 'default') {
    defaults = defaultPolicyDocument();
    const { extends: _e, ...rest } = doc;
    effective = mergeDocuments(defaults.value, rest)!;
    // Your keys replace the default's, whole: merged field by field, a `{ id, file }` over the default's
    // `{ id, env }` would hold both, and the default's variable would be read under your id.
    if (doc.keys !== undefined) effective = { ...effective, keys: { ...defaults.value.keys, ...doc.keys } };
  }

  // Keys: read now, so missing or weak material fails at load time, never at export time. A ring is a list: the
  // first key is active, the others are read (and so checked) for lookups and decryption.
  const keys: LoadedKeys = { hmac: [], encryption: [] };
  for (const kind of ['hmac', 'encryption'] as const) {
    const declared = effective.keys?.[kind];
    if (declared === undefined) continue;
    const fromUser = doc.keys?.[kind] !== undefined;
    const dir = fromUser || !defaults ? baseDir : defaults.dir;
    const refs: readonly EncryptionKeyRef[] = Array.isArray(declared) ? declared : [declared];
    refs.forEach((ref, i) => {
      const at_ = (field: string) => (Array.isArray(declared) ? ['keys', kind, i, field] : ['keys', kind, field]);
      try {
        // With a signed policy every key file must be in the manifest (one the default policy named would be refused).
        if (ref.recipient !== undefined)
          keys.encryption.push(readRecipientKey(ref.id, ref.recipient, dir, checkFile?.(ref.recipient)));
        else
          keys[kind].push(
            readKeyMaterial(ref as KeyRef, kind, dir, ref.file !== undefined ? checkFile?.(ref.file) : undefined),
          );
      } catch (err) {
        if (options.ignoreMissingKeys && err instanceof MissingKeyError) {
          keys[kind].push(
            ref.recipient !== undefined
              ? throwawayRecipient(ref.id)
              : keyMaterial(ref.id, randomBytes(KEY_LENGTH[kind])),
          );
          options.onMissingKey?.(
            `${formatPath(at_(ref.recipient !== undefined ? 'recipient' : ref.env !== undefined ? 'env' : 'file'))}: ${err.message}; checked with a throwaway key`,
          );
          return;
        }
        const field = ref.recipient !== undefined ? 'recipient' : ref.env !== undefined ? 'env' : 'file';
        if (fromUser || !defaults) issues.push(at(at_(field), (err as Error).message));
        else issues.push(at(['extends'], `the default policy's keys.${kind}: ${(err as Error).message}`));
      }
    });
  }
  if (effective.values?.bytes === 'keep' && !hasLiteralAllow(effective))
    issues.push(
      at(
        ['values', 'bytes'],
        '"keep" keeps undecodable bytes only under keys named literally (no glob) in an allow list, and no allow list names one',
      ),
    );
  const needs = keyNeeds(effective);
  if (needs.hmac && !effective.keys?.hmac)
    issues.push(at(['keys'], `${needs.hmac} hashes values but keys.hmac is not set`));
  if (needs.encryption && !effective.keys?.encryption)
    issues.push(at(['keys'], `${needs.encryption} encrypts values but keys.encryption is not set`));
  if (issues.length > 0) throw new PolicyError(issues);

  // Layered: the keys the user's document names literally are decided by the user's rules (see Policy); the hash
  // covers the user's document too, since two documents can merge to the same lists and still decide differently.
  const own = defaults ? (doc as PolicyDocument) : undefined;
  // The user-group blocks decide items too: they are part of the hash (the environment's blocks are in `effective`).
  const groupBlocks = group === undefined ? written.when?.filter((b) => b.userGroup !== undefined) : undefined;
  const hashed = own ? { ...effective, layeredOver: contentHash(own as Record<string, unknown>) } : effective;
  const hash = contentHash(
    (groupBlocks?.length ? { ...hashed, userGroupBlocks: groupBlocks } : hashed) as Record<string, unknown>,
  );
  const tools = buildTools(effective, keys);
  const consent = effective.consent;
  if (consent !== undefined && tools.pseudonymizer !== undefined) {
    const file = resolve(baseDir, consent.optOut.file);
    const rate = consent.optOut.falsePositiveRate ?? DEFAULT_FALSE_POSITIVE_RATE;
    let optOut: OptOutSet;
    try {
      optOut = new OptOutSet(
        file,
        rate,
        tools.pseudonymizer.keyId,
        options.optOut === 'empty',
        checkFile?.(consent.optOut.file),
      );
    } catch (err) {
      if (!(options.ignoreMissingKeys && !existsSync(file)))
        throw new PolicyError([at(['consent', 'optOut', 'file'], (err as Error).message)], { cause: err });
      options.onMissingKey?.(`consent.optOut.file: ${(err as Error).message}; checked with an empty opt-out set`);
      optOut = new OptOutSet(file, rate, tools.pseudonymizer.keyId, true);
    }
    const gate = new ConsentGate(
      {
        attributes: consent.subject.attributes ?? [],
        baggage: consent.subject.baggage ?? [],
        context: consent.subject.context ?? false,
        action: consent.action ?? 'drop',
        personal: consent.personal ?? [],
      },
      tools.pseudonymizer,
      optOut,
    );
    return withUserGroups(
      new Policy(effective, hash, { ...tools, consent: gate }, own),
      raw,
      source,
      baseDir,
      options,
      checkFile,
      group,
    );
  }
  return withUserGroups(new Policy(effective, hash, tools, own), raw, source, baseDir, options, checkFile, group);
}

/** Sections a `userGroup` block cannot hold: settings fixed per process or per provider, not per item. */
const PER_PROCESS: readonly (readonly string[])[] = [
  ['resource'],
  ['propagation'],
  ['alarms'],
  ['traces', 'traceState'],
  ['traces', 'sampling'],
  ['logs', 'minSeverity'],
  ['logs', 'sampling'],
  ['metrics', 'kAnonymity'],
  ['metrics', 'cardinalityLimit'],
  ['metrics', 'exportIntervalMillis'],
];

/** Reports the sections of a `userGroup` block that cannot vary per item. */
function checkPerItemSections(block: object, report: (path: readonly PropertyKey[], message: string) => void): void {
  for (const path of PER_PROCESS) {
    let v: unknown = block;
    for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    if (v !== undefined)
      report(
        path,
        'cannot be set per user group (it applies to the whole process or provider, not per item); set it in an env block or at the top level',
      );
  }
}

/**
 * Checks `userGroups.order` and `userGroups.unknown` against the groups the `when` blocks name (`groups`, canonical):
 * `order` lists every group and `base` once each (required when a block names a group), `unknown` is one of them, and
 * no block names a group `base`.
 */
function checkUserGroupOrder(
  doc: PolicyDocument,
  groups: readonly string[],
  report: (path: readonly PropertyKey[], message: string) => void,
): void {
  const ug = doc.userGroups!;
  doc.when?.forEach((block, i) => {
    const g = block.userGroup;
    if (g !== undefined && (typeof g === 'string' ? [g] : g).some((n) => canonicalUserGroup(n) === BASE_GROUP))
      report(['when', i, 'userGroup'], `"${BASE_GROUP}" is reserved (the rules of items without a user group)`);
  });
  const expected = `list ${[...groups, BASE_GROUP].join(', ')} from strictest to loosest`;
  if (ug.order === undefined) {
    if (groups.length > 0)
      report(
        ['userGroups'],
        `order is required when a when block names a userGroup: ${expected} (an item naming several groups, or a value no block names, gets the stricter rules)`,
      );
    return;
  }
  const seen = new Set<string>();
  ug.order.forEach((name, i) => {
    const c = canonicalUserGroup(name);
    if (seen.has(c)) report(['userGroups', 'order', i], `"${name}" is listed twice`);
    else if (c !== BASE_GROUP && !groups.includes(c))
      report(['userGroups', 'order', i], `"${name}" is no user group a when block names (${expected})`);
    seen.add(c);
  });
  const missing = [...groups, BASE_GROUP].filter((g) => !seen.has(g));
  if (missing.length > 0) report(['userGroups', 'order'], `does not list ${missing.join(', ')} (${expected})`);
  if (ug.unknown !== undefined && !seen.has(canonicalUserGroup(ug.unknown)))
    report(['userGroups', 'unknown'], `"${ug.unknown}" is not in userGroups.order`);
}

/**
 * The policy with one compiled policy per user group its `when` blocks name (`userGroups`): the base document with
 * the environment's blocks and that group's blocks laid over it, compiled once here, and chosen per item by one
 * lookup of the group attribute (`CompiledPolicy.forItem`). The group policies share the base's generation (a hot
 * reload replaces them all at once) and its consent gate.
 */
function withUserGroups(
  policy: Policy,
  raw: unknown,
  source: PolicySource,
  baseDir: string,
  options: LoadPolicyOptions,
  checkFile: FileCheck,
  group: string | undefined,
): Policy {
  if (group !== undefined) return policy;
  const written = raw as PolicyDocument;
  const attribute = written.userGroups?.attribute;
  const names = userGroupsOf(written);
  if (attribute === undefined || names.length === 0) return policy;
  const byGroup = new Map<string, CompiledPolicy>();
  for (const name of names)
    byGroup.set(name, compilePolicy(raw, source, baseDir, { ...options, optOut: 'empty' }, checkFile, name).compiled);
  const order = written.userGroups!.order!.map(canonicalUserGroup);
  const unknown =
    written.userGroups!.unknown === undefined ? order[0]! : canonicalUserGroup(written.userGroups!.unknown);
  policy.compiled.adoptUserGroups(
    new UserGroupSelector(attribute, order, unknown, byGroup, policy.compiled),
    byGroup.values(),
  );
  return policy;
}

let semconvNamed: ReadonlySet<string> | undefined;
/**
 * The keys the default policy names literally: the semantic-convention keys it is generated from (read once, when a
 * policy with a leak alarm is first loaded).
 */
function semconvNamedKeys(): ReadonlySet<string> {
  return (semconvNamed ??= literalKeys(defaultPolicyDocument().value));
}

/** The engine's helpers for a validated effective document: keyed hashing, encryption, scanning, sanitizers. */
function buildTools(doc: PolicyDocument, keys: LoadedKeys): RedactorTools {
  const ring = keys.hmac as KeyMaterial[];
  // Pseudonyms and encryption tokens start with their key's id (`k1:…`): span-name templating leaves them.
  const keyIds = new Set<string>([...ring, ...keys.encryption].map((k) => (k as { id: string }).id));
  const pseudonymizer = ring.length > 0 ? new Pseudonymizer(ring[0]!) : undefined;
  const active = keys.encryption[0];
  const values = doc.values;
  const findings = Object.create(null) as Record<string, number>;
  // Every finding counted into `findings` (by the scanner or the engine) is also added here: an O(1) total.
  const findingTally: FindingTally = { total: 0 };
  // `alarms.leak`: the scanner notes each finding's type for the engine to attribute (nothing for clean values).
  const findingLog = values && doc.alarms?.leak ? new FindingLog() : undefined;
  const mask = values?.mask ?? '[REDACTED:{type}]';
  // `values.masks`: the scanner hands each finding's text to a masker that knows the type's mask.
  const masker =
    values?.masks !== undefined && Object.keys(values.masks).length > 0 && (values.action ?? 'mask') === 'mask'
      ? findingMasker(values, mask)
      : undefined;
  const detector = values
    ? createValueScanner({
        detectors: values.detectors ?? 'all',
        custom: values.custom,
        action: masker ? 'hash' : (values.action ?? 'mask'),
        mask,
        maxScanLength: values.maxScanLength,
        unscannedTail: values.unscannedTail,
        findings,
        tally: findingTally,
        findingLog: findingLog?.pending,
        hash: masker ?? (pseudonymizer ? (text) => pseudonymizer.pseudonym(text) : undefined),
        timestampPrecision:
          values.timestamps === 'coarsen' ? durationMillis(values.timestampPrecision ?? '1s') : undefined,
      })
    : undefined;
  const url = doc.sanitizers?.url;
  const keepParams = [...(url?.params?.keep ?? []), ...(url?.keepParams ?? [])];
  const urlSanitizer = createUrlSanitizer({
    sensitiveParams: url?.sensitiveParams,
    paramsMode: url?.params?.mode,
    keepParams,
    maxSegments: url?.maxSegments,
  });
  // `sanitizers.sql` is the older name of `sanitizers.statements.attributes`.
  const statementKeys = [
    ...new Set([...(doc.sanitizers?.statements?.attributes ?? []), ...(doc.sanitizers?.sql?.attributes ?? [])]),
  ];
  const before = beforeDetectors(values);
  // a `key=value` of free text whose key the URL rules redact in a query (`password=/x`) keeps its value redacted whole
  const sensitiveName = sensitiveParamTest(url?.sensitiveParams);
  return {
    pseudonymizer,
    pseudonymRing: pseudonymizer ? [pseudonymizer, ...ring.slice(1).map((k) => new Pseudonymizer(k, 64))] : undefined,
    encryptor:
      active === undefined
        ? undefined
        : 'publicKey' in active
          ? new RecipientFieldEncryptor(active)
          : new FieldEncryptor(active),
    scanner: detector && values ? withAddressKeyNumbers(scannerWithExemptions(detector, values, before)) : undefined,
    scanTransformed: detector ? scanTransformedBy(rewriteScan(detector, before, findingTally)) : undefined,
    findings: detector ? findings : undefined,
    findingTally: detector ? findingTally : undefined,
    findingLog: detector ? findingLog : undefined,
    alarmKeys:
      detector && findingLog
        ? new AlarmKeyLabels(literalKeys(doc, new Set(semconvNamedKeys())), pseudonymizer)
        : undefined,
    timestampPrecision:
      values?.timestamps === 'coarsen' ? durationMillis(values.timestampPrecision ?? '1s') : undefined,
    keyScanner: detector ? (key) => detector.findingTypes(key) : undefined,
    bytes: values?.bytes ?? 'scan',
    numberFloor: detector && values?.scanNumbers !== false ? detector.numberFloor : Infinity,
    // Results are cached by the engine per rule (AttributeRedactor's output cache), not here.
    transforms: {
      url: url?.attributes?.length ? { keys: url.attributes, apply: urlSanitizer } : undefined,
      statement: statementKeys.length ? { keys: statementKeys, apply: sanitizeStatement } : undefined,
    },
    statementFamily: createFamilyResolver(doc.sanitizers?.statements?.systems),
    spanName: doc.sanitizers?.spanName ? (name) => sanitizeSpanName(name, urlSanitizer) : undefined,
    spanNameTokens: doc.sanitizers?.spanName ? (name) => templateNameTokens(name, keyIds) : undefined,
    textUrls:
      (url?.logBody ?? (url?.attributes?.length ?? 0) > 0)
        ? (text) => sanitizeUrlsInText(text, urlSanitizer, sensitiveName)
        : undefined,
  };
}

/** A `rewriteScan` in the engine's form: a dropped value is `DROPPED`. */
function scanTransformedBy(
  scan: (raw: string, transformed: string, key: string) => string | undefined,
): RedactorTools['scanTransformed'] {
  return (raw, transformed, key) => scan(raw, transformed, key) ?? DROPPED;
}

/** The per-type masker of `values.masks`: a second scanner (counting nowhere) names each finding's type. */
function findingMasker(values: NonNullable<PolicyDocument['values']>, mask: string): (text: string) => string {
  const classifier = createValueScanner({
    detectors: values.detectors ?? 'all',
    custom: values.custom,
    action: 'mask',
    mask: '{type}',
    cleanCacheSize: 0,
    findings: Object.create(null) as Record<string, number>,
  });
  return createFindingMasker(values.masks ?? {}, mask, (text) => classifier.scan(text).types[0] ?? 'unknown');
}

/** The detectors as the engine calls them, with `values.allow` / `values.ignoreKeys` around them when set. */
function scannerWithExemptions(
  detector: { redact(value: string): string | undefined },
  values: NonNullable<PolicyDocument['values']>,
  before: (value: string) => string,
): ValueScanner {
  const scan: ValueScanner = (value) => detector.redact(before(value)) ?? DROPPED;
  if (!values.allow?.length && !values.ignoreKeys?.length) return scan;
  const precision = values.timestamps === 'coarsen' ? durationMillis(values.timestampPrecision ?? '1s') : undefined;
  return withValueExemptions(scan, {
    allow: values.allow,
    ignoreKeys: values.ignoreKeys,
    times:
      precision === undefined
        ? undefined
        : (v) => {
            const t = coarsenPercentEncodedTimes(v, precision) ?? v;
            return coarsenTimesInText(t, precision) ?? t;
          },
  });
}

/**
 * What a value goes through before the detectors read it: the user names of home-directory paths written `{user}`
 * (`/home/{user}/…`), and, with `values.timestamps: coarsen`, percent-encoded date-times rounded down (the detectors
 * round the plain ones). Made once per policy.
 */
function beforeDetectors(values: PolicyDocument['values']): (value: string) => string {
  const precision = values?.timestamps === 'coarsen' ? durationMillis(values.timestampPrecision ?? '1s') : undefined;
  if (precision === undefined) return maskHomeDirectories;
  return (value) => {
    const v = maskHomeDirectories(value);
    return coarsenPercentEncodedTimes(v, precision) ?? v;
  };
}

/** Every attribute-rules block in a document, with its path. */
function ruleBlocks(doc: PolicyDocument): [readonly PropertyKey[], AttributeRulesDocument | undefined][] {
  return [
    [['attributes'], doc.attributes],
    [['resource'], doc.resource],
    [['traces', 'attributes'], doc.traces?.attributes],
    [['metrics', 'attributes'], doc.metrics?.attributes],
    [['logs', 'attributes'], doc.logs?.attributes],
    ...Object.entries(doc.scopes ?? {}).map(([name, s]): [PropertyKey[], AttributeRulesDocument | undefined] => [
      ['scopes', name, 'attributes'],
      s.attributes,
    ]),
  ];
}

/** Whether some allow list names a key literally (no glob characters): where `values.bytes: keep` applies. */
function hasLiteralAllow(doc: PolicyDocument): boolean {
  return ruleBlocks(doc).some(([, block]) => block?.allow?.some((p) => !/[*?[\]{}()!+@]/.test(p)) === true);
}

/** Names the first rule that needs each kind of key, e.g. `attributes.hash`. */
function keyNeeds(doc: PolicyDocument): { hmac?: string; encryption?: string } {
  const out: { hmac?: string; encryption?: string } = {};
  for (const [path, block] of ruleBlocks(doc)) {
    if (!out.hmac && (block?.hash?.length || block?.default === 'hash'))
      out.hmac = formatPath([...path, block?.hash?.length ? 'hash' : 'default']);
    if (!out.encryption && block?.encrypt?.length) out.encryption = formatPath([...path, 'encrypt']);
  }
  if (!out.hmac && doc.values?.action === 'hash') out.hmac = 'values.action';
  if (!out.hmac && doc.propagation?.baggage?.hash?.length) out.hmac = 'propagation.baggage.hash';
  if (!out.hmac && doc.consent !== undefined) out.hmac = 'consent';
  return out;
}

/** Compiles every glob and custom pattern once, reporting the ones that cannot be used. */
function checkPatterns(
  doc: PolicyDocument,
  report: (path: readonly PropertyKey[], message: string) => void,
  unvalidated = false,
): void {
  const glob = (path: readonly PropertyKey[], pattern: string) => {
    if (unvalidated && typeof pattern !== 'string') return;
    try {
      compileGlob(pattern);
    } catch (err) {
      report(path, (err as Error).message);
    }
  };
  const globs = (path: readonly PropertyKey[], list: readonly EncryptRule[] | undefined): void => {
    if (unvalidated && !Array.isArray(list)) return;
    list?.forEach((g, i) =>
      typeof g === 'object' && g !== null ? glob([...path, i, 'key'], g.key) : glob([...path, i], g),
    );
  };
  for (const [path, block] of ruleBlocks(doc)) {
    for (const list of ['allow', 'hash', 'encrypt', 'drop'] as const) globs([...path, list], block?.[list]);
    for (const key of Object.keys(block?.generalize ?? {})) glob([...path, 'generalize', key], key);
  }
  for (const name of Object.keys(doc.scopes ?? {})) glob(['scopes', name], name);
  globs(['consent', 'personal'], doc.consent?.personal);
  globs(['traces', 'traceState', 'allow'], doc.traces?.traceState?.allow);
  globs(['propagation', 'baggage', 'allow'], doc.propagation?.baggage?.allow);
  globs(['propagation', 'baggage', 'hash'], doc.propagation?.baggage?.hash);
  globs(['sanitizers', 'url', 'attributes'], doc.sanitizers?.url?.attributes);
  globs(['sanitizers', 'statements', 'attributes'], doc.sanitizers?.statements?.attributes);
  globs(['sanitizers', 'sql', 'attributes'], doc.sanitizers?.sql?.attributes);
  doc.traces?.sampling?.rules?.forEach(
    (r, i) => r.spanName !== undefined && glob(['traces', 'sampling', 'rules', i, 'spanName'], r.spanName),
  );
  globs(['values', 'ignoreKeys'], doc.values?.ignoreKeys);
  const maskNames = new Set<string>([...detectorNames, ...(doc.values?.custom ?? []).map((c) => c.name)]);
  for (const name of Object.keys(doc.values?.masks ?? {})) {
    if (!maskNames.has(name))
      report(['values', 'masks', name], `unknown detector ${JSON.stringify(name)} (a built-in or values.custom name)`);
    else if ((doc.values?.action ?? 'mask') !== 'mask')
      report(
        ['values', 'masks', name],
        `masks apply with values.action "mask", not ${JSON.stringify(doc.values?.action)}`,
      );
  }
  doc.values?.allow?.forEach((entry, i) => {
    const reason = checkAllowEntry(entry);
    if (reason !== undefined) report(['values', 'allow', i, ...(typeof entry === 'string' ? [] : ['pattern'])], reason);
  });
  doc.values?.custom?.forEach((c, i) => {
    const reason = checkCustomPattern(c.pattern);
    if (reason !== undefined) report(['values', 'custom', i, 'pattern'], reason);
  });
}

const ARTICLE: Record<string, string> = {
  array: 'an array',
  object: 'a map',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  int: 'an integer',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null || !Object.prototype.hasOwnProperty.call(cur, seg))
      return { found: false, value: undefined };
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return { found: true, value: cur };
}

/** A mapping key as a message names it: quoted, or the notice that it is not shown (key material, a finding). */
function quotedKey(key: string): string {
  const shown = keyNameForError(key);
  return shown === key ? JSON.stringify(key) : shown;
}

/** Turns one zod issue into policy issues with short, precise messages. */
function zodIssues(
  issue: core.$ZodIssue,
  prefix: readonly PropertyKey[],
  raw: unknown,
  at: (path: readonly PropertyKey[], message: string) => PolicyIssue,
): PolicyIssue[] {
  const path = [...prefix, ...issue.path];
  const missing = !valueAt(raw, path).found;
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => at([...path, k], `unknown key ${quotedKey(k)}`));
    case 'invalid_type': {
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      return [at(path, missing ? `required: expected ${expected}` : `expected ${expected}`)];
    }
    case 'invalid_value': {
      if (issue.message && !issue.message.startsWith('Invalid'))
        return [at(path, missing ? `required: ${issue.message}` : issue.message)];
      const values = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return [at(path, issue.values.length === 1 ? `expected ${values}` : `expected one of ${values}`)];
    }
    case 'invalid_union': {
      // Report the alternative that got furthest into the value.
      const best = issue.errors.flat().sort((a, b) => b.path.length - a.path.length)[0];
      return best ? zodIssues(best, path, raw, at) : [at(path, 'invalid value')];
    }
    case 'too_small':
      if (issue.message && !issue.message.startsWith('Too small')) return [at(path, issue.message)];
      return [
        at(
          path,
          issue.origin === 'string' ? 'expected a non-empty string' : `expected at least ${String(issue.minimum)}`,
        ),
      ];
    case 'too_big':
      if (issue.message && !issue.message.startsWith('Too big')) return [at(path, issue.message)];
      return [at(path, `expected at most ${String(issue.maximum)}`)];
    case 'invalid_key':
      return issue.issues.flatMap((i) => zodIssues(i, path, raw, at));
    default:
      return [at(path, issue.message)];
  }
}
