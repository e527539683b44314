// The rows of a CSV, parsed as a stream so a large file never becomes one big array of arrays.
import { CsvError, parse } from 'csv-parse';
import { ImportFileRefused } from './import-file-refused';
import type { SheetRow } from './sheet-row';

export async function* csvRows(text: string): AsyncGenerator<SheetRow> {
  const parser = parse(text, {
    // Rows with fewer or more cells than the header are the reader's business, not a parse error.
    relax_column_count: true,
    // A lone quote inside an unquoted cell (5" pipe) is text, as Excel reads it.
    relax_quotes: true,
    // Empty lines still count: row numbers must be the ones Excel shows.
    skip_empty_lines: false,
  });
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { row, cells };
    }
  } catch (error) {
    // The parser's message quotes the cell; the code and line say enough.
    if (error instanceof CsvError) throw new ImportFileRefused('unreadable_file', `the CSV cannot be read after row ${row} (${error.code}); check the quotes in that row`);
    throw error;
  } finally {
    parser.destroy();
  }
}
