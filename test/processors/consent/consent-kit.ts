import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { BloomFilter } from '../../../engine/consent/bloom-filter';

/**
 * A fixed fake HMAC key for one test file, derived from `name` (never a real key). Fixed, not random: which raw ids
 * are false positives of a Bloom filter depends on the key, so a random key would make a test that meets one fail in
 * about one run in a hundred. With a fixed key the same ids are tested every run; tests that need subjects the filter
 * does not report pick them with `notReported` instead of assuming it.
 */
export function fakeHmacKey(name: string): string {
  return `fake-consent-hmac-${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

/** The first `count` ids `${prefix}-<i>` the filter does not report (an opted-in subject that is no false positive). */
export function notReported(filter: BloomFilter, key: string, prefix: string, count = 1, keyId = 'k1'): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++)
    if (!filter.has(pseudonymOf(key, `${prefix}-${i}`, keyId))) out.push(`${prefix}-${i}`);
  return out;
}

/** The pseudonym a policy with key `keyId` = `key` writes for `value`, computed independently of the library. */
export function pseudonymOf(key: string, value: string, keyId = 'k1'): string {
  return `${keyId}:${createHmac('sha256', key).update(value).digest().subarray(0, 16).toString('base64url')}`;
}

/** `count` obviously fake subject ids with a prefix. */
export function fakeIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

/** A temporary directory for one test file. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'otel-privacy-consent-'));
}

/** Writes an opt-out filter of the pseudonyms of `ids` to `file` (as `consent build` does). */
export function writeOptOut(
  file: string,
  key: string,
  ids: readonly string[],
  rate: number,
  keyId = 'k1',
): BloomFilter {
  const filter = BloomFilter.create(ids.length, rate, [keyId]);
  for (const id of ids) filter.add(pseudonymOf(key, id, keyId));
  writeFileSync(file, filter.serialize());
  return filter;
}

/** A policy (YAML) that allows every span and log attribute, with one subject key and `action`; `extra` appended. */
export function allowAllConsentYaml(options: {
  env: string;
  subjectKey: string;
  optOutFile: string;
  rate: number;
  action: 'drop' | 'minimize';
  extra?: string;
}): string {
  return `version: 1
keys:
  hmac: { id: k1, env: ${options.env} }
attributes:
  allow: ['*']
logs:
  attributes:
    allow: ['*']
consent:
  subject:
    attributes: ['${options.subjectKey}']
  optOut: { file: ${options.optOutFile}, falsePositiveRate: ${options.rate} }
  action: ${options.action}
${options.extra ?? ''}`;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that write an opt-out filter holding `optedOut` and an allow-all policy with
 * `action` on `subjectKey`, its key in `env`; returns the policy file's path (valid inside tests).
 */
export function consentPolicyFile(options: {
  name: string;
  env: string;
  optedOut: readonly string[];
  action: 'drop' | 'minimize';
  subjectKey?: string;
  rate?: number;
}): () => string {
  const key = fakeHmacKey(options.name);
  const rate = options.rate ?? 0.000001;
  let dir = '';
  beforeAll(() => {
    process.env[options.env] = key;
    dir = tempDir();
    writeOptOut(join(dir, 'optout.bloom'), key, options.optedOut, rate);
    writeFileSync(
      join(dir, 'policy.yaml'),
      allowAllConsentYaml({
        env: options.env,
        subjectKey: options.subjectKey ?? 'user.id',
        optOutFile: 'optout.bloom',
        rate,
        action: options.action,
      }),
    );
  });
  afterAll(() => {
    delete process.env[options.env];
    rmSync(dir, { recursive: true, force: true });
  });
  return () => join(dir, 'policy.yaml');
}
