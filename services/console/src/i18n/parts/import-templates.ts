/**
 * The two templates on an upload page (screens/imports/upload.tsx): the Excel one first, as its columns are
 * formatted as text before the clerk types (a CSV opened in Excel turns an identity number into 4.30202E+17).
 */
export const importTemplatesZhCN = {
  'importTemplates.xlsx': '下载模板（Excel，推荐）',
  'importTemplates.hint': 'Excel 模板的各列已设为文本格式，身份证号等号码填写后不会丢失数字。',
} as const;

export const importTemplatesEn: Record<keyof typeof importTemplatesZhCN, string> = {
  'importTemplates.xlsx': 'Download the template (Excel, recommended)',
  'importTemplates.hint': 'Every column of the Excel template is already formatted as text, so identity numbers and other numbers keep every digit you type.',
};
