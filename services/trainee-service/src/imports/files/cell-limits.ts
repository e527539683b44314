// What the reader hands on of a file, whatever the file holds: no cell longer than any roster's field,
// and no more text in all than a roster can have. Checked on each row as the reader yields it, before any
// regex or normalisation: an .xlsx refers to one shared string from as many cells as it likes, so a
// 1 MB workbook could otherwise yield a 50 MiB cell 200,000 times.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ImportFileRefused } from './import-file-refused';
import type { SheetRow } from './sheet-row';

/**
 * The longest cell read. The longest field any import kind has is a name (50) or a list of categories (a few
 * dozen); a roster's own columns (addresses, notes) are kept in the error file as they are, and 2,000
 * characters is room for any of them. A longer cell is no roster's.
 */
export const MAX_CELL_CHARACTERS = 2_000;

/**
 * The text read from all cells, every reference to a shared string counted: the most a CSV can hold, as an
 * upload is 64 MiB at most (create-import.ts MAX_FILE_BYTES), so only a workbook reaches it. 200,000 rows of
 * 335 characters, five times a full trainees row. Reading that much is seconds, not the hours a workbook
 * showing one long string in every cell would take.
 */
export const MAX_FILE_CHARACTERS = 64 * 1024 * 1024;

/** How long the reader keeps the event loop before letting other requests (health checks, other users) in. */
const TURN_MS = 20;

/** Refuses a file that holds more than the limits, and lets other work in every TURN_MS of reading. */
export async function* withinCellLimits(rows: AsyncIterable<SheetRow>): AsyncGenerator<SheetRow> {
  let characters = 0;
  let turnStarted = performance.now();
  for await (const sheetRow of rows) {
    sheetRow.cells.forEach((cell, column) => {
      // Numbers, dates and booleans are a few characters as text, each costing its own bytes in the file.
      if (typeof cell !== 'string') return;
      if (cell.length > MAX_CELL_CHARACTERS) throw cellTooLong(sheetRow.row, column);
      characters += cell.length;
    });
    if (characters > MAX_FILE_CHARACTERS) {
      throw new ImportFileRefused('file_too_large', `the file's cells hold more than ${MAX_FILE_CHARACTERS.toLocaleString('en-US')} characters in all; keep only the roster in it`);
    }
    yield sheetRow;
    if (performance.now() - turnStarted > TURN_MS) {
      await nextTurn();
      turnStarted = performance.now();
    }
  }
}

export const tooManyColumns = (row: number, maxColumns: number) =>
  new ImportFileRefused('too_many_columns', `row ${row} has cells beyond column ${maxColumns}; keep only the roster's columns`);

/** A cell over the limit, by its row and column as the spreadsheet shows them (never its text: personal data). */
export function cellTooLong(row: number, column: number, atOrBefore = false): ImportFileRefused {
  const where = `row ${row}, column ${columnLetters(column)}`;
  return new ImportFileRefused(
    'cell_too_long',
    `${atOrBefore ? `a cell of ${where} or before it` : `the cell at ${where}`} holds more than ${MAX_CELL_CHARACTERS.toLocaleString('en-US')} characters, more than any roster's field; keep only the roster in the file`,
  );
}

/** A column as a spreadsheet names it: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(column: number): string {
  let letters = '';
  for (let rest = column + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}
