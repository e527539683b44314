/**
 * The audit log's words for the training archive's own commands that take a voided employment or a voided
 * enrolment (with its results) out of a trainee's archive (trainee-service's archive consumer, on
 * EmploymentVoided and EnrollmentVoided), as parts/audit.ts words RecordCertificateVoid. Terms as in
 * parts/employment-void.ts and parts/enrolment-void.ts (雇佣记录, 报名).
 */
export const archiveVoidsZhCN = {
  'auditAction.RecordEmploymentVoid': '从培训档案中撤去作废的雇佣记录',
  'auditAction.RecordEnrollmentVoid': '从培训档案中撤去作废的报名及其考核结果',
} as const;

export const archiveVoidsEn: Record<keyof typeof archiveVoidsZhCN, string> = {
  'auditAction.RecordEmploymentVoid': 'Take a voided employment out of a training archive',
  'auditAction.RecordEnrollmentVoid': 'Take a voided enrolment and its results out of a training archive',
};
