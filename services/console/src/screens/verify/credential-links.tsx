import { useI18n } from '../../i18n/i18n';
import './verify.css';

/**
 * The holder's copy of a certificate: its signed electronic certificate (a verifiable credential, JSON)
 * and the QR code of its verification URL (PNG). Plain links: both routes are public, so a school or the
 * trainee saves them without a session, and the browser's own download does the rest.
 */
export function CredentialLinks({ number }: { number: string }) {
  const { t } = useI18n();
  const credential = `/api/v1/certificates/${encodeURIComponent(number)}/credential`;
  return (
    <ul className="actions credential-links">
      <li>
        <a className="button-link" href={credential} download={`${number}.credential.json`} type="application/json">
          {t('credentials.download.json', { number })}
        </a>
      </li>
      <li>
        <a className="button-link" href={`${credential}/qr`} download={`${number}-qr.png`} type="image/png">
          {t('credentials.download.qr', { number })}
        </a>
      </li>
    </ul>
  );
}
