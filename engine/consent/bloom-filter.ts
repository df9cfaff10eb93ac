import { createHash } from 'node:crypto';

/** The first bytes of a filter file. */
const MAGIC = Buffer.from('OTPBLOOM', 'latin1');
/** Length of the SHA-256 checksum at the end of a filter file. */
const CHECKSUM = 32;
/** Most bits a filter may have. */
const MAX_BITS = 0xffff_ffff;

/** base64url character code → its 6-bit value, -1 for other characters. */
const B64URL = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((c, i) => {
  B64URL[c.charCodeAt(0)] = i;
});

/** Length of a pseudonym's body after `<keyId>:` (base64url of 16 bytes). */
const PSEUDONYM_BODY = 22;

/** The two hashes of the entry last hashed (module state: the computation is synchronous and never re-entered). */
let h1 = 0;
let h2 = 0;

/**
 * Sets `h1`, `h2` for `entry`. A pseudonym (`<keyId>:` + 22 base64url characters) already is a keyed hash
 * (HMAC-SHA256): its first 72 bits are the two 36-bit hashes, read without allocating. Any other string is
 * hashed with SHA-256 (`node:crypto`).
 */
function hashes(entry: string): void {
  const body = entry.length - PSEUDONYM_BODY;
  if (body >= 2 && entry.charCodeAt(body - 1) === 58 /* : */) {
    let a = 0;
    let b = 0;
    let ok = true;
    for (let i = 0; i < PSEUDONYM_BODY; i++) {
      const c = entry.charCodeAt(body + i);
      const v = c < 128 ? B64URL[c] : -1;
      if (v < 0) {
        ok = false;
        break;
      }
      if (i < 6) a = a * 64 + v;
      else if (i < 12) b = b * 64 + v;
    }
    if (ok) {
      h1 = a;
      h2 = b + ((b & 1) === 0 ? 1 : 0);
      return;
    }
  }
  const d = createHash('sha256').update(entry, 'utf8').digest();
  h1 = d.readUInt32LE(0);
  h2 = (d.readUInt32LE(4) | 1) >>> 0;
}

/** What a filter file says about itself (its header). */
export interface BloomFilterHeader {
  /** Format version (1). */
  readonly v: 1;
  /** Number of bits. */
  readonly m: number;
  /** Number of hash positions per entry. */
  readonly k: number;
  /** Entries added. */
  readonly n: number;
  /** The false-positive rate the filter was sized for. */
  readonly falsePositiveRate: number;
  /** The HMAC key ids whose pseudonyms were added. */
  readonly keyIds: readonly string[];
}

/** Bits and hash count for `n` entries at false-positive rate `p` (the textbook optimum). */
export function bloomSize(n: number, p: number): { m: number; k: number } {
  const entries = Math.max(1, n);
  const m = Math.max(64, Math.ceil((-entries * Math.log(p)) / (Math.LN2 * Math.LN2)));
  if (m > MAX_BITS) throw new RangeError(`a filter for ${n} entries at rate ${p} needs more than 2^32 bits`);
  let size = m;
  for (;;) {
    // rounding k can leave the rate a little above p: grow m until the textbook rate is within p
    const k = Math.max(1, Math.min(30, Math.round((size / entries) * Math.LN2)));
    if (Math.pow(1 - Math.exp((-k * entries) / size), k) <= p) return { m: size, k };
    size = Math.ceil(size * 1.01);
    if (size > MAX_BITS) throw new RangeError(`a filter for ${n} entries at rate ${p} needs more than 2^32 bits`);
  }
}

/**
 * A Bloom filter over strings (the opt-out set's pseudonyms). Positions come from two hashes of the entry combined
 * by double hashing (Kirsch–Mitzenmacher): `(h1 + i·h2) mod m` for `i < k`. A pseudonym is itself a keyed
 * HMAC-SHA256 output, so its first 72 bits are the two hashes (no hashing per lookup); any other string gets one
 * SHA-256 (`node:crypto`). A member is always found; a non-member is found with probability about
 * `expectedFalsePositiveRate` (an opted-in subject treated as opted out: the safe side).
 *
 * The file form is `OTPBLOOM`, a 4-byte header length, the JSON header, the bits, and a SHA-256 of everything
 * before it (a truncated or altered file is refused).
 */
export class BloomFilter {
  private readonly bits: Uint8Array;
  private added: number;

