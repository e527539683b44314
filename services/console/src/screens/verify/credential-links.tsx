import { api, type Problem } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { DownloadButton } from '../me/download-button';
import { savePdf as saveDownload } from '../me/download-pdf';
import './verify.css';

/**
 * The holder's copy of a certificate: its signed electronic certificate (a verifiable credential, JSON)
 * and the QR code of its verification URL (PNG). Fetched, then saved as every other download is, not plain
 * links: a certificate need not have a credential (none where signing is off, none yet just after
 * certifying) and lookups are rate limited, and a link would have the browser fail silently or save the
 * refusal's body as the file. A refusal is said on the page instead, beside its button.
 */
export function CredentialLinks({ number }: { number: string }) {
  const { t } = useI18n();
  const path = { number };
  // The certificate is there (it is shown above): a 404 means it has no credential, said as that rather
  // than as a record not found. Anything else (too many lookups, no answer) as every refusal is said.
  const said = (problem: Problem | null): Problem | null => (problem?.status === 404 ? { message: t('credentials.download.none') } : problem);
  // consistent=true: just after certifying, the answer waits for the credential to be signed.
  const json = async () =>
    said(await saveDownload(api.GET('/api/v1/certificates/{number}/credential', { params: { path, query: { consistent: 'true' } }, parseAs: 'blob' }), `${number}.credential.json`));
  const qr = async () => said(await saveDownload(api.GET('/api/v1/certificates/{number}/credential/qr', { params: { path }, parseAs: 'blob' }), `${number}-qr.png`));
  return (
    <ul className="actions credential-links">
      <li>
        <DownloadButton label={t('credentials.download.json', { number })} download={json} />
      </li>
      <li>
        <DownloadButton label={t('credentials.download.qr', { number })} download={qr} />
      </li>
    </ul>
  );
}
