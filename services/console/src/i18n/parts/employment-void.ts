/**
 * Voiding a hire recorded in error on the employer's employments (screens/employer/void-step.tsx,
 * POST /api/v1/employments/{id}/void): the step saying what voiding does and how it differs from ending the
 * employment, its reason, the line saying it was done, and the audit log's word for it. Terms follow
 * docs/console.md (作废, as a certificate or a registration recorded in error is voided; 离职 for an end).
 */
export const employmentVoidZhCN = {
  'employer.void.start': '作废（录入错误）',
  'employer.void.startFor': '作废（录入错误）：{name}的雇佣记录',
  'employer.void.confirmTitle': '确认作废{name}的雇佣记录？',
  'employer.void.what':
    '作废用于纠正录入错误，例如录用时选错了人或选错了岗位：这条雇佣记录将被删除，如同从未录用，雇佣记录、统计和此人的培训档案中都不再有它；它占用的岗位名额随之空出（已关闭的岗位仍保持关闭）。',
  'employer.void.notEnding': '作废不同于办理离职：此人确实在本单位工作过、现在不再工作的，请办理离职，雇佣记录仍会保留，显示离职日期和原因。',
  'employer.void.reason': '作废原因',
  'employer.void.reasonRequired': '请填写作废原因。',
  'employer.void.confirm': '确认作废',
  'employer.employments.voided': '{name}的雇佣记录已作废，如同从未录用，所占岗位名额已空出。',
  'auditAction.VoidEmployment': '作废录入错误的雇佣记录',
} as const;

export const employmentVoidEn: Record<keyof typeof employmentVoidZhCN, string> = {
  'employer.void.start': 'Void (recorded in error)',
  'employer.void.startFor': 'Void (recorded in error): the employment of {name}',
  'employer.void.confirmTitle': 'Void the employment of {name}?',
  'employer.void.what':
    'Voiding puts right a hire entered wrongly, such as the wrong person or the wrong placement: the employment is removed as if the hire had never been recorded, and is gone from the employments, the statistics and the person’s archive; the opening it took is free again (a closed placement stays closed).',
  'employer.void.notEnding': 'Voiding is not ending the employment: if the person did work here and no longer does, end the employment instead; it stays on record with its end date and reason.',
  'employer.void.reason': 'Reason for voiding',
  'employer.void.reasonRequired': 'Enter the reason for voiding.',
  'employer.void.confirm': 'Void the employment',
  'employer.employments.voided': 'The employment of {name} is voided, as if the hire had never been recorded; its opening is free again.',
  'auditAction.VoidEmployment': 'Void an employment recorded in error',
};
