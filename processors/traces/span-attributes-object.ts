import type { Attributes } from '@opentelemetry/api';

/** Never true; keeps the sizing assignments in `SpanAttributesObject` from being flagged as dead code. */
const NEVER = Date.now() < 0;

/**
 * Constructor for a span's own attributes object. V8 turns a plain `{}` that receives more than
 * ~17 properties through keyed stores (which is how the SDK's `setAttribute` writes) into a slow
 * dictionary, and enumerating a dictionary sorts its keys every time (~0.7 µs for 23 keys, for this
 * processor and again for the exporter). The assignments below never run; V8 reads them to give
 * the objects room for 32 properties in the object itself, which keeps spans of up to ~40
 * attributes in fast mode. The prototype is `Object.prototype`: the objects are plain objects.
 */
export const SpanAttributesObject = function (this: Record<string, unknown>): void {
  if (NEVER) {
    this.a0 = this.a1 = this.a2 = this.a3 = this.a4 = this.a5 = this.a6 = this.a7 = 0;
    this.b0 = this.b1 = this.b2 = this.b3 = this.b4 = this.b5 = this.b6 = this.b7 = 0;
    this.c0 = this.c1 = this.c2 = this.c3 = this.c4 = this.c5 = this.c6 = this.c7 = 0;
    this.d0 = this.d1 = this.d2 = this.d3 = this.d4 = this.d5 = this.d6 = this.d7 = 0;
  }
} as unknown as new () => Attributes;
SpanAttributesObject.prototype = Object.prototype;
