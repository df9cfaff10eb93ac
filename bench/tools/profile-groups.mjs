// Shared by the profiling tools (not a scenario): maps a V8 CPU-profile call frame in the bundle (dist/chunk-*.js) to
// the TypeScript source file it was built from (through the bundle's source map, `node:module` SourceMap) and to a
// group of the hot path, so a profile reads as "where our added cost goes" rather than as minified function names:
//   scanner/detectors            engine/detectors/*, the rewrite scan and the text readers the detectors use
//   URL/SQL/statement sanitizers engine/sanitizers/*
//   HMAC/pseudonyms/encryption   engine/crypto/*
//   caches/lookups               the two-generation caches and memos (Map lookups: hashing fresh strings)
//   snapshot/freeze/copy         the span handed on after end(): snapshot, frozen attributes, sealed trace state
//   decisions/engine loop        the key decisions, generalizers, attribute rules and the redactors' loops (the span
//                                redactor's start/end/event passes, resource and scope)
//   processor hooks              the span/log processors' onStart/onEnding/onEnd and the rest of processors/
//   other                        anything else of otel-privacy
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const GROUPS = [
  ['caches/lookups', /engine\/(two-generation-cache|identity-memo)\.ts$/],
  ['HMAC/pseudonyms/encryption', /engine\/crypto\//],
  ['URL/SQL/statement sanitizers', /engine\/sanitizers\//],
  [
    'scanner/detectors',
    /engine\/(detectors\/|rewrite-scan|finding-masks|finding-log|time-in-text|plausible-time|percent-encoded-times|home-directory|identifier-digits|address-key-numbers|split-values|sequential-string|value-exemptions|cut-values)/,
  ],
  [
    'snapshot/freeze/copy',
    /(processors\/traces\/(span-snapshot|span-attributes-object)|engine\/(deep-freeze|sealed-trace-state|trace-state))\.ts$/,
  ],
  ['decisions/engine loop', /(engine\/|processors\/traces\/span-redactor\.ts$|processors\/resource\/)/],
  ['processor hooks', /processors\//],
];

/** Group names in print order. */
export const GROUP_NAMES = [...GROUPS.map(([g]) => g), 'other'];

/** A function `(callFrame) → { file, group }` for frames of otel-privacy's bundle; source maps read once per file. */
export function sourceGrouper() {
  const maps = new Map();
  const mapOf = (url) => {
    if (!maps.has(url)) {
      let map;
      try {
        map = new SourceMap(JSON.parse(readFileSync(fileURLToPath(url) + '.map', 'utf8')));
      } catch {
        map = null; // no source map beside the bundle: grouped as "other"
      }
      maps.set(url, map);
    }
    return maps.get(url);
  };
  return (frame) => {
    const map = frame.url.startsWith('file:') ? mapOf(frame.url) : null;
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
    const source = entry?.originalSource ?? '';
    const file = source.replace(/^.*?\/((engine|processors|exporters|policy|instrumentation|cli)\/)/, '$1') || '?';
    const group = GROUPS.find(([, re]) => re.test(file))?.[0] ?? 'other';
    return { file, group };
  };
}
