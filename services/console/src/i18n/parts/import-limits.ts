/**
 * The refusal of an import file with a cell longer than any roster's field (POST /api/v1/imports, field
 * file, rule cell_too_long). The limit is trainee-service's MAX_CELL_CHARACTERS (imports/files/cell-limits.ts),
 * said here as the words of too_many_rows and too_many_columns say theirs; the server's message names the
 * row and column.
 */
const MAX_IMPORT_CELL_CHARACTERS = 2_000;

export const importLimitsZhCN = {
  'fieldRule.cell_too_long': `有单元格的内容过长（超过 ${MAX_IMPORT_CELL_CHARACTERS.toLocaleString('zh-CN')} 个字符），名单中没有这样长的内容：请检查文件，只保留名单。`,
} as const;

export const importLimitsEn: Record<keyof typeof importLimitsZhCN, string> = {
  'fieldRule.cell_too_long': `A cell holds more than ${MAX_IMPORT_CELL_CHARACTERS.toLocaleString('en')} characters, longer than anything a roster holds: check the file and keep only the roster in it.`,
};
