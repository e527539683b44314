import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { QrCode } from '../../components/qr-code';
import { OccupationName } from '../../components/occupation-name';
import { hasMessage, useI18n, type Translate } from '../../i18n/i18n';
import { CredentialLinks } from './credential-links';

type Certificate = NonNullable<Awaited<ReturnType<typeof loadCertificate>>['data']>;

/** The registry's answer for one number: the certificate, or none with the status that said why (0: no answer at all). */
interface Answer {
  number: string;
  certificate: Certificate | null;
  status: number;
}

const loadCertificate = (number: string) => api.GET('/api/v1/certificates/{number}', { params: { path: { number } } });

/** The certificate the lookup form found and handed over in the router state, when it is this number's. */
function handedOver(state: unknown, number: string): Certificate | undefined {
  const certificate = (state as { certificate?: Certificate } | null)?.certificate;
  return certificate?.number === number ? certificate : undefined;
}

/**
 * `/verify/{number}`: the certificate's one verification URL (under PUBLIC_ORIGIN), the address its QR
 * code holds. Valid or revoked in large text; the holder's name masked. Readable on a 360 px phone.
 *
 * Coming from the lookup form, the certificate it found is shown as it is: every lookup costs one of the
 * visitor's few a minute. Opened any other way (a QR code, a link, a reload), it is looked up here.
 */
export function CertificatePage() {
  const { t } = useI18n();
  const { number = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const handed = handedOver(location.state, number);
  const [answer, setAnswer] = useState<Answer | null>(handed ? { number, certificate: handed, status: 200 } : null);
  /** The number whose handed-over certificate is shown: once the router state is cleared, not looked up again. */
  const shownFromForm = useRef<string | null>(null);

  useEffect(() => {
    if (handed) {
      shownFromForm.current = number;
      setAnswer({ number, certificate: handed, status: 200 });
      // The history keeps router state across a reload: cleared, so a reload asks the registry afresh (the certificate may be revoked by then).
      void navigate(`${location.pathname}${location.search}${location.hash}`, { replace: true, state: null });
      return;
    }
    if (shownFromForm.current === number) return;
    let stale = false;
    void loadCertificate(number).then(
      ({ data, response }) => !stale && setAnswer({ number, certificate: data ?? null, status: response.status }),
      () => !stale && setAnswer({ number, certificate: null, status: 0 }),
    );
    return () => {
      stale = true;
    };
  }, [number, handed]);

  const certificate = answer?.number === number ? answer.certificate : undefined;
  if (certificate === undefined) return <p role="status">{t('common.loading')}</p>;
  if (certificate === null)
    return (
      <section className="narrow">
        <h1>{t('verify.title')}</h1>
        <p role="alert" className="verdict verdict-bad">
          {unfoundInWords(answer?.status ?? 404, t)}
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
        {/* An erased holder's name is null: said, not left blank (the certificate itself stays valid). */}
        <dd>{certificate.holderName ?? t('trainee.erased')}</dd>
        <dt>{t('verify.occupation')}</dt>
        <dd>
          <OccupationName code={certificate.occupationCode} />
        </dd>
        <dt>{t('verify.level')}</dt>
        <dd>{hasMessage(levelKey) ? t(levelKey) : certificate.level}</dd>
        <dt>{t('verify.evaluator')}</dt>
        <dd>{certificate.evaluator}</dd>
        <dt>{t('verify.certifiedOn')}</dt>
        <dd>{certificate.certifiedOn}</dd>
        {/* A revoked certificate still counted before this day (its holder's level, statistics): the reader needs it. */}
        {!valid && certificate.revokedOn && (
          <>
            <dt>{t('verify.revokedOn')}</dt>
            <dd data-testid="revoked-on">{certificate.revokedOn}</dd>
          </>
        )}
      </dl>
      <QrCode url={certificate.verificationUrl} />
      <p className="small">{certificate.verificationUrl}</p>
      <CredentialLinks number={certificate.number} />
    </section>
  );
}

/**
 * Why no certificate is shown: too many lookups for a minute, the registry out of reach for now (try
 * later), a malformed number, or none such. (The names no longer checked with a number today are the verify
 * form's to say, with the way to the number alone: VerifyPage.)
 */
export function unfoundInWords(status: number, t: Translate): string {
  if (status === 429) return t('verify.tooManyLookups');
  if (status === 503 || status === 0) return t('verify.unavailable');
  if (status === 400) return t('verify.badNumber');
  return t('verify.notFound');
}
