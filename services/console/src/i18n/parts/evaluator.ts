/** The evaluator's workspace (screens/evaluator): its words in Simplified Chinese (the keys) and English. Terms follow docs/console.md. */
export const evaluatorZhCN = {
  'nav.evaluatorCertify': '认定',
  'nav.evaluatorCertificates': '已发证书',
} as const;

export const evaluatorEn: Record<keyof typeof evaluatorZhCN, string> = {
  'nav.evaluatorCertify': 'Certify',
  'nav.evaluatorCertificates': 'Issued certificates',
};
