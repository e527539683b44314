/**
 * The two templates on an upload page (screens/imports/upload.tsx): the Excel one first, as its columns are
 * formatted as text before the clerk types (a CSV opened in Excel turns an identity number into 4.30202E+17).
 */
export const importTemplatesZhCN = {
  'importTemplates.xlsx': '下载模板（Excel，推荐）',
  'importTemplates.hint': 'Excel 模板中身份证号、手机号等列已设为文本格式，填写后数字不会丢失。',
} as const;

export const importTemplatesEn: Record<keyof typeof importTemplatesZhCN, string> = {
  'importTemplates.xlsx': 'Download the template (Excel, recommended)',
  'importTemplates.hint': 'In the Excel template the identity number and phone columns are already formatted as text, so every digit you type is kept.',
};
