/**
 * Voiding a certificate recorded in error on the evaluator's certificates list (screens/evaluator/void-step.tsx,
 * POST /api/v1/certificates/{number}/void): the step saying what voiding does and how it differs from a
 * revocation, its reason, the line saying it was done with the level the holder is left with, the refusal
 * naming the later certificate that stands on it, and the audit log's word for it. Terms follow docs/console.md
 * (作废, as a trainee registration made in error is voided).
 */
export const certificateVoidZhCN = {
  'evaluator.void.start': '作废（录入错误）',
  'evaluator.void.startFor': '作废（录入错误）：证书 {number}',
  'evaluator.void.confirmTitle': '确认作废证书 {number}？',
  'evaluator.void.what':
    '作废用于纠正录入错误，例如导入时持证人、等级或发证日期填错：该证书将被删除，如同从未录入，证书列表、等级、证书查询、统计和培训档案中都不再有它；持证人在该职业（工种）的等级退回到其其余有效证书中的最高等级（没有其他证书则为无等级）；证书编号随之释放，可以用同一编号导入更正后的记录。',
  'evaluator.void.notRevocation': '作废不同于撤销：撤销用于材料造假或不应再有效的证书，证书仍留在记录中，显示为已撤销。',
  'evaluator.void.reason': '作废原因',
  'evaluator.void.reasonRequired': '请填写作废原因。',
  'evaluator.void.confirm': '确认作废',
  'evaluator.void.laterStands': '证书 {later} 是在本证书的基础上认定的，须先作废证书 {later}，才能作废本证书。如果本证书只是不应再有效，请改为撤销。',
  'evaluator.void.laterStandsAt': '证书 {later}（{level}，发证日期 {date}）是在本证书的基础上认定的，须先作废证书 {later}，才能作废本证书。如果本证书只是不应再有效，请改为撤销。',
  'evaluator.certificates.voided': '证书 {number} 已作废，如同从未录入。持证人在该职业（工种）的等级现为：{level}。该证书编号已释放，可以导入更正后的记录。',
  'rule.later_certificate_stands_on_it': '此后有一份证书是在这份证书的基础上认定的，须先作废那一份。',
  'auditAction.VoidCertificate': '作废录入错误的证书',
} as const;

export const certificateVoidEn: Record<keyof typeof certificateVoidZhCN, string> = {
  'evaluator.void.start': 'Void (recorded in error)',
  'evaluator.void.startFor': 'Void (recorded in error): certificate {number}',
  'evaluator.void.confirmTitle': 'Void certificate {number}?',
  'evaluator.void.what':
    'Voiding puts right a certificate entered wrongly, such as an imported row with the wrong holder, level or date: the certificate is removed as if it had never been recorded, and is gone from the certificates list, the levels, certificate verification, the statistics and the archive; the holder’s level in the occupation falls back to the highest of their other valid certificates (no level if there are none); and its number is free again, so the corrected row can be imported under the same number.',
  'evaluator.void.notRevocation': 'Voiding is not revoking: a revocation, for fraud or a certificate that should no longer stand, keeps the certificate on record, shown as revoked.',
  'evaluator.void.reason': 'Reason for voiding',
  'evaluator.void.reasonRequired': 'Enter the reason for voiding.',
  'evaluator.void.confirm': 'Void the certificate',
  'evaluator.void.laterStands': 'Certificate {later} was certified on the strength of this one: void certificate {later} first, then this one. If this certificate should simply no longer stand, revoke it instead.',
  'evaluator.void.laterStandsAt': 'Certificate {later} ({level}, certified on {date}) was certified on the strength of this one: void certificate {later} first, then this one. If this certificate should simply no longer stand, revoke it instead.',
  'evaluator.certificates.voided': 'Certificate {number} is voided, as if it had never been recorded. The holder’s level in the occupation is now: {level}. Its number is free: the corrected row can be imported.',
  'rule.later_certificate_stands_on_it': 'A later certificate was certified on the strength of this one: void that one first.',
  'auditAction.VoidCertificate': 'Void a certificate recorded in error',
};
