import type { TraceState } from '@opentelemetry/api';
import { TraceState as CoreTraceState } from '@opentelemetry/core';

/**
 * A tracestate this library built from a filtered serialization: its text is fixed when it is made (an ES private
 * field of a frozen object), so nothing the application holds or writes can change what is exported or propagated
 * afterwards, and `serialize()` always returns the text that was filtered. `set` and `unset` return a new (ordinary)
 * tracestate, as the API asks. Only this module can make one, and `isSealedTraceState` cannot be fooled by an object
 * that merely looks like one.
 */
export class SealedTraceState implements TraceState {
  readonly #value: string;
  /** Who filtered the text (a tracestate filter): a sealed tracestate passes unchanged only through its maker. */
  readonly #maker: object;
  /** The text parsed, made at the first `get` (a sampler reads `ot` from each remote parent's). */
  #parsed: CoreTraceState | undefined;

  private constructor(value: string, maker: object) {
    this.#value = value;
    this.#maker = maker;
    Object.freeze(this);
  }

  /** A sealed tracestate holding `value` (a serialization `maker` filtered). */
  static of(value: string, maker: object): SealedTraceState {
    return new SealedTraceState(value, maker);
  }

  /** Whether `ts` is a sealed tracestate that `maker` made. */
  static madeBy(ts: TraceState, maker: object): boolean {
    return #value in ts && (ts as SealedTraceState).#maker === maker;
  }

  get(key: string): string | undefined {
    // a private field, written even though the object is frozen; the parsed object is never handed out
    this.#parsed ??= new CoreTraceState(this.#value);
    return this.#parsed.get(key);
  }

  set(key: string, value: string): TraceState {
    return new CoreTraceState(this.#value).set(key, value);
  }

  unset(key: string): TraceState {
    return new CoreTraceState(this.#value).unset(key);
  }

  serialize(): string {
    return this.#value;
  }
}
