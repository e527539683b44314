// The rows of a CSV, parsed as a stream so a large file never becomes one big array of arrays.
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { cellTooLong, MAX_CELL_CHARACTERS, tooManyColumns } from './cell-limits';
import { ImportFileRefused } from './import-file-refused';
import type { SheetRow } from './sheet-row';

/** How much text the parser takes at once: a few milliseconds of parsing, then the reader's turn again. */
const PIECE_CHARACTERS = 64 * 1024;

/** The rows of `text`, refusing one longer than `maxColumns` cells at their limit could be. */
export async function* csvRows(text: string, maxColumns: number): AsyncGenerator<SheetRow> {
  const parser = parse({
    // Rows with fewer or more cells than the header are the reader's business, not a parse error.
    relax_column_count: true,
    // A lone quote inside an unquoted cell (5" pipe) is text, as Excel reads it.
    relax_quotes: true,
    // Empty lines still count: row numbers must be the ones Excel shows.
    skip_empty_lines: false,
    // Stops at a huge cell rather than parse all of it (60 million characters are seconds): the text of a
    // record, in characters but for the cell being read (in bytes, 3 a character at most), beyond what its
    // cells could hold at their limit. Each cell's limit is checked on the rows read (cell-limits.ts).
    max_record_size: maxColumns * MAX_CELL_CHARACTERS * 3,
  });
  // Given the whole text, the parser would parse all of it in one go (seconds for 200,000 rows, with no other
  // request served); in pieces, it parses one when the rows before it are read, and the reader lets others in.
  const pieces = Readable.from(piecesOf(text));
  pieces.pipe(parser);
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { row, cells };
    }
  } catch (error) {
    // A record that long has a cell over the limit, or more columns than a roster.
    if (error instanceof CsvError && error.code === 'CSV_MAX_RECORD_SIZE') {
      const [recordRow, column] = [Number(error.records) + 1, Number(error.column)];
      throw column >= maxColumns ? tooManyColumns(recordRow, maxColumns) : cellTooLong(recordRow, column, true);
    }
    // The parser's message quotes the cell; the code and row say enough. The row is the parser's own count of
    // the records it completed (an empty line one, a quoted cell over two lines one, as Excel numbers rows),
    // not of the rows handed over here: it refuses a quote never closed before it hands over those it holds.
    if (error instanceof CsvError) {
      const failedRow = Number(error.records) + 1;
      throw new ImportFileRefused('unreadable_file', `the CSV cannot be read from row ${failedRow} on (${error.code}); check the quotes in row ${failedRow}`);
    }
    throw error;
  } finally {
    pieces.destroy();
    parser.destroy();
  }
}

function* piecesOf(text: string): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + PIECE_CHARACTERS, text.length);
    // Never half of a surrogate pair (𠮷, rare name characters): the parser would read each half as U+FFFD.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    yield text.slice(start, end);
    start = end;
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
