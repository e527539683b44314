// Reading bulk import files (CSV in UTF-8 or GB18030, .xlsx) into rows, and the CSVs handed back.
export { MAX_CELL_CHARACTERS, MAX_FILE_CHARACTERS } from './cell-limits';
export { IMPORT_COLUMNS, IMPORT_KINDS, type ImportColumn, type ImportKind } from './columns';
export { ImportFileRefused } from './import-file-refused';
export type { RowProblem } from './normalise';
export { DEFAULT_MAX_ROWS, type FileRow, MAX_COLUMNS, readImportFile } from './read-import-file';
export { importErrorsCsv, importTemplateCsv, type RefusedFileRow } from './templates';
export { importTemplateXlsx, XLSX_TYPE } from './xlsx-template';
export { UNPACKED_LIMITS } from './zip-bomb';
