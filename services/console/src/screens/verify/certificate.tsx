import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api/client';
import { QrCode } from '../../components/qr-code';
import { hasMessage, useI18n } from '../../i18n/i18n';

type Certificate = NonNullable<Awaited<ReturnType<typeof loadCertificate>>['data']>;

const loadCertificate = (number: string) => api.GET('/api/v1/certificates/{number}', { params: { path: { number } } });

/**
 * `/verify/{number}`: the certificate's one verification URL (under PUBLIC_ORIGIN), the address its QR
 * code holds. Valid or revoked in large text; the holder's name masked. Readable on a 360 px phone.
 */
export function CertificatePage() {
  const { t } = useI18n();
  const { number = '' } = useParams();
  const [certificate, setCertificate] = useState<Certificate | null | undefined>(undefined);
  const [status, setStatus] = useState(200);

  useEffect(() => {
    void loadCertificate(number).then(({ data, response }) => {
      setStatus(response.status);
      setCertificate(data ?? null);
    });
  }, [number]);

  if (certificate === undefined) return <p role="status">{t('common.loading')}</p>;
  if (certificate === null)
    return (
      <section className="narrow">
        <h1>{t('verify.title')}</h1>
        <p role="alert" className="verdict verdict-bad">
          {status === 429 ? t('verify.tooManyLookups') : t('verify.notFound')}
        </p>
        <Link to="/verify">{t('verify.again')}</Link>
      </section>
    );

  const valid = certificate.status === 'valid';
  const levelKey = `level.${certificate.level}`;
  return (
    <section className="narrow certificate">
      <h1>{t('verify.certificateTitle')}</h1>
      <p className={`verdict ${valid ? 'verdict-good' : 'verdict-bad'}`} data-status={certificate.status}>
        {valid ? t('verify.valid') : t('verify.revoked')}
      </p>
      <dl className="facts">
        <dt>{t('verify.number')}</dt>
        <dd>{certificate.number}</dd>
        <dt>{t('verify.holder')}</dt>
        <dd>{certificate.holderName}</dd>
        <dt>{t('verify.occupation')}</dt>
        <dd>{certificate.occupationCode}</dd>
        <dt>{t('verify.level')}</dt>
        <dd>{hasMessage(levelKey) ? t(levelKey) : certificate.level}</dd>
        <dt>{t('verify.evaluator')}</dt>
        <dd>{certificate.evaluator}</dd>
        <dt>{t('verify.certifiedOn')}</dt>
        <dd>{certificate.certifiedOn}</dd>
      </dl>
      <QrCode url={certificate.verificationUrl} />
      <p className="small">{certificate.verificationUrl}</p>
    </section>
  );
}
