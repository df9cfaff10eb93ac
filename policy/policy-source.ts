import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Alias, Document, Node } from 'yaml';
import { PolicyError } from './policy-error';

/** Where a policy document came from, able to point at the line of any path inside it. */
export interface PolicySource {
  /** Base name of the file, or undefined for in-code policies. */
  readonly file?: string;
  /** The line of the deepest existing node along `path` (the key's line for mapping entries). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** A source without lines: for policies defined in code. */
export const inCodeSource: PolicySource = { lineOf: () => undefined };

/**
 * Parses YAML or JSON text (JSON is read by the YAML 1.2 parser, so both keep line numbers).
 * Syntax errors and duplicate keys become a `PolicyError` naming the file and line.
 */
export function parsePolicyText(text: string, file: string): { value: unknown; source: PolicySource } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    throw new PolicyError(
      doc.errors.map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        path: '(document)',
        message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
      })),
    );
  }
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    throw aliasError(doc, file, lineAt, err);
  }
  return {
    value,
    source: {
      file,
      lineOf(path) {
        let node: unknown = doc.contents;
        let line = lineAt((node as Node | null)?.range?.[0]);
        for (const seg of path) {
          if (isMap(node)) {
            const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
            if (!pair) break;
            line = lineAt((pair.key as Node).range?.[0]) ?? line;
            node = pair.value;
          } else if (isSeq(node) && typeof seg === 'number') {
            const item = node.items[seg] as Node | undefined;
            if (!item) break;
            line = lineAt(item.range?.[0]) ?? line;
            node = item;
          } else break;
        }
        return line;
      },
    },
  };
}

/**
 * `toJS` fails only on aliases (`*name`): one that names no anchor — most often an unquoted glob
 * such as `drop: [*password*]` — or too many alias uses. Either becomes a one-line `PolicyError`.
 */
function aliasError(
  doc: Document,
  file: string,
  lineAt: (offset: number | undefined) => number | undefined,
  err: unknown,
): PolicyError {
  let unresolved: Alias | undefined;
  let first: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      first ??= node;
      if (unresolved === undefined && node.resolve(doc) === undefined) unresolved = node;
    },
  });
  if (unresolved !== undefined) {
    return new PolicyError([
      {
        file,
        line: lineAt(unresolved.range?.[0]),
        path: '(document)',
        message: `unknown YAML alias *${unresolved.source}; a glob that starts with "*" must be quoted, e.g. "*${unresolved.source}"`,
      },
    ]);
  }
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new PolicyError([
    {
      file,
      line: lineAt(first?.range?.[0]),
      path: '(document)',
      message: `YAML aliases refused: ${reason} (at most 50 alias uses)`,
    },
  ]);
}
