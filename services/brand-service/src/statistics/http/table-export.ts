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
}

/**
 * The table as a file to download: CSV in UTF-8 with a BOM (Excel opens it as it is) or an .xlsx
 * sheet with its header row frozen. A suppressed cell (null) stays empty. In the CSV a cell starting with
 * = + - @ (a tab, a carriage return) gets a leading ' (escape_formulas): a course title `=HYPERLINK(…)` is
 * text a school typed, and Excel would run it as a formula when a bureau opens the file. The figures are
 * never negative, so no number is touched; the .xlsx stores every string as a string, never a formula.
 */
export async function exportFile(table: ExportTable, format: Exclude<ExportFormat, 'json'>): Promise<StreamableFile> {
  if (format === 'csv') {
    const csv = `\uFEFF${stringify([table.columns, ...table.rows.map((row) => row.map((cell) => cell ?? ''))], { escape_formulas: true })}`;
    return new StreamableFile(Buffer.from(csv, 'utf8'), { type: `${CSV_TYPE}; charset=utf-8`, disposition: `attachment; filename="${table.name}.csv"` });
  }
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet(table.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(table.columns).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map((cell) => cell ?? undefined));
  sheet.columns.forEach((column, index) => (column.width = index === 0 ? 28 : 16));
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return new StreamableFile(buffer, { type: XLSX_TYPE, disposition: `attachment; filename="${table.name}.xlsx"` });
}
