// What kind of file an upload is, and the text of a CSV whatever encoding Excel or WPS saved it in.
import iconv from 'iconv-lite';
import { ImportFileRefused } from './import-file-refused';

export type ImportFileFormat = 'xlsx' | 'csv';

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
/** The OLE2 container of the old binary .xls (and of WPS .et). */
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const XLSX_EXTENSIONS = new Set(['xlsx', 'xlsm']);
/** CSV, and what people name a CSV; a file with no name is judged by its bytes. */
const CSV_EXTENSIONS = new Set(['csv', 'txt', '']);

const SAVE_AS = 'save it as .xlsx or as CSV (UTF-8 or GBK)';

/** The file's format by its name and its first bytes; refuses everything but .xlsx and text CSV. */
export function importFileFormatOf(file: { buffer: Buffer; originalname?: string }): ImportFileFormat {
  const extension = /\.([^./\\]+)$/.exec(file.originalname ?? '')?.[1]?.toLowerCase() ?? '';
  const bytes = file.buffer;
  if (bytes.subarray(0, OLE2_MAGIC.length).equals(OLE2_MAGIC)) {
    throw new ImportFileRefused('unsupported_file_type', `the file is an old binary Excel (.xls) workbook: ${SAVE_AS}`);
  }
  if (!XLSX_EXTENSIONS.has(extension) && !CSV_EXTENSIONS.has(extension)) {
    throw new ImportFileRefused('unsupported_file_type', `.${extension} files cannot be imported: ${SAVE_AS}`);
  }
  // A ZIP is an .xlsx whatever its name says (a workbook saved as "名单.csv" by hand).
  if (bytes.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) return 'xlsx';
  if (XLSX_EXTENSIONS.has(extension)) throw new ImportFileRefused('unreadable_file', `the file is named .${extension} but is not an Excel workbook: ${SAVE_AS}`);
  // NUL bytes never occur in UTF-8 or GB18030 text: this is UTF-16 ("Unicode text") or not text at all.
  if (bytes.subarray(0, 64 * 1024).includes(0)) {
    throw new ImportFileRefused('unsupported_file_type', `the file is neither an .xlsx workbook nor a UTF-8 or GBK CSV: ${SAVE_AS}`);
  }
  return 'csv';
}

/**
 * A CSV's text: UTF-8 when it has the BOM or is valid UTF-8, otherwise GB18030, the superset of GBK
 * that Excel and WPS write on Chinese Windows (and that holds rare name characters such as 㛃 and 䶮).
 */
export function decodeCsvText(bytes: Buffer): string {
  if (bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) return bytes.subarray(UTF8_BOM.length).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}
