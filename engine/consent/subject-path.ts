/**
 * A subject key (`consent.subject.attributes`) compiled for lookup in attributes and log bodies: the key as a literal
 * attribute name, and every way its dotted path can continue inside a map value (`enduser.id` is the attribute
 * `enduser.id`, or the entry `id` of a map under `enduser`; `a.b.c` also `a` → `b.c`, `a.b` → `c`, `a` → `b` → `c`).
 */
export interface SubjectPath {
  /** The rest of the key, as a literal name at this level. */
  readonly key: string;
  /** `[map key, rest]` for each `.` in `key`: where the path continues into a map. */
  readonly splits: readonly (readonly [string, SubjectPath])[];
}

/** Compiles `key` once (the paths of its rests are shared: quadratic in the number of dots, not exponential). */
export function compileSubjectPath(key: string, memo = new Map<string, SubjectPath>()): SubjectPath {
  let p = memo.get(key);
  if (p !== undefined) return p;
  const splits: (readonly [string, SubjectPath])[] = [];
  for (let i = key.indexOf('.'); i !== -1; i = key.indexOf('.', i + 1))
    if (i > 0 && i < key.length - 1) splits.push([key.slice(0, i), compileSubjectPath(key.slice(i + 1), memo)]);
  p = { key, splits };
  memo.set(key, p);
  return p;
}

/** A map (`AnyValueMap`, attributes): a plain object, not an array, bytes or null. */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** The own property `key` of `map` (never one of its prototype's, such as `constructor`). */
function own(map: Record<string, unknown>, key: string): unknown {
  const v = map[key];
  return v !== undefined && Object.prototype.hasOwnProperty.call(map, key) ? v : undefined;
}

/**
 * True when `test` holds for a value found at `path` in `map`: the literal key first, then every split into a map
 * value (or into the maps of an array value). Costs one property read per split when no map is there. Followed as deep
 * as the key has segments, with no other bound: every split shortens the key, and a bound below the key's length would
 * miss a subject the engine exports (it keeps maps 32 levels deep).
 */
export function someAtPath(
  map: Record<string, unknown>,
  path: SubjectPath,
  test: (value: unknown) => boolean,
): boolean {
  const direct = own(map, path.key);
  if (direct !== undefined && test(direct)) return true;
  const splits = path.splits;
  for (let i = 0; i < splits.length; i++) {
    const child = own(map, splits[i][0]);
    if (typeof child !== 'object' || child === null) continue;
    if (Array.isArray(child)) {
      for (const el of child) if (isMap(el) && someAtPath(el, splits[i][1], test)) return true;
    } else if (isMap(child) && someAtPath(child, splits[i][1], test)) return true;
  }
  return false;
}
