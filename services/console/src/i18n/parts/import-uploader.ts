/**
 * Who uploaded each file, in the list of an organisation's import jobs (screens/imports/jobs.tsx): the
 * colleague's username, or the API key a program sent it with. A job uploaded before jobs kept it shows "—".
 */
export const importUploaderZhCN = {
  'importUploader.column': '上传人',
  'importUploader.apiKey': 'API 密钥 {clientId}',
  'importUploader.unknown': '未记录上传人',
} as const;

export const importUploaderEn: Record<keyof typeof importUploaderZhCN, string> = {
  'importUploader.column': 'Uploaded by',
  'importUploader.apiKey': 'API key {clientId}',
  'importUploader.unknown': 'Uploader not recorded',
};
