import { api } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { DownloadButton } from '../me/download-button';
import { savePdf } from '../me/download-pdf';
import { CredentialLinks } from '../verify/credential-links';

/**
 * A certificate's files on its archive line, for whoever reads the archive (the API serves the certificate's
 * PDF with the archive's own permission): its printable PDF, as /me/certificates offers it, and the holder's
 * electronic certificate and QR code. Of a revoked certificate they are grouped under a name saying so, and
 * the PDF's button says it (the PDF itself prints 已撤销), so that none is taken for a certificate held.
 */
export function CertificateDownloads({ traineeId, number, revokedOn }: { traineeId: string; number: string; revokedOn: string | undefined }) {
  const { t } = useI18n();
  const download = () => savePdf(api.GET('/api/v1/trainees/{id}/certificates/{number}/pdf', { params: { path: { id: traineeId, number } }, parseAs: 'blob' }), `certificate-${number}.pdf`);
  const revoked = revokedOn !== undefined;
  return (
    <div role={revoked ? 'group' : undefined} aria-label={revoked ? t('archive.revokedDownloads', { number }) : undefined} data-revoked={revoked || undefined}>
      <DownloadButton label={t(revoked ? 'archive.downloadRevokedCertificate' : 'me.downloadCertificate', { number })} download={download} />
      <CredentialLinks number={number} />
    </div>
  );
}