  private constructor(
    readonly m: number,
    readonly k: number,
    readonly falsePositiveRate: number,
    readonly keyIds: readonly string[],
    bits?: Uint8Array,
    n = 0,
  ) {
    this.bits = bits ?? new Uint8Array(Math.ceil(m / 8));
    this.added = n;
  }

  /** An empty filter sized for `capacity` entries at `falsePositiveRate`, for pseudonyms of `keyIds`. */
  static create(capacity: number, falsePositiveRate: number, keyIds: readonly string[]): BloomFilter {
    if (!(falsePositiveRate > 0 && falsePositiveRate < 1))
      throw new RangeError(`false-positive rate must be between 0 and 1, got ${falsePositiveRate}`);
    const { m, k } = bloomSize(capacity, falsePositiveRate);
    return new BloomFilter(m, k, falsePositiveRate, [...keyIds]);
  }

  /**
   * Reads a filter file's bytes.
   * @param where names the file in error messages
   * @throws Error with a one-line message naming `where` and what is wrong
   */
  static parse(bytes: Uint8Array, where: string): BloomFilter {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buf.length < MAGIC.length + 4 + CHECKSUM || !buf.subarray(0, MAGIC.length).equals(MAGIC))
      throw new Error(`${where} is not an opt-out filter (make one with "otel-privacy consent build")`);
    const body = buf.subarray(0, buf.length - CHECKSUM);
    const sum = createHash('sha256').update(body).digest();
    if (!sum.equals(buf.subarray(buf.length - CHECKSUM)))
      throw new Error(`${where}: checksum mismatch (the file is truncated or was altered)`);
    const headerLength = buf.readUInt32BE(MAGIC.length);
    const start = MAGIC.length + 4;
    if (start + headerLength > body.length) throw new Error(`${where}: header length beyond the end of the file`);
    let header: BloomFilterHeader;
    try {
      header = JSON.parse(body.toString('utf8', start, start + headerLength)) as BloomFilterHeader;
    } catch {
      throw new Error(`${where}: unreadable header`);
    }
    const { v, m, k, n, falsePositiveRate, keyIds } = header ?? ({} as BloomFilterHeader);
    if (
      v !== 1 ||
      !Number.isInteger(m) ||
      m < 1 ||
      m > MAX_BITS ||
      !Number.isInteger(k) ||
      k < 1 ||
      k > 30 ||
      !Number.isInteger(n) ||
      n < 0 ||
      typeof falsePositiveRate !== 'number' ||
      !Array.isArray(keyIds) ||
      !keyIds.every((id) => typeof id === 'string')
    )
      throw new Error(`${where}: header is not a version 1 filter header`);
    const bits = body.subarray(start + headerLength);
    if (bits.length !== Math.ceil(m / 8))
      throw new Error(`${where}: holds ${bits.length} bytes of bits, the header says ${Math.ceil(m / 8)}`);
    return new BloomFilter(m, k, falsePositiveRate, keyIds, new Uint8Array(bits), n);
  }

  /** Entries added so far. */
  get size(): number {
    return this.added;
  }

  /** The false-positive rate expected with the entries added so far: `(1 - e^(-k·n/m))^k`. */
  get expectedFalsePositiveRate(): number {
    return Math.pow(1 - Math.exp((-this.k * this.added) / this.m), this.k);
  }

  /** Adds `entry`. */
  add(entry: string): void {
    hashes(entry);
    for (let i = 0; i < this.k; i++) {
      const bit = (h1 + i * h2) % this.m;
      this.bits[bit >>> 3] |= 1 << (bit & 7);
    }
    this.added++;
  }

  /** True when `entry` was added (or, with probability about the false-positive rate, when it was not). */
  has(entry: string): boolean {
    hashes(entry);
    for (let i = 0; i < this.k; i++) {
      const bit = (h1 + i * h2) % this.m;
      if ((this.bits[bit >>> 3] & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }

  /** The file form (see the class comment). */
  serialize(): Buffer {
    const header: BloomFilterHeader = {
      v: 1,
      m: this.m,
      k: this.k,
      n: this.added,
      falsePositiveRate: this.falsePositiveRate,
      keyIds: this.keyIds,
    };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    const body = Buffer.concat([MAGIC, length, json, this.bits]);
    return Buffer.concat([body, createHash('sha256').update(body).digest()]);
  }
}
