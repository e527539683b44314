// The CSVs the platform hands out: a template per kind, and the refused rows of an import.
// Both are opened in Excel by clerks, hence the BOM (Excel reads BOM-less CSV as the local code page)
// and the care below that Excel neither mangles numbers nor runs formulas.
import { stringify } from 'csv-stringify/sync';
import { IMPORT_COLUMNS, type ImportKind, matchColumns } from './columns';

const ROW_NUMBER_HEADER = '行号';
const REASON_HEADER = '原因';

/** Header row in Chinese, then one row of valid example values. */
export function importTemplateCsv(kind: ImportKind): string {
  const columns = IMPORT_COLUMNS[kind];
  return excelCsv([columns.map((column) => column.zh), columns.map((column) => forExcel(column.example))]);
}

/** A refused row as the error file shows it: its cells as the file had them, and why (the API's field and rule). */
export interface RefusedFileRow {
  row: number;
  cells: Record<string, string>;
  field: string;
  rule: string;
  detail: string;
}

/** The refused rows: row number, the file's own columns (every header any row had), the reason. */
export function importErrorsCsv(kind: ImportKind, rows: RefusedFileRow[]): string {
  const headers = new Set<string>();
  for (const { cells } of rows) for (const header of Object.keys(cells)) headers.add(header);
  // A file that was itself an errors CSV (both columns) brings the old row numbers and reasons: they are
  // stale, its first 行号 and its last 原因 (read back, a column of the same name is 原因 (2)). A roster's
  // own column of one of those names (a note headed 原因) is the clerk's, and kept.
  const all = [...headers];
  const rowNumbers = all.filter((header) => sameNamed(header, ROW_NUMBER_HEADER));
  const reasons = all.filter((header) => sameNamed(header, REASON_HEADER));
  const stale = rowNumbers.length > 0 && reasons.length > 0 ? new Set([rowNumbers[0], reasons[reasons.length - 1]]) : new Set<string>();
  const columns = all.filter((header) => !stale.has(header));
  const headersOf = fileHeaders(kind);
  return excelCsv([
    [ROW_NUMBER_HEADER, ...columns.map(forExcel), REASON_HEADER],
    ...rows.map((row) => [String(row.row), ...columns.map((header) => forExcel(row.cells[header] ?? '')), forExcel(reasonOf(kind, row, headersOf))]),
  ]);
}

/**
 * Why a row was refused, for the clerk who corrects the file and the script that reads it: the field by the
 * header their file gave it (手机号, 联系电话), else the template's, with the API's name of it after (api.md:
 * the reason names the field, as the API's 400 and 409 do: `联系电话 (phone): matches (…)`), then the rule's
 * code and its specifics. A field that is no column (a rule about the whole row) has the API's name alone.
 * The file's headers are matched once per set of headers, not once per refused row.
 */
function reasonOf(kind: ImportKind, { cells, field, rule, detail }: RefusedFileRow, headersOf: (headers: string[]) => Map<string, string>): string {
  const column = IMPORT_COLUMNS[kind].find((each) => each.field === field);
  const header = column ? (headersOf(Object.keys(cells)).get(column.field) ?? column.zh) : undefined;
  const named = header !== undefined && field ? `${header} (${field})` : field;
  return [named, rule].filter(Boolean).join(': ') + (detail ? ` (${detail})` : '');
}

/** The file's header of each field, for one set of headers (a file's rows share theirs), kept once read. */
function fileHeaders(kind: ImportKind): (headers: string[]) => Map<string, string> {
  const known = new Map<string, Map<string, string>>();
  return (headers) => {
    const key = JSON.stringify(headers);
    let byField = known.get(key);
    if (!byField) {
      byField = new Map([...matchColumns(headers, kind).fieldAt].map(([index, column]) => [column.field, headers[index]]));
      known.set(key, byField);
    }
    return byField;
  };
}

/** `header` is `name`, or a later column of that name as the file's reading numbered it (`原因 (2)`). */
const sameNamed = (header: string, name: string) => header === name || new RegExp(`^${name} \\(\\d+\\)$`).test(header);

function excelCsv(records: string[][]): string {
  return stringify(records, { bom: true, record_delimiter: 'windows' });
}

/** 12 or more digits (identity numbers, with their X): Excel would show them as 4.30202E+17 and keep 15 digits. */
const LONG_DIGITS = /^\d{12,}[\dXx]?$/;
/** Cells Excel would run as a formula (CSV injection); signed plain numbers (+8613800000000, -5) are safe. */
const FORMULA_START = /^\s*[=+\-@]/;
const SIGNED_NUMBER = /^\s*[+-]?\d+(?:\.\d+)?\s*$/;

/**
 * A leading tab makes Excel keep a long number as text (the import trims it again, so a corrected
 * file goes back in as it is); a leading apostrophe stops a formula from running.
 */
function forExcel(text: string): string {
  if (LONG_DIGITS.test(text.trim())) return `\t${text.trim()}`;
  if (FORMULA_START.test(text) && !SIGNED_NUMBER.test(text)) return `'${text}`;
  return text;
}
