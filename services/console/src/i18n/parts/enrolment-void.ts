/**
 * Voiding an enrolment recorded in error on the school's course roster (screens/school/enrolment-void-step.tsx,
 * POST /api/v1/courses/{id}/enrollments/{traineeId}/void): the step saying what voiding does (the results go
 * too) and how it differs from a withdrawal, its reason, the line saying it was done, and the audit log's word
 * for it, and the word for its enrollmentId field. Terms follow docs/console.md (作废, as a certificate or a registration recorded in error is voided).
 */
export const enrolmentVoidZhCN = {
  'enrolment.void.start': '作废（录入错误）',
  'enrolment.void.startFor': '作废（录入错误）：{name}的报名',
  'enrolment.void.confirmTitle': '确认作废{name}的报名？',
  'enrolment.void.what':
    '作废用于纠正录入错误，例如报名时选错了学员或培训班：该报名及其全部成绩（包括更正过的成绩）将被删除，如同从未录入，名单、培训班人数、成绩、培训档案和统计中都不再有它；名额随之释放，此人之后仍可重新报名本培训班；导入的报名行（2026年12月起导入的）再次导入时会重新录入。',
  'enrolment.void.withResult': '这条报名有成绩（{result}，{assessedOn}），将一并作废。',
  'enrolment.void.notWithdrawal': '作废不同于退出：退出用于确实报过名、中途离开的学员，报名和成绩仍留在记录中，显示为已退出。',
  'enrolment.void.reason': '作废原因',
  'enrolment.void.reasonRequired': '请填写作废原因。',
  'enrolment.void.confirm': '确认作废',
  'course.enrolmentVoided': '{name}的报名及其成绩已作废，如同从未录入；名额已释放。',
  'auditAction.VoidEnrollment': '作废录入错误的报名',
  'field.enrollmentId': '报名',
} as const;

export const enrolmentVoidEn: Record<keyof typeof enrolmentVoidZhCN, string> = {
  'enrolment.void.start': 'Void (recorded in error)',
  'enrolment.void.startFor': 'Void (recorded in error): the enrolment of {name}',
  'enrolment.void.confirmTitle': 'Void the enrolment of {name}?',
  'enrolment.void.what':
    'Voiding puts right an enrolment entered wrongly, such as the wrong trainee or the wrong course picked: the enrolment and every result recorded for it (corrections included) are removed as if they had never been recorded, and are gone from the roster, the course’s counts, the results, the archive and the statistics; the seat is free again, and the person may still be enrolled in this course later; an imported row that recorded it (imported from December 2026 on) is recorded anew when imported again.',
  'enrolment.void.withResult': 'This enrolment has a result ({result}, {assessedOn}): it is voided with it.',
  'enrolment.void.notWithdrawal': 'Voiding is not withdrawing: a withdrawal, for a trainee who was rightly enrolled and left early, keeps the enrolment and its results on record, shown as withdrawn.',
  'enrolment.void.reason': 'Reason for voiding',
  'enrolment.void.reasonRequired': 'Enter the reason for voiding.',
  'enrolment.void.confirm': 'Void the enrolment',
  'course.enrolmentVoided': 'The enrolment of {name} and its results are voided, as if never recorded; the seat is free again.',
  'auditAction.VoidEnrollment': 'Void an enrolment recorded in error',
  'field.enrollmentId': 'Enrolment',
};
