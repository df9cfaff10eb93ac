import { StringDecoder } from 'node:string_decoder';
import { CliFailure } from './cli-command';

/** One export request read from the input, with the line it starts on. */
export interface InputRequest {
  readonly request: Record<string, unknown>;
  /** 1-based line where the request starts. */
  readonly line: number;
}

/** Largest single (non line-delimited) JSON document read, by default: it is held in memory whole. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** The parse error of `text` without the excerpt of the input V8 puts in it, and the 1-based line of its position. */
function describeJsonError(err: unknown, text: string, firstLine: number): { line: number | undefined; message: string } {
  const raw = (err as Error).message;
  const message = raw.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
  const pos = /at position (\d+)/.exec(raw);
  if (!pos) return { line: undefined, message };
  const offset = Math.min(Number(pos[1]), text.length);
  let line = firstLine;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, message };
}

function asRequest(value: unknown, name: string, line: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliFailure(`${name}:${line}: expected an OTLP export request (a JSON object), got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value as Record<string, unknown>;
}

/**
 * The lines of a stream, pulled chunk by chunk: the next chunk is read only when the consumer asks for
 * more lines, so a slow consumer holds back the reader (readline's iterator queues lines instead).
 */
async function* linesOf(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  // The unfinished line, in pieces: joined once when its newline arrives (no quadratic re-scanning of long lines).
  let pending: string[] = [];
  const strip = (line: string) => (line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let nl = text.indexOf('\n');
    if (nl === -1) {
      if (text !== '') pending.push(text);
      continue;
    }
    pending.push(text.slice(0, nl));
    yield strip(pending.length === 1 ? pending[0]! : pending.join(''));
    pending = [];
    let start = nl + 1;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      yield strip(text.slice(start, nl));
      start = nl + 1;
    }
    if (start < text.length) pending.push(text.slice(start));
  }
  const tail = pending.join('') + decoder.end();
  if (tail !== '') yield strip(tail);
}

/**
 * Reads OTLP/JSON export requests from `input`, in either form and telling them apart by the first line:
 *
 * - one request per line (JSON Lines, what the Collector's file exporter writes): streamed, only one
 *   line is held in memory at a time;
 * - one JSON document (possibly pretty-printed over many lines): read whole, up to `maxDocumentBytes`.
 *
 * Malformed input throws a `CliFailure` naming `name` and the line.
 */
export async function* readOtlpRequests(input: NodeJS.ReadableStream, name: string, maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES): AsyncGenerator<InputRequest> {
  let mode: 'lines' | 'document' | undefined;
  let lineNo = 0;
  let docStart = 0;
  const doc: string[] = [];
  let docBytes = 0;
  {
    for await (const text of linesOf(input)) {
      lineNo++;
      if (mode === undefined) {
        const t = text.trim();
        if (t === '') continue;
        mode = t.startsWith('{') && t.endsWith('}') ? 'lines' : 'document';
        docStart = lineNo;
      }
      if (mode === 'lines') {
        if (text.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (err) {
          throw new CliFailure(`${name}:${lineNo}: malformed JSON: ${describeJsonError(err, text, lineNo).message}`, { cause: err });
        }
        yield { request: asRequest(value, name, lineNo), line: lineNo };
      } else {
        docBytes += text.length + 1;
        if (docBytes > maxDocumentBytes) {
          throw new CliFailure(`${name}: a single JSON document larger than ${Math.round(maxDocumentBytes / 1048576)} MiB is not read into memory; write one export request per line (the Collector file exporter's format) or raise --max-document-mb`);
        }
        doc.push(text);
      }
    }
  }
  if (mode === 'document') {
    const text = doc.join('\n');
    doc.length = 0;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const d = describeJsonError(err, text, docStart);
      throw new CliFailure(`${name}:${d.line ?? docStart}: malformed JSON: ${d.message}`, { cause: err });
    }
    yield { request: asRequest(value, name, docStart), line: docStart };
  }
}
