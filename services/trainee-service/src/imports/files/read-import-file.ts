// An uploaded import file as rows: the header matched to the kind's columns, each row's cells kept as
// the file had them (for the errors CSV) and normalised into the kind's fields.
import { IMPORT_COLUMNS, type ImportColumn, type ImportKind, matchColumns } from './columns';
import { decodeCsvText, importFileFormatOf } from './decode';
import { csvRows } from './csv-rows';
import { tooManyColumns, withinCellLimits } from './cell-limits';
import { ImportFileRefused } from './import-file-refused';
import { isDateField, lostDigits, normaliseField, type RowProblem } from './normalise';
import { cellText, isEmptyRow, type SheetCell, type SheetRow } from './sheet-row';
import { xlsxRows } from './xlsx-rows';

export interface FileRow {
  /** The row number the spreadsheet shows (the header is usually row 1). */
  row: number;
  /** Original header → original cell text, in the file's column order (a date held as a serial number: the date read). */
  cells: Record<string, string>;
  /** Canonical field → normalised text; undefined when empty or when it has a problem. */
  fields: Record<string, string | undefined>;
  /** What normalisation found; the caller checks the domain rules. */
  problems: RowProblem[];
}

export const DEFAULT_MAX_ROWS = 200_000;
/** More columns than any import has, with room for people's own notes; a wider sheet is no roster. */
export const MAX_COLUMNS = 100;

/**
 * Control characters no roster holds (C0 but tab and line breaks, and DEL): a NUL cannot even be stored
 * in the job's fields. A cell with one is refused by its field, and kept with U+FFFD in their place.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

interface Header {
  /** The name each column's cells go under in `cells`: unique, and '' for a column with no header. */
  names: string[];
  fieldAt: Map<number, ImportColumn>;
}

export async function readImportFile(file: { buffer: Buffer; originalname?: string }, kind: ImportKind, options: { maxRows?: number } = {}): Promise<FileRow[]> {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  // Bounded before anything reads a cell's text (trims, regexes), and in turns other requests get in between.
  const sheetRows = withinCellLimits(importFileFormatOf(file) === 'xlsx' ? xlsxRows(file.buffer) : csvRows(decodeCsvText(file.buffer), MAX_COLUMNS));
  let header: Header | undefined;
  const rows: FileRow[] = [];
  for await (const sheetRow of sheetRows) {
    if (isEmptyRow(sheetRow.cells)) continue;
    // Before the header is read too: a header of a hundred thousand columns would cost every row as many keys.
    if (sheetRow.cells.length > MAX_COLUMNS) {
      throw tooManyColumns(sheetRow.row, MAX_COLUMNS);
    }
    if (!header) {
      header = headerOf(sheetRow.cells, kind);
      continue;
    }
    if (rows.length === maxRows) {
      throw new ImportFileRefused('too_many_rows', `the file has more than ${maxRows} rows; split it into files of at most ${maxRows} rows`);
    }
    rows.push(fileRow(sheetRow, header, kind));
  }
  if (!header) throw new ImportFileRefused('empty_file', 'the file is empty: it has no header row');
  if (rows.length === 0) throw new ImportFileRefused('empty_file', 'the file has a header row but no rows below it');
  refuseFifteenDigitColumn(rows);
  return rows;
}

/** 18 digits of which Excel kept 15: what it writes for an identity number held as a number, formatted to show every digit. */
const FIFTEEN_DIGITS_KEPT = /^\d{15}000$/;

/**
 * An identity number column Excel held as numbers and saved with every digit shown (format "0", a common
 * way to avoid 4.30202E+17) has 15 digits and 000 in every row: one in eleven of those passes the check
 * digit, as someone else's number. Judged by the column, since a real number ends in 000 about once in a
 * thousand: where most of a file's numbers do, three or more, each of them is refused.
 */
function refuseFifteenDigitColumn(rows: FileRow[]): void {
  const numbered = rows.filter((row) => row.fields.idNumber !== undefined);
  const kept = numbered.filter((row) => FIFTEEN_DIGITS_KEPT.test(row.fields.idNumber!));
  // Three at least: one or two real ones are refused by nothing else, and a mangled one alone fails its check digit ten times in eleven.
  if (kept.length < 3 || kept.length * 2 <= numbered.length) return;
  for (const row of kept) {
    row.fields.idNumber = undefined;
    row.problems.push(lostDigits('idNumber', 'most identity numbers of this file end in 000, as Excel writes numbers it held as numbers (it keeps 15 digits)').problem!);
  }
}

function headerOf(cells: readonly SheetCell[], kind: ImportKind): Header {
  // A header names the cells of its column in the job's rows: no character the database refuses (NUL).
  const texts = Array.from(cells, (cell) => cellText(cell).trim().replace(CONTROL_CHARACTERS, '\uFFFD'));
  const { fieldAt, missing } = matchColumns(texts, kind);
  if (missing.length > 0) {
    throw new ImportFileRefused(
      'missing_columns',
      `缺少必填列：${missing.map((column) => column.zh).join('、')} / required columns missing: ${missing.map((column) => column.en).join(', ')}`,
    );
  }
  const seen = new Set<string>();
  const copies = new Map<string, number>();
  const names = texts.map((text) => {
    if (text === '') return '';
    // Two columns with one header would share a key in `cells`: number the later ones.
    let name = text;
    for (let copy = copies.get(text) ?? 2; seen.has(name); copy += 1) {
      name = `${text} (${copy})`;
      copies.set(text, copy + 1);
    }
    seen.add(name);
    return name;
  });
  return { names, fieldAt };
}

function fileRow(sheetRow: SheetRow, header: Header, kind: ImportKind): FileRow {
  const cells: Record<string, string> = {};
  const problems: RowProblem[] = [];
  const width = Math.max(header.names.length, sheetRow.cells.length);
  for (let column = 0; column < width; column += 1) {
    const text = cellText(sheetRow.cells[column]);
    // A cell under no header is kept only when it holds something, named as people count columns.
    const name = header.names[column] || (text.trim() === '' ? undefined : `第${column + 1}列`);
    if (name === undefined) continue;
    cells[name] = text.replace(CONTROL_CHARACTERS, '\uFFFD');
    if (cells[name] !== text) {
      const field = header.fieldAt.get(column)?.field ?? name;
      problems.push({ field, rule: 'invalid_characters', detail: `${field} holds control characters (such as NUL) that no roster has; retype the cell` });
    }
  }
  const fields: Record<string, string | undefined> = Object.fromEntries(IMPORT_COLUMNS[kind].map((column) => [column.field, undefined]));
  for (const [column, { field }] of header.fieldAt) {
    const cell = sheetRow.cells[column];
    const { value, problem } = normaliseField(field, cell, sheetRow);
    fields[field] = value?.replace(CONTROL_CHARACTERS, '\uFFFD');
    if (problem) problems.push(problem);
    // A date an .xlsx held as a number is its serial, read by the workbook's date system (1900 or 1904) and
    // perhaps with a time of day: the error file, which the clerk corrects and uploads again as a CSV, shows
    // the date read, not the serial a CSV would read otherwise (four years off) or refuse (45658.75).
    if (typeof cell === 'number' && value && isDateField(field) && header.names[column]) cells[header.names[column]] = value;
  }
  return { row: sheetRow.row, cells, fields, problems };
}
