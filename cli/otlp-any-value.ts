import { setOwn } from '../engine/own-property';

/**
 * OTLP/JSON `AnyValue` and `KeyValue` lists ↔ the JavaScript values the engine works on (the same shapes
 * the SDK hands the processors): strings, numbers, booleans, `Uint8Array`, arrays and maps.
 *
 * Going back, every value is written as a freshly built single-field `AnyValue` (extra or unknown fields
 * of the input are never copied through); types survive the round trip (`intValue` stays an int, a
 * 64-bit integer beyond 2^53 keeps every digit, `doubleValue: 3` stays a double, bytes stay base64).
 */

/** An OTLP/JSON `AnyValue` (protobuf JSON mapping). */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}

/** An OTLP/JSON `KeyValue`. */
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

/** A value as the engine sees it. */
export type JsValue =
  string | number | bigint | boolean | Uint8Array | null | undefined | JsValue[] | { [key: string]: JsValue };

/** Thrown for a value that is not OTLP/JSON; the message names the path. */
export class OtlpShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpShapeError';
  }
}

/** `AnyValue` → JavaScript. An empty `AnyValue` (`{}`) becomes `undefined`. */
export function fromAnyValue(v: OtlpAnyValue | undefined, where: string): JsValue {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new OtlpShapeError(`${where}: expected an AnyValue object`);
  if (v.stringValue !== undefined) return String(v.stringValue);
  if (v.boolValue !== undefined) return Boolean(v.boolValue);
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    if (!Number.isFinite(n)) throw new OtlpShapeError(`${where}.intValue: not an integer`);
    // Beyond 2^53 a number loses digits (a 19-digit card would be scanned as another number): every digit kept.
    if (!Number.isSafeInteger(n) && typeof v.intValue === 'string' && INT_TEXT.test(v.intValue))
      return BigInt(v.intValue);
    return n;
  }
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.bytesValue !== undefined) return new Uint8Array(Buffer.from(String(v.bytesValue), 'base64'));
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map((e, i) => fromAnyValue(e, `${where}[${i}]`));
  if (v.kvlistValue !== undefined) return fromKeyValues(v.kvlistValue.values, where);
  return undefined;
}

/** A `KeyValue` list → a map (later duplicates win, as in the SDK). */
export function fromKeyValues(list: OtlpKeyValue[] | undefined, where: string): { [key: string]: JsValue } {
  const out: { [key: string]: JsValue } = {};
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new OtlpShapeError(`${where}: expected a list of {key, value}`);
  for (let i = 0; i < list.length; i++) {
    const kv = list[i];
    if (typeof kv !== 'object' || kv === null || typeof kv.key !== 'string')
      throw new OtlpShapeError(`${where}[${i}]: expected {key, value}`);
    setOwn(out, kv.key, fromAnyValue(kv.value, `${where}[${i}].value`));
  }
  return out;
}

/** An integer written as OTLP/JSON does: a JSON number or a decimal string (64-bit values keep every digit). */
const INT_TEXT = /^-?\d+$/;
/** A double as a string in OTLP/JSON: a decimal number or one of the protobuf JSON names. */
const DOUBLE_TEXT = /^(-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|NaN|-?Infinity)$/;

function sameNumber(original: unknown, value: number): boolean {
  const n = Number(original);
  return n === value || (Number.isNaN(n) && Number.isNaN(value));
}

/**
 * JavaScript → `AnyValue`, always a freshly built object with the single field the value needs: nothing
 * of `original` (the value before the engine) is copied through except, when the engine kept the number,
 * the original spelling of an `intValue` or `doubleValue` (so a 64-bit int keeps every digit and
 * `doubleValue: 3` stays a double). Extra or unknown fields of `original` are never written.
 */
export function toAnyValue(value: unknown, original?: OtlpAnyValue): OtlpAnyValue {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    const int = original?.intValue;
    if (
      int !== undefined &&
      sameNumber(int, value) &&
      (typeof int === 'number' ? Number.isInteger(int) : typeof int === 'string' && INT_TEXT.test(int))
    )
      return { intValue: int };
    const dbl = original?.doubleValue;
    if (
      dbl !== undefined &&
      sameNumber(dbl, value) &&
      (typeof dbl === 'number' || (typeof dbl === 'string' && DOUBLE_TEXT.test(dbl)))
    )
      return { doubleValue: dbl };
    if (Number.isSafeInteger(value)) return { intValue: String(value) };
    return { doubleValue: Number.isFinite(value) ? value : String(value) };
  }
  if (typeof value === 'bigint') return { intValue: String(value) };
  if (value instanceof Uint8Array)
    return { bytesValue: Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64') };
  if (Array.isArray(value)) {
    const before = original?.arrayValue?.values;
    return { arrayValue: { values: value.map((e, i) => toAnyValue(e, before?.[i])) } };
  }
  if (typeof value === 'object') {
    return { kvlistValue: { values: toKeyValues(value as Record<string, unknown>, original?.kvlistValue?.values) } };
  }
  return { stringValue: String(value) };
}

/** A map → a fresh `KeyValue` list; `original` entries (matched by key) only tell `toAnyValue` the numbers' original spelling. */
export function toKeyValues(map: Record<string, unknown>, original?: OtlpKeyValue[]): OtlpKeyValue[] {
  let byKey: Map<string, OtlpAnyValue | undefined> | undefined;
  if (original !== undefined && original.length > 0) {
    byKey = new Map();
    for (const kv of original) byKey.set(kv.key, kv.value);
  }
  const out: OtlpKeyValue[] = [];
  for (const key of Object.keys(map)) out.push({ key, value: toAnyValue(map[key], byKey?.get(key)) });
  return out;
}
