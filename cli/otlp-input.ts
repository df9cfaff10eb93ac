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

/** Characters of context V8 puts on each side of the position in an `Unexpected token` message. */
const V8_CONTEXT = 10;
/** V8's `Unexpected token 'x', …"excerpt"… is not valid JSON`: the only parts used are the token and the excerpt's length and place, to find the position. */
const UNEXPECTED_TOKEN = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/;
/** A V8 message with a position and no input in it: fixed wording only. */
const POSITIONED = /^([A-Za-z ,:'{}[\]-]+?)(?: in JSON)? at position (\d+)/;

/**
 * Where in `text` V8's parse error is, and what kind of error it is, in words that never contain the
 * input (V8's own messages may quote up to 20 characters of it).
 */
function locateJsonError(message: string, text: string): { offset: number; kind: string } {
  if (message.startsWith('Unexpected end of JSON input'))
    return { offset: text.length, kind: 'unexpected end of input' };
  const p = POSITIONED.exec(message);
  if (p) return { offset: Math.min(Number(p[2]), text.length), kind: p[1]!.charAt(0).toLowerCase() + p[1]!.slice(1) };
  const u = UNEXPECTED_TOKEN.exec(message);
  if (u) {
    const [, token, before, excerpt, after] = u as unknown as [
      string,
      string,
      string | undefined,
      string,
      string | undefined,
    ];
    let offset: number | undefined;
    if (before && after) {
      // text.slice(pos - 10, pos + 10): its first place in the text whose centre is the token.
      for (let i = text.indexOf(excerpt); i !== -1 && offset === undefined; i = text.indexOf(excerpt, i + 1))
        if (text[i + V8_CONTEXT] === token) offset = i + V8_CONTEXT;
    } else if (after)
      offset = excerpt.length - V8_CONTEXT; // text.slice(0, pos + 10)
    else if (before)
      offset = text.length - excerpt.length + V8_CONTEXT; // text.slice(pos - 10)
    else {
      // A short text is quoted whole, without the position: leading whitespace makes V8 give it.
      const pad = ' '.repeat(4 * V8_CONTEXT);
      try {
        JSON.parse(pad + text);
      } catch (err) {
        const again = locateJsonError((err as Error).message, pad + text);
        if (again.offset >= pad.length) offset = again.offset - pad.length;
      }
    }
    return { offset: offset ?? text.length, kind: 'unexpected character' };
  }
  return { offset: text.length, kind: 'syntax error' };
}

/** The malformed-JSON line for a parse error in `text` (which starts on line `firstLine` of `name`): file:line, column, the kind of error; never the input. */
function describeJsonError(err: unknown, text: string, name: string, firstLine: number): string {
  const { offset, kind } = locateJsonError((err as Error).message, text);
  let line = firstLine;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `${name}:${line}: malformed JSON at column ${offset - lineStart + 1} (${kind})`;
}

function asRequest(value: unknown, name: string, line: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CliFailure(
      `${name}:${line}: expected an OTLP export request (a JSON object), got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
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
export async function* readOtlpRequests(
  input: NodeJS.ReadableStream,
  name: string,
  maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES,
): AsyncGenerator<InputRequest> {
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
          throw new CliFailure(describeJsonError(err, text, name, lineNo), { cause: err });
        }
        yield { request: asRequest(value, name, lineNo), line: lineNo };
      } else {
        docBytes += text.length + 1;
        if (docBytes > maxDocumentBytes) {
          throw new CliFailure(
            `${name}: a single JSON document larger than ${Math.round(maxDocumentBytes / 1048576)} MiB is not read into memory; write one export request per line (the Collector file exporter's format) or raise --max-document-mb`,
          );
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
      throw new CliFailure(describeJsonError(err, text, name, docStart), { cause: err });
    }
    yield { request: asRequest(value, name, docStart), line: docStart };
  }
}
