import { Link } from 'react-router';
import { api } from '../../api/client';
import { ProblemMessage } from '../../components/problem-message';
import { QrCode } from '../../components/qr-code';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { CredentialLinks } from '../verify/credential-links';
import { DownloadButton } from './download-button';
import { savePdf } from './download-pdf';
import { occupationWords } from '../../components/occupation-words';
import { levelWords, useMyLadder } from './use-my-records';

interface Shown {
  traineeId: string;
  occupationCode: string;
  certificateNumber: string;
  level: string;
  certifiedOn: string;
  status: string;
  /** Under PUBLIC_ORIGIN, as the ladder answers it with each certificate. */
  verificationUrl: string;
}

function CertificateCard({ certificate }: { certificate: Shown }) {
  const { t, locale } = useI18n();
  const number = certificate.certificateNumber;
  const download = () =>
    savePdf(api.GET('/api/v1/trainees/{id}/certificates/{number}/pdf', { params: { path: { id: certificate.traineeId, number } }, parseAs: 'blob' }), `certificate-${number}.pdf`);
  return (
    <article className="me-card" aria-labelledby={`certificate-${number}`} data-number={number}>
      <h2 id={`certificate-${number}`}>
        {occupationWords(certificate.occupationCode, locale)} · {levelWords(certificate.level, t)}
      </h2>
      <p className={certificate.status === 'revoked' ? 'verdict verdict-bad' : 'verdict verdict-good'}>{t(certificate.status === 'revoked' ? 'verify.revoked' : 'verify.valid')}</p>
      <dl className="facts">
        <dt>{t('me.certificateNumber')}</dt>
        <dd className="me-number">{number}</dd>
        <dt>{t('verify.certifiedOn')}</dt>
        <dd>{certificate.certifiedOn}</dd>
      </dl>
      <QrCode url={certificate.verificationUrl} />
      <ul className="actions">
        <li>
          <Link className="button-link" to={`/verify/${number}`}>
            {t('me.openVerification', { number })}
          </Link>
        </li>
        <li>
          <DownloadButton label={t('me.downloadCertificate', { number })} download={download} />
        </li>
      </ul>
      <CredentialLinks number={number} />
    </article>
  );
}

/** `/me/certificates`: each certificate the trainee was issued, with the QR code of its verification URL and a printable PDF. */
export function MyCertificatesPage() {
  const { t } = useI18n();
  const traineeId = useSession().me?.traineeId;
  const { data: ladder, problem } = useMyLadder(traineeId);
  if (!traineeId) return <p role="alert">{t('me.noTrainee')}</p>;
  if (!ladder) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  const certificates: Shown[] = ladder
    .flatMap((rung) => rung.history.map((certificate) => ({ ...certificate, traineeId, occupationCode: rung.occupationCode })))
    .sort((a, b) => b.certifiedOn.localeCompare(a.certifiedOn));
  return (
    <section className="me-page">
      <h1>{t('me.certificatesTitle')}</h1>
      {certificates.length === 0 && <p>{t('me.noCertificates')}</p>}
      {certificates.map((certificate) => (
        <CertificateCard key={certificate.certificateNumber} certificate={certificate} />
      ))}
    </section>
  );
}
