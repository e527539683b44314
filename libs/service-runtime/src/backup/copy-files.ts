import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';

/**
 * The pieces of a backup file's stream: rows counted as they pass (COPY's text format writes one line
 * per row, newlines inside values escaped), and the SHA-256 and size of the bytes as they reach the disk.
 */
export class LineCounter extends Transform {
  lines = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) this.lines++;
    done(null, chunk);
  }
}

export class Digest extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}

/**
 * One field of a line in COPY's text format, as its text (null for \N): the restore reads a few values
 * (the key check value, a sealed key) before it writes anything.
 */
export function copyTextFields(line: string): (string | null)[] {
  return line.split('\t').map((field) => (field === '\\N' ? null : unescapeCopyText(field)));
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function unescapeCopyText(field: string): string {
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_match, escaped: string) => {
    if (escaped[0] === 'x') return String.fromCharCode(parseInt(escaped.slice(1), 16));
    if (/^[0-7]/.test(escaped)) return String.fromCharCode(parseInt(escaped, 8));
    return ESCAPES[escaped] ?? escaped;
  });
}
