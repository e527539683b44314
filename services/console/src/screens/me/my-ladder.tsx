import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { occupationWords } from '../../components/occupation-words';
import { levelWords, useMyArchive, useMyLadder, type Archive } from './use-my-records';

/** When and why each revoked certificate was revoked, from the archive's certificate_revoked entries. */
function revocationsOf(archive: Archive | null): Map<string, { at: string; reason: string }> {
  const entries = (archive?.entries ?? []) as Array<Archive['entries'][number] & Record<string, unknown>>;
  return new Map(entries.filter((entry) => entry.kind === 'certificate_revoked').map((entry) => [String(entry['certificateNumber']), { at: entry.at, reason: String(entry['reason'] ?? '') }]));
}

/** `/me/ladder`: per occupation the level the trainee holds now and every certificate that led there. */
export function MyLadderPage() {
  const { t, locale } = useI18n();
  const traineeId = useSession().me?.traineeId;
  const { data: ladder, problem } = useMyLadder(traineeId);
  // The archive adds when and why a certificate was revoked; the ladder stands without it.
  const revocations = revocationsOf(useMyArchive(traineeId).data);
  if (!traineeId) return <p role="alert">{t('me.noTrainee')}</p>;
  if (!ladder) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  return (
    <section className="me-page">
      <h1>{t('me.ladderTitle')}</h1>
      {ladder.length === 0 && <p>{t('me.noLevels')}</p>}
      {ladder.map((rung) => (
        <article key={rung.occupationCode} className="me-card" aria-labelledby={`occupation-${rung.occupationCode}`}>
          <h2 id={`occupation-${rung.occupationCode}`}>{occupationWords(rung.occupationCode, locale)}</h2>
          <p className="me-level">{rung.level ? t('me.currentLevel', { level: levelWords(rung.level, t) }) : t('me.noStandingLevel')}</p>
          <h3>{t('me.history')}</h3>
          <ol className="me-history">
            {[...rung.history].reverse().map((certificate) => (
              <li key={certificate.certificateNumber} data-status={certificate.status}>
                <time dateTime={certificate.certifiedOn}>{certificate.certifiedOn}</time> <strong>{levelWords(certificate.level, t)}</strong>{' '}
                <span>{t(`me.route.${certificate.route}` as 'me.route.assessment')}</span> <span className="me-number">{certificate.certificateNumber}</span>{' '}
                {certificate.status === 'revoked' && <strong className="verdict-bad">{t('verify.revoked')}</strong>}
                <Revocation revocation={revocations.get(certificate.certificateNumber)} />
              </li>
            ))}
          </ol>
        </article>
      ))}
    </section>
  );
}

function Revocation({ revocation }: { revocation: { at: string; reason: string } | undefined }) {
  const { t } = useI18n();
  return revocation ? <span> {t('history.revokedOn', { date: revocation.at, reason: revocation.reason })}</span> : null;
}
