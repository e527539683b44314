// The rows of an .xlsx workbook's first worksheet, read with exceljs's streaming reader so a large
// workbook is never held as a whole object model.
import { type CellValue, type Row, stream } from 'exceljs';
import { ImportFileRefused } from './import-file-refused';
import type { SheetCell, SheetRow } from './sheet-row';
import { WorkbookBytes } from './workbook-bytes';
import { refuseZipBomb } from './zip-bomb';

type WorksheetReader = stream.xlsx.WorksheetReader;

/** What the streaming reader knows of the workbook (read from workbook.xml), beyond its type declarations. */
interface TabOrder {
  model?: { sheets?: Array<{ name?: string; state?: string }> };
  properties?: { model?: { date1904?: boolean } };
}

export async function* xlsxRows(bytes: Buffer): AsyncGenerator<SheetRow> {
  await refuseZipBomb(bytes);
  const reader = new stream.xlsx.WorkbookReader(new WorkbookBytes(bytes), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles hold the number formats that tell a date cell from a number cell.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const worksheets = reader[Symbol.asyncIterator]();
  let workbookRead = false;
  try {
    let firstSheetFound = false;
    for (let next = await worksheets.next(); !next.done; next = await worksheets.next()) {
      const worksheet = next.value;
      if (firstSheetFound || !isFirstVisibleSheet(reader as TabOrder, worksheet)) {
        await readToEnd(worksheet);
        continue;
      }
      firstSheetFound = true;
      // exceljs reads date-formatted cells in the workbook's date system itself; a serial in a cell
      // formatted as a number is read as a date by its column, which needs to know the system too.
      const serialsFrom1904 = (reader as TabOrder).properties?.model?.date1904 === true;
      for await (const row of worksheet) yield sheetRow(row, serialsFrom1904);
    }
    workbookRead = true;
    if (!firstSheetFound) throw new ImportFileRefused('unreadable_file', 'the .xlsx file holds no worksheet');
  } catch (error) {
    workbookRead = true;
    if (error instanceof ImportFileRefused) throw error;
    // A broken or truncated ZIP, or XML exceljs cannot follow: its message is no business of the user's.
    throw new ImportFileRefused('unreadable_file', 'the .xlsx workbook cannot be read; open it in Excel or WPS and save it again');
  } finally {
    // The caller stopped early (columns missing, too many rows). exceljs copies worksheets that come
    // before the shared strings (as Excel writes them) to temporary files and deletes them only when
    // it reaches them: read on, or they stay on disk until the process ends.
    if (!workbookRead) await readRestQuietly(worksheets);
  }
}

/** The first visible tab (when the workbook names its tabs before its sheets come; else the first sheet found). */
function isFirstVisibleSheet(workbook: TabOrder, worksheet: WorksheetReader): boolean {
  const tabs = workbook.model?.sheets ?? [];
  const name = (worksheet as { name?: string }).name;
  const firstVisible = tabs.find((tab) => (tab.state ?? 'visible') === 'visible');
  return firstVisible === undefined || firstVisible.name === name || !tabs.some((tab) => tab.name === name);
}

async function readToEnd(worksheet: WorksheetReader): Promise<void> {
  for await (const row of worksheet) void row;
}

async function readRestQuietly(worksheets: AsyncGenerator<WorksheetReader>): Promise<void> {
  try {
    for (let next = await worksheets.next(); !next.done; next = await worksheets.next()) await readToEnd(next.value);
  } catch {
    // Only cleaning up: the caller has its answer already.
  }
}

function sheetRow(row: Row, serialsFrom1904: boolean): SheetRow {
  const cells: SheetCell[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    cells[column - 1] = typedNumberOf(sheetCell(cell.value), serialsFrom1904);
  });
  return serialsFrom1904 ? { row: row.number, cells, serialsFrom1904 } : { row: row.number, cells };
}

const DAY_MS = 86_400_000;
/** Serial 0 of each date system, in UTC, as exceljs counts a date-formatted cell's serial from it. */
const SERIAL_ZERO = { 1900: Date.UTC(1899, 11, 30), 1904: Date.UTC(1904, 0, 1) };

/**
 * A date beyond 9999-12-31, the last day Excel holds, is a number typed into a date-formatted cell (20250320,
 * which Excel shows as ########, taken as that many days): the number typed, which the date columns read as a
 * date written without separators, and the others as the number it is.
 */
function typedNumberOf(cell: SheetCell, serialsFrom1904: boolean): SheetCell {
  if (!(cell instanceof Date) || !(cell.getUTCFullYear() > 9999)) return cell;
  return Math.round((cell.getTime() - SERIAL_ZERO[serialsFrom1904 ? 1904 : 1900]) / DAY_MS);
}

/** A cell as the sheet shows it: rich text as its text, a formula as its result, an error as its code. */
function sheetCell(value: CellValue): SheetCell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((run) => run.text ?? '').join('');
  if ('formula' in value || 'sharedFormula' in value) return sheetCell(value.result);
  if ('error' in value) return value.error;
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : sheetCell(value.text as CellValue);
  return undefined;
}
