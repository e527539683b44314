/**
 * The refused rows listed on an import job's page (screens/imports/refused-rows.tsx): each row's column and
 * its rule's words come from the catalogue's `field.*` and `fieldRule.*`, as a refusal's do.
 */
export const importErrorsZhCN = {
  'imports.refusedRows.title': '被拒的行及原因',
  'imports.refusedRows.row': '行号',
  'imports.refusedRows.column': '列',
  'imports.refusedRows.reason': '原因',
  'imports.refusedRows.wholeRow': '整行',
  'imports.refusedRows.more': '另有 {count} 行被拒，这里没有列出：请下载被拒行清单查看全部。',
  'fieldRule.example_row': '这是模板中的示例行：请换成您自己的数据，或删去这一行',
} as const;

export const importErrorsEn: Record<keyof typeof importErrorsZhCN, string> = {
  'imports.refusedRows.title': 'Refused rows and why',
  'imports.refusedRows.row': 'Row',
  'imports.refusedRows.column': 'Column',
  'imports.refusedRows.reason': 'Reason',
  'imports.refusedRows.wholeRow': 'Whole row',
  'imports.refusedRows.more': '{count} more refused rows are not listed here: download the refused rows to see them all.',
  'fieldRule.example_row': "is the template's example row: replace it with your own rows, or delete it",
};
