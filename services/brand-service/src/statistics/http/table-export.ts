import { StreamableFile } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { Workbook } from 'exceljs';
import { Request } from 'express';

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The OpenAPI content of an answer that is also exported: JSON, CSV and .xlsx. */
export const EXPORT_CONTENT = { [CSV_TYPE]: { schema: { type: 'string' } }, [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } };

/** `?format=` wins; otherwise the Accept header, when it asks for CSV or .xlsx and not JSON first. */
export function exportFormatOf(format: ExportFormat | undefined, request: Request): ExportFormat {
  if (format) return format;
  const preferred = request.accepts(['application/json', CSV_TYPE, XLSX_TYPE]);
  return preferred === CSV_TYPE ? 'csv' : preferred === XLSX_TYPE ? 'xlsx' : 'json';
}

export interface ExportTable {
  /** The file's name without extension (ASCII: it travels in a header). */
  name: string;
  /** The sheet's title and the columns' titles, in Chinese (what the bureau files). */
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
  /** The titles (first cells) of the rows whose figures are rates, fractions in [0, 1] as the JSON answer gives them. */
  rateRows?: string[];
  /** What the file holds and how complete it was when made, in Chinese: a file outlives the answer's headers. */
  notes: string[];
}

/** The name of the .xlsx sheet the notes go on. */
export const NOTES_SHEET = '说明';

const RATE_FORMAT = '0.0%';

/**
 * The table as a file to download: CSV in UTF-8 with a BOM (Excel opens it as it is) or an .xlsx
 * sheet with its header row frozen. A suppressed cell (null) stays empty. In the CSV a cell starting with
 * = + - @ (a tab, a carriage return) gets a leading ' (escape_formulas): a course title `=HYPERLINK(…)` is
 * text a school typed, and Excel would run it as a formula when a bureau opens the file. The figures are
 * never negative, so no number is touched; the .xlsx stores every string as a string, never a formula.
 *
 * The notes come after the table, never before it: the header row stays the first line and the data rows
 * stay as they were, so a script reading the CSV keeps working up to the empty row that ends the table. In
 * the CSV each note row has as many cells as the table (strict parsers), and a rate stays the plain number
 * (a note says so); the .xlsx formats rates as percentages, the page's 90%, and has its notes on a sheet of their own.
 */
export async function exportFile(table: ExportTable, format: Exclude<ExportFormat, 'json'>): Promise<StreamableFile> {
  const rateRows = new Set(table.rateRows ?? []);
  const rateTitles = [...rateRows].join('、');
  if (format === 'csv') {
    const notes = [...table.notes, ...(rateRows.size ? [`${rateTitles}为小数：0.9 即 90%。`] : [])];
    const padded = (cell: string) => [cell, ...table.columns.slice(1).map(() => '')];
    const rows = [table.columns, ...table.rows.map((row) => row.map((cell) => cell ?? '')), padded(''), ...notes.map(padded)];
    const csv = `\uFEFF${stringify(rows, { escape_formulas: true })}`;
    return new StreamableFile(Buffer.from(csv, 'utf8'), { type: `${CSV_TYPE}; charset=utf-8`, disposition: `attachment; filename="${table.name}.csv"` });
  }
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet(table.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(table.columns).font = { bold: true };
  for (const row of table.rows) {
    const added = sheet.addRow(row.map((cell) => cell ?? undefined));
    if (!rateRows.has(String(row[0]))) continue;
    added.eachCell((cell) => {
      if (typeof cell.value === 'number') cell.numFmt = RATE_FORMAT;
    });
  }
  sheet.columns.forEach((column, index) => (column.width = index === 0 ? 28 : 16));
  const notes = workbook.addWorksheet(NOTES_SHEET);
  for (const note of [...table.notes, ...(rateRows.size ? [`${rateTitles}以百分比显示。`] : [])]) notes.addRow([note]);
  notes.getColumn(1).width = 100;
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return new StreamableFile(buffer, { type: XLSX_TYPE, disposition: `attachment; filename="${table.name}.xlsx"` });
}
