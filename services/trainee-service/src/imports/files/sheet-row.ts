// The rows of a CSV or of an .xlsx worksheet before they are matched to columns.

/** One cell as the file holds it: a CSV gives text; an .xlsx also numbers, booleans and dates. */
export type SheetCell = string | number | boolean | Date | undefined;

export interface SheetRow {
  /** The row number the spreadsheet shows (1 = the first row of the file). */
  row: number;
  /** By column, the first column at index 0; columns with no cell are undefined. */
  cells: SheetCell[];
  /**
   * The workbook counts its date serials from 1904-01-01 (old Mac Excel's date system), not 1900-01-01:
   * a number cell in a date column is then 1,462 days later than the same number elsewhere.
   */
  serialsFrom1904?: true;
}

/** A cell as text, the way a spreadsheet shows it (numbers in full, dates as YYYY-MM-DD). */
export function cellText(cell: SheetCell): string {
  if (cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return isoDateOf(cell);
  return String(cell);
}

/** The calendar date of a Date, read in UTC: .xlsx dates carry no time zone, and exceljs reads them as UTC. */
export function isoDateOf(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

export const isEmptyRow = (cells: readonly SheetCell[]): boolean => cells.every((cell) => cellText(cell).trim() === '');
