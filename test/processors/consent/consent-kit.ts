import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BloomFilter } from '../../../engine/consent/bloom-filter';

/** A throwaway HMAC key for one test file (never a real key). */
export function fakeHmacKey(): string {
  return `fake-consent-hmac-${randomBytes(16).toString('hex')}`;
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
