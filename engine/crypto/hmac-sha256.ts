import { createHmac } from 'node:crypto';
import { printOnlySummary } from '../inspect-summary';

/**
 * HMAC-SHA256 (RFC 2104 / FIPS 180-4) for short strings, with the key's inner and outer pad blocks
 * compressed once at construction: a MAC of an input up to 55 UTF-8 bytes costs two SHA-256
 * compressions and no allocation besides the result, where `createHmac` re-derives the pads, allocates
 * a handle and crosses into C++ for every value. Longer inputs go to `node:crypto`. The output is
 * bit-for-bit that of `createHmac('sha256', key)` (tested against it).
 *
 * Kept because it wins clearly on what it is used for, a new pseudonym (a cache miss):
 * `bench/tools/hmac-compare.mjs` (MAC + base64url encoding of fresh 16-40 byte ids, CPU time, 41
 * interleaved rounds of 20 000, 2-core AMD EPYC, 2026-12-05) measured 1.02 µs per new pseudonym
 * here against 2.18 µs with `createHmac` on Node 24.9 (median per-round ratio 2.17, 10-90 % range
 * 1.83-4.17; A/A control 1.05), and 1.08 µs against 3.74 µs on Node 20.20 (ratio 3.08). A
 * `KeyObject` key does not help `createHmac` (2.26 µs). Rerun it before changing this file.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const INITIAL_STATE = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** SHA-256 block size in bytes (also the HMAC pad length). */
const BLOCK = 64;

/** Inputs longer than this (in UTF-16 code units) are MACed by `node:crypto`, which wins on long inputs. */
const MAX_JS_INPUT = 256;

/** The message schedule, shared (the computation is synchronous and never re-entered). */
const W = new Int32Array(64);

/** One SHA-256 compression of `block[offset, offset + 64)` into `state`. */
function compress(state: Int32Array, block: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    W[i] = (block[j] << 24) | (block[j + 1] << 16) | (block[j + 2] << 8) | block[j + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15];
    const y = W[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

/** Writes the eight state words big-endian into `out[offset, offset + 32)`. */
function writeState(state: Int32Array, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 8; i++) {
    const w = state[i];
    const j = offset + i * 4;
    out[j] = w >>> 24;
    out[j + 1] = w >>> 16;
    out[j + 2] = w >>> 8;
    out[j + 3] = w;
  }
}

/** A reusable HMAC-SHA256 under one key (pad states precomputed). */
export class HmacSha256 {
  private readonly innerPadState = new Int32Array(8);
  private readonly outerPadState = new Int32Array(8);
  private readonly state = new Int32Array(8);
  /** Message blocks of the inner hash (UTF-8 input, padding, length). */
  private readonly message = new Uint8Array(Math.ceil((MAX_JS_INPUT * 3 + 9) / BLOCK) * BLOCK);
  /** The outer hash's one block: inner digest, padding, length. */
  private readonly outerBlock = new Uint8Array(BLOCK);
  private readonly encoder = new TextEncoder();

  constructor(private readonly key: Buffer) {
    // Keys longer than a block are hashed first (RFC 2104); shorter ones are zero-padded.
    const k = key.length > BLOCK ? createHmacKeyDigest(key) : key;
    const pad = new Uint8Array(BLOCK);
    for (const [state, fill] of [
      [this.innerPadState, 0x36],
      [this.outerPadState, 0x5c],
    ] as const) {
      pad.fill(fill);
      for (let i = 0; i < k.length; i++) pad[i] ^= k[i];
      state.set(INITIAL_STATE);
      compress(state, pad, 0);
    }
    pad.fill(0);
    // The outer message is always 64 + 32 bytes: fixed padding and length (768 bits).
    this.outerBlock[32] = 0x80;
    this.outerBlock[62] = 0x03;
  }

  /** Writes HMAC-SHA256(key, UTF-8 of `input`) into `out[0, 32)`. */
  mac(input: string, out: Uint8Array): void {
    if (input.length > MAX_JS_INPUT) {
      out.set(createHmac('sha256', this.key).update(input, 'utf8').digest());
      return;
    }
    const m = this.message;
    let n = input.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      const c = input.charCodeAt(i);
      if (c > 127) {
        ascii = false;
        break;
      }
      m[i] = c;
    }
    // Non-ASCII: TextEncoder writes lone surrogates as U+FFFD, exactly like Buffer's utf8.
    if (!ascii) n = this.encoder.encodeInto(input, m).written;
    const end = ((n + 9 + BLOCK - 1) >> 6) << 6;
    m.fill(0, n, end);
    m[n] = 0x80;
    const bits = (BLOCK + n) * 8; // < 2^32: the input is bounded
    m[end - 4] = bits >>> 24;
    m[end - 3] = bits >>> 16;
    m[end - 2] = bits >>> 8;
    m[end - 1] = bits;
    const st = this.state;
    st.set(this.innerPadState);
    for (let off = 0; off < end; off += BLOCK) compress(st, m, off);
    writeState(st, this.outerBlock, 0);
    st.set(this.outerPadState);
    compress(st, this.outerBlock, 0);
    writeState(st, out, 0);
  }
}

// Its pad states are as good as the key: never printed.
printOnlySummary(HmacSha256.prototype, 'HmacSha256', () => ({}));

/** SHA-256 of a long key (RFC 2104: keys longer than the block are hashed). */
function createHmacKeyDigest(key: Buffer): Uint8Array {
  const out = new Uint8Array(32);
  const st = new Int32Array(INITIAL_STATE);
  const end = ((key.length + 9 + BLOCK - 1) >> 6) << 6;
  const m = new Uint8Array(end);
  m.set(key);
  m[key.length] = 0x80;
  const bits = key.length * 8;
  m[end - 4] = bits >>> 24;
  m[end - 3] = bits >>> 16;
  m[end - 2] = bits >>> 8;
  m[end - 1] = bits;
  for (let off = 0; off < end; off += BLOCK) compress(st, m, off);
  writeState(st, out, 0);
  return out;
}
