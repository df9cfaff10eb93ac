import { MAX_DEPTH, utf8TextOf } from '../../engine/attribute-redactor';
import { setOwn } from '../../engine/own-property';

const utf8Encoder = new TextEncoder();

/** Internal: a string of the body that `values.action: drop` removes (its array, or its map entry, goes too). */
export const BODY_PART_DROPPED: unique symbol = Symbol('otel-privacy.body-part-dropped');

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * A log body with the URL rules applied to the URL-like words of its strings (`sanitizers.url.logBody`):
 * a string body, and the strings inside map and array bodies, each through `rewrite`; bytes that are UTF-8 text
 * (a body, or inside one) the same way, written back as UTF-8 bytes when rewritten. Returns `body` itself
 * when nothing changed (no copy); a changed map or array is a new object, the original is never written.
 * A string `rewrite` drops (`undefined`) removes its map entry, or its whole array (as the engine drops an
 * array holding a dropped element), or the whole body (`BODY_PART_DROPPED`). `depth` is the engine's depth of
 * `body` (`AttributeRedactor`: a map's entries and an array's elements one level down, the maps of an array at the
 * array's own level plus one); parts nested deeper than `MAX_DEPTH` are left as they are: the engine removes such a
 * body (its walk never stops above this one).
 */
export function rewriteBodyUrls(
  body: unknown,
  rewrite: (text: string) => string | undefined,
  depth = 0,
): unknown | typeof BODY_PART_DROPPED {
  if (typeof body === 'string') return rewrite(body) ?? BODY_PART_DROPPED;
  if (body instanceof Uint8Array) {
    // Bytes that are UTF-8 text get the rules that text gets as a string, and stay bytes; other bytes are left to the
    // engine (`values.bytes`).
    const text = utf8TextOf(body);
    if (text === undefined) return body;
    const out = rewrite(text);
    if (out === undefined) return BODY_PART_DROPPED;
    return out === text ? body : utf8Encoder.encode(out);
  }
  if (typeof body !== 'object' || body === null || depth >= MAX_DEPTH) return body;
  if (Array.isArray(body)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < body.length; i++) {
      // counted as the engine counts: an array's maps have their entries one level below the array, as a map value
      // has (a map element is walked at the array's depth), so no string the engine keeps is left unrewritten
      const el = body[i];
      const v = rewriteBodyUrls(el, rewrite, isPlainMap(el) ? depth : depth + 1);
      if (v === BODY_PART_DROPPED) return BODY_PART_DROPPED;
      if (v !== body[i]) (out ??= body.slice())[i] = v;
    }
    return out ?? body;
  }
  if (!isPlainMap(body)) return body;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(body)) {
    const v = rewriteBodyUrls(body[k], rewrite, depth + 1);
    if (v === body[k]) continue;
    out ??= { ...body };
    if (v === BODY_PART_DROPPED) delete out[k];
    else setOwn(out, k, v);
  }
  return out ?? body;
}
