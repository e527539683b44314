/**
 * The words a worker needs about their own account and record (their archive's wage and end of employment,
 * a forgotten password, a corrected name) in Simplified Chinese (the keys) and English. Terms follow docs/console.md.
 */
export const workerZhCN = {
  'worker.archive.monthlyWage': '月薪 {amount} 元',
  'worker.archive.endReason': '离职原因：{reason}',
  /** Whom a trainee asks for a forgotten password, on the sign-in page; rule.trainee_has_user (parts/rules.ts) says the same on /activate. */
  'worker.forgotPassword.trainee': '请联系为您登记的培训机构或用人单位，由平台管理员为您设置新密码。',
  'worker.signIn.forgotPassword': '忘记密码？学员：{trainee}工作人员：请联系本单位的管理员。',
  'worker.correct.nameHint': '更正姓名后，之前打印的证书和档案 PDF 请重新下载打印，因为证书查询按更正后的姓名核对。',
};

export const workerEn: Record<keyof typeof workerZhCN, string> = {
  'worker.archive.monthlyWage': '{amount} yuan a month',
  'worker.archive.endReason': 'Why it ended: {reason}',
  'worker.forgotPassword.trainee': 'ask the school or employer that registered you, and a platform administrator sets you a new password.',
  'worker.signIn.forgotPassword': 'Forgot your password? Trainees: {trainee} Staff: ask your organisation’s administrator.',
  'worker.correct.nameHint': 'After a name correction, download and print again the certificates and PDFs printed earlier, as verification checks the corrected name.',
};
