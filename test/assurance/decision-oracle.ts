import picomatch from 'picomatch';
import type { AttributeRulesDocument, PolicyDocument } from '../../index';

/** Action an oracle predicts for one key. */
export type OracleAction = 'drop' | 'encrypt' | 'hash' | 'generalize' | 'allow' | 'mask';

/** The oracle's verdict: the action and whether only the default decided it (no rule named the key). */
export interface OracleDecision {
  readonly action: OracleAction;
  readonly byDefault: boolean;
}

/** Decides attribute keys of one rule set. */
export type Oracle = (key: string) => OracleDecision;

/**
 * An independent model of the decision order (drop > encrypt > hash > generalize > allow > default),
 * written with picomatch directly rather than through the engine under test. Keys given to it must not contain `/`
 * (the engine deliberately lets `*` match `/`; picomatch does not).
 */
export function oracleFor(block: AttributeRulesDocument | undefined): Oracle {
  const compile = (globs: readonly string[] | undefined) => {
    const matchers = (globs ?? []).map((glob) => picomatch(glob, { dot: true }));
    return (key: string) => matchers.some((match) => match(key));
  };
  const drop = compile(block?.drop);
  const encrypt = compile(block?.encrypt?.map((r) => (typeof r === 'string' ? r : r.key)));
  const hash = compile(block?.hash);
  const generalize = compile(Object.keys(block?.generalize ?? {}));
  const allow = compile(block?.allow);
  const fallback = block?.default ?? 'drop';
  return (key) => {
    if (drop(key)) return { action: 'drop', byDefault: false };
    if (encrypt(key)) return { action: 'encrypt', byDefault: false };
    if (hash(key)) return { action: 'hash', byDefault: false };
    if (generalize(key)) return { action: 'generalize', byDefault: false };
    if (allow(key)) return { action: 'allow', byDefault: false };
    return { action: fallback, byDefault: true };
  };
}

/** The rule block of `signal`: top-level `attributes` with the signal's block laid over it (lists concatenated). */
export function signalBlock(document: PolicyDocument, signal: 'traces' | 'metrics' | 'logs'): AttributeRulesDocument {
  const base = document.attributes ?? {};
  const over = document[signal]?.attributes ?? {};
  const lists = <T>(a?: T[], b?: T[]) => [...(a ?? []), ...(b ?? [])];
  return {
    allow: lists(base.allow, over.allow),
    hash: lists(base.hash, over.hash),
    encrypt: lists(base.encrypt, over.encrypt),
    drop: lists(base.drop, over.drop),
    generalize: { ...base.generalize, ...over.generalize },
    default: over.default ?? base.default,
  };
}
