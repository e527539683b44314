/**
 * An evaluator finding what it issued (screens/evaluator/certificates): by certificate number, by the days
 * the certificates were entered (录入, not the issue date they bear), newest entered first; the holder's
 * name leading to their archive. In Simplified Chinese (the keys) and English. Terms follow docs/console.md.
 */
export const evaluatorFindZhCN = {
  'evaluator.certificates.number': '证书编号',
  'evaluator.certificates.recordedFrom': '录入日期自',
  'evaluator.certificates.recordedTo': '录入日期至',
  'evaluator.certificates.sort': '排序',
  'evaluator.certificates.sortCertified': '发证日期（最新在前）',
  'evaluator.certificates.sortRecorded': '最近录入',
  'field.recordedFrom': '录入日期（开始）',
  'field.recordedTo': '录入日期（结束）',
  'field.sort': '排序',
} as const;

export const evaluatorFindEn: Record<keyof typeof evaluatorFindZhCN, string> = {
  'evaluator.certificates.number': 'Certificate number',
  'evaluator.certificates.recordedFrom': 'Entered from',
  'evaluator.certificates.recordedTo': 'Entered until',
  'evaluator.certificates.sort': 'Order',
  'evaluator.certificates.sortCertified': 'Certification date (newest first)',
  'evaluator.certificates.sortRecorded': 'Most recently entered',
  'field.recordedFrom': 'Entered from',
  'field.recordedTo': 'Entered until',
  'field.sort': 'Order',
};
