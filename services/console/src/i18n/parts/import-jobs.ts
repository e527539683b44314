/**
 * The list of an organisation's import jobs (screens/imports/jobs.tsx). A job's kind and state are said in
 * the job page's own words (`imports.kind.*`, `imports.state.*`), so both pages name them alike.
 */
export const importJobsZhCN = {
  'importJobs.title': '导入记录',
  'importJobs.intro': '本单位上传过的文件，最新的在前。检查完成但尚未导入的文件也在这里，可以打开继续导入，或下载被拒行清单。',
  'importJobs.kind': '类型',
  'importJobs.file': '文件',
  'importJobs.state': '状态',
  'importJobs.counts': '行数',
  'importJobs.uploadedAt': '上传时间',
  'importJobs.countsLine': '共 {total} 行：新建 {created}，已存在 {alreadyPresent}，已更正 {corrected}，被拒 {refused}',
  'importJobs.unnamed': '（未记录文件名）',
  'importJobs.empty': '还没有上传过文件。',
  'importJobs.uploadHere': '从这里上传：',
  'importJobs.listLink': '查看导入记录',
  // The list's ?state= filter, named when a state is refused (GET /api/v1/imports).
  'field.state': '导入状态',
} as const;

export const importJobsEn: Record<keyof typeof importJobsZhCN, string> = {
  'importJobs.title': 'Imports',
  'importJobs.intro': "Your organisation's uploaded files, newest first. Files checked but not yet imported are here too: open one to import it, or to download its refused rows.",
  'importJobs.kind': 'Kind',
  'importJobs.file': 'File',
  'importJobs.state': 'State',
  'importJobs.counts': 'Rows',
  'importJobs.uploadedAt': 'Uploaded',
  'importJobs.countsLine': '{total} rows: {created} created, {alreadyPresent} already present, {corrected} corrected, {refused} refused',
  'importJobs.unnamed': '(file name not kept)',
  'importJobs.empty': 'No files have been uploaded yet.',
  'importJobs.uploadHere': 'Upload one here:',
  'importJobs.listLink': 'See earlier imports',
  'field.state': 'Import state',
};
