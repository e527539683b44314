// The .xlsx template of an import kind. A CSV template cannot stop Excel from turning an identity number
// typed into it into 4.30202E+17 (digits lost); a workbook can: every column but the dates is formatted as
// text before anyone types, and the dates as dates, which the reader takes as Excel dates.
import { Workbook } from 'exceljs';
import { IMPORT_COLUMNS, type ImportKind } from './columns';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const TEXT_FORMAT = '@';
const DATE_FORMAT = 'yyyy-mm-dd';

/** The worksheet the reader takes: the first. Its name says what to do with the example row. */
const SHEET_NAME = '导入模板';

/** Header row in Chinese (bold, frozen) and one example row, the columns formatted for what they hold. */
export async function importTemplateXlsx(kind: ImportKind): Promise<Buffer> {
  const columns = IMPORT_COLUMNS[kind];
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    key: column.field,
    // Wide enough for the header (two columns a character) and the example.
    width: Math.max(column.zh.length * 2, column.example.length) + 4,
    style: { numFmt: column.isDate ? DATE_FORMAT : TEXT_FORMAT },
  }));
  sheet.addRow(columns.map((column) => column.zh)).font = { bold: true };
  sheet.addRow(columns.map((column) => (column.isDate ? new Date(`${column.example}T00:00:00Z`) : column.example)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
