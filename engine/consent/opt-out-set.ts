import { createHash } from 'node:crypto';
import { keyPathForError } from '../crypto/key-material';
import { readRegularFile } from '../read-regular-file';
import { printOnlySummary } from '../inspect-summary';
import { TwoGenerationCache } from '../two-generation-cache';
import { BloomFilter } from './bloom-filter';
import { OptedOutValues } from './opted-out-values';

/**
 * Decisions cached per filter, per generation of the cache (at most twice this many): by raw subject value and by
 * pseudonym (a span is looked up at its start, raw, and at its end, hashed), so 32 768 active subjects stay cached.
 */
const DECISION_CACHE_SIZE = 65_536;

/** The false-positive rate accepted when `consent.optOut.falsePositiveRate` is not set. */
export const DEFAULT_FALSE_POSITIVE_RATE = 0.001;

/**
 * The opt-out set of a policy: the Bloom filter file `consent.optOut.file`, checked when it is loaded (format,
 * checksum, built for the policy's HMAC key id, expected false-positive rate within the configured bound) and
 * replaced as a whole by `reload()` when the file changes. A reload that fails keeps the filter in effect.
 */
export class OptOutSet {
  private filter: BloomFilter;
  private digest: string;
  private cache = new TwoGenerationCache<boolean>(DECISION_CACHE_SIZE);
  /** The identifier values found opted out under the filter in effect (a new set on reload: see `ConsentGate.seen`). */
  seen = new OptedOutValues();

  /**
   * @param file absolute path of the filter file
   * @param maxFalsePositiveRate the largest expected false-positive rate accepted
   * @param keyId the HMAC key id whose pseudonyms are looked up (the filter must hold that key's pseudonyms)
   * @param empty start with an empty filter instead of reading the file (tools that never gate anything)
   * @param checkFile called with the file's bytes as read, at load and on every reload, before they are used (a
   *   signed policy's manifest check); throwing refuses them
   * @throws Error with a one-line message when the file cannot be used
   */
  constructor(
    readonly file: string,
    readonly maxFalsePositiveRate: number,
    readonly keyId: string,
    empty = false,
    private readonly checkFile?: (bytes: Buffer) => void,
  ) {
    if (empty) {
      this.filter = BloomFilter.create(1, maxFalsePositiveRate, [keyId]);
      this.digest = '';
    } else {
      const { filter, digest } = this.read();
      this.filter = filter;
      this.digest = digest;
    }
  }

  /** Entries in the filter in effect. */
  get size(): number {
    return this.filter.size;
  }

  /** The expected false-positive rate of the filter in effect. */
  get expectedFalsePositiveRate(): number {
    return this.filter.expectedFalsePositiveRate;
  }

  /** True when `pseudonym` is in the set (or a false positive). */
  has(pseudonym: string): boolean {
    return this.filter.has(pseudonym);
  }

  /** The cached decision for the raw subject value `raw` under the filter in effect, if any. */
  cached(raw: string): boolean | undefined {
    return this.cache.get(raw);
  }

  /** Caches the decision for `raw` (values of at most 256 characters). */
  remember(raw: string, optedOut: boolean): void {
    if (raw.length <= 256) this.cache.set(raw, optedOut);
  }

  /**
   * Reads the file again; a changed, valid filter replaces the one in effect (and its cached decisions).
   * @throws Error (one line) when the new content cannot be used; the filter in effect stays
   */
  reload(): 'reloaded' | 'unchanged' {
    const bytes = this.readBytes();
    const digest = sha256(bytes);
    if (digest === this.digest) return 'unchanged';
    this.checkFile?.(bytes);
    const filter = this.check(BloomFilter.parse(bytes, `consent.optOut.file ${this.file}`));
    this.filter = filter;
    this.digest = digest;
    this.cache = new TwoGenerationCache<boolean>(DECISION_CACHE_SIZE);
    this.seen = new OptedOutValues();
    return 'reloaded';
  }

  private read(): { filter: BloomFilter; digest: string } {
    const bytes = this.readBytes();
    this.checkFile?.(bytes);
    return {
      filter: this.check(BloomFilter.parse(bytes, `consent.optOut.file ${this.file}`)),
      digest: sha256(bytes),
    };
  }

  private readBytes(): Buffer {
    try {
      return readRegularFile(this.file);
    } catch (err) {
      throw new Error(
        `cannot read consent.optOut.file ${keyPathForError(this.file)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        { cause: err },
      );
    }
  }

  private check(filter: BloomFilter): BloomFilter {
    if (!filter.keyIds.includes(this.keyId))
      throw new Error(
        `consent.optOut.file ${this.file} holds pseudonyms of key id(s) ${JSON.stringify(filter.keyIds)}, the policy hashes with key id ${JSON.stringify(this.keyId)} (rebuild it with "otel-privacy consent build")`,
      );
    const rate = filter.expectedFalsePositiveRate;
    if (rate > this.maxFalsePositiveRate)
      throw new Error(
        `consent.optOut.file ${this.file}: expected false-positive rate ${rate.toPrecision(3)} with ${filter.size} entries is above consent.optOut.falsePositiveRate ${this.maxFalsePositiveRate} (rebuild it with "otel-privacy consent build")`,
      );
    return filter;
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// Its decision cache holds raw subject identifiers: a print shows only the file and size.
printOnlySummary(OptOutSet.prototype, 'OptOutSet', (s) => ({ file: s.file, size: s.size }));
