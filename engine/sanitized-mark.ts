/**
 * The one mark for "sanitized under compiled-policy generation G", used for spans (their start pass),
 * metric attribute sets written by the views, resources and pending resource values: a property under a
 * symbol of the library's own, holding the generation number of the compiled policy that sanitized the
 * object. Whatever carries the current generation is trusted as sanitized (never sanitized a second
 * time, so a pseudonym is never hashed twice); whatever carries another generation — or none — is
 * decided again, from its raw origin where one is kept. A hot reload therefore retires every mark at
 * once, with no bookkeeping: it changes the generation.
 *
 * The property is invisible to `Object.keys`, `JSON.stringify`, deep equality and every exporter. It is
 * written on the object itself, or on the prototype of a class of marked objects (metric attribute sets,
 * which the SDK keeps as series keys), never in a side table: a property read is cheaper than a
 * `WeakMap` lookup on the per-item path.
 */
export const SANITIZED_UNDER: unique symbol = Symbol('otel-privacy.sanitized-under');

/** An object that may carry the mark. */
export interface MaybeMarked {
  [SANITIZED_UNDER]?: number;
}

/** The generation `target` was sanitized under, or undefined when it carries no mark. */
export function sanitizedUnder(target: object): number | undefined {
  return (target as MaybeMarked)[SANITIZED_UNDER];
}

/**
 * Marks `target` as sanitized under `generation`. Returns false (and marks nothing) when the object cannot
 * take the property (frozen or sealed): it is then simply treated as raw next time.
 */
export function markSanitized(target: object, generation: number): boolean {
  if (!Object.isExtensible(target) && !Object.prototype.hasOwnProperty.call(target, SANITIZED_UNDER)) return false;
  try {
    (target as MaybeMarked)[SANITIZED_UNDER] = generation;
    return true;
  } catch {
    return false;
  }
}

/**
 * A class whose instances are plain-looking objects marked as sanitized under `generation` (the mark sits on
 * the prototype: one allocation per instance, no property write). Used for metric attribute sets.
 */
export function markedClass<T extends object>(generation: number): new () => T {
  const Marked = class SanitizedAttributes {} as unknown as new () => T;
  Object.defineProperty(Marked.prototype, SANITIZED_UNDER, { value: generation });
  return Marked;
}
