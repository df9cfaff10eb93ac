// The identity of a mutant in a sample (scripts/mutation-sample.mjs): its file (relative to the project, `/`), its
// place, its mutator and its replacement. The same code gives the same key in the listing and in Stryker's run.
/** @param {string} file @param {{location: {start: {line: number, column: number}, end: {line: number, column: number}}, mutatorName: string, replacement?: string}} m */
export function mutantKey(file, m) {
  const { start, end } = m.location;
  return `${file}:${start.line}:${start.column}-${end.line}:${end.column} ${m.mutatorName} ${m.replacement ?? ''}`;
}
