// The .xlsx template of an import kind. A CSV template cannot stop Excel from turning an identity number
// typed into it into 4.30202E+17 (digits lost); a workbook can: every column is formatted as text before
// anyone types. The dates too: a date-formatted cell would take 20250320 typed into it as the day 20,250,320
// days on (shown ########); as text the reader takes each form it knows (2025-03-20, 2025/3/20, 2025年3月20日,
// 20250320), and a date pasted from another sheet still arrives as an Excel date, which it reads as well.
import { Workbook } from 'exceljs';
import { IMPORT_COLUMNS, type ImportKind } from './columns';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const TEXT_FORMAT = '@';

/** The worksheet the reader takes: the first. */
const SHEET_NAME = '导入模板';

/** Header row in Chinese (bold, frozen) and one example row, every column formatted as text. */
export async function importTemplateXlsx(kind: ImportKind): Promise<Buffer> {
  const columns = IMPORT_COLUMNS[kind];
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    key: column.field,
    // Wide enough for the header (two columns a character) and the example.
    width: Math.max(column.zh.length * 2, column.example.length) + 4,
    style: { numFmt: TEXT_FORMAT },
  }));
  sheet.addRow(columns.map((column) => column.zh)).font = { bold: true };
  sheet.addRow(columns.map((column) => column.example));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
