/**
 * A certificate later revoked, where it was shown as held: its line in a trainee's archive (screens/archive),
 * marked as the certificate's PDF marks it (已撤销 with the day), its downloads saying so, and the revoke
 * step's date refused at its field before the certificate's issue date. Terms follow docs/console.md.
 */
export const archiveRevokedZhCN = {
  'archive.revokedOn': '已撤销（{date}）',
  'archive.revokedDownloads': '已撤销证书 {number} 的下载',
  'archive.downloadRevokedCertificate': '下载已撤销证书 {number} 打印版（PDF）',
  'evaluator.revoke.notBeforeCertified': '撤销日期不能早于该证书的发证日期（{certifiedOn}）。',
} as const;

export const archiveRevokedEn: Record<keyof typeof archiveRevokedZhCN, string> = {
  'archive.revokedOn': 'Revoked ({date})',
  'archive.revokedDownloads': 'Downloads of revoked certificate {number}',
  'archive.downloadRevokedCertificate': 'Download revoked certificate {number} to print (PDF, in Chinese)',
  'evaluator.revoke.notBeforeCertified': 'The revocation date cannot be before the certificate’s issue date ({certifiedOn}).',
};
