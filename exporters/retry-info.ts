/**
 * Reads the `google.rpc.RetryInfo` delay a receiver may put in a gRPC error's `grpc-status-details-bin` trailer (a
 * serialized `google.rpc.Status` whose `details` hold `Any` messages). The OTLP specification asks clients to wait that
 * long before retrying, and to treat `RESOURCE_EXHAUSTED` as retryable only when it is there. A small wire-format
 * reader instead of a protobuf dependency: three nested messages, varints and length-delimited fields only.
 */

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

interface Field {
  readonly number: number;
  readonly wire: number;
  /** Varint value (wire type 0). */
  readonly varint?: bigint;
  /** Payload (wire type 2). */
  readonly bytes?: Uint8Array;
}

/** The fields of one message; undefined when the bytes are not a well-formed message. */
function fields(bytes: Uint8Array): Field[] | undefined {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint | undefined => {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= bytes.length) return undefined;
      const b = bytes[pos++];
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value;
    }
    return undefined;
  };
  while (pos < bytes.length) {
    const tag = varint();
    if (tag === undefined) return undefined;
    const number = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const value = varint();
      if (value === undefined) return undefined;
      out.push({ number, wire, varint: value });
    } else if (wire === 2) {
      const length = varint();
      if (length === undefined || pos + Number(length) > bytes.length) return undefined;
      out.push({ number, wire, bytes: bytes.subarray(pos, pos + Number(length)) });
      pos += Number(length);
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else return undefined;
  }
  return pos === bytes.length ? out : undefined;
}

/** The retry delay (milliseconds, at least 0) of a serialized `google.rpc.Status`, or undefined when it has none. */
export function retryDelayFromStatusDetails(details: Uint8Array | undefined): number | undefined {
  if (!details) return undefined;
  for (const detail of fields(details) ?? []) {
    if (detail.number !== 3 || !detail.bytes) continue;
    const any = fields(detail.bytes) ?? [];
    const typeUrl = any.find((f) => f.number === 1 && f.bytes);
    const value = any.find((f) => f.number === 2 && f.bytes);
    if (!typeUrl?.bytes || Buffer.from(typeUrl.bytes).toString('utf8') !== RETRY_INFO_TYPE) continue;
    const retryInfo = fields(value?.bytes ?? new Uint8Array()) ?? [];
    const duration = fields(retryInfo.find((f) => f.number === 1 && f.bytes)?.bytes ?? new Uint8Array()) ?? [];
    const seconds = BigInt.asIntN(64, duration.find((f) => f.number === 1)?.varint ?? 0n);
    const nanos = BigInt.asIntN(32, duration.find((f) => f.number === 2)?.varint ?? 0n);
    const millis = Number(seconds) * 1000 + Math.floor(Number(nanos) / 1e6);
    return Number.isFinite(millis) && millis > 0 ? millis : 0;
  }
  return undefined;
}
