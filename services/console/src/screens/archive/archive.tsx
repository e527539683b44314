import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import { ProblemMessage } from '../../components/problem-message';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { employmentWords } from '../../components/employment-words';
import { FreshnessLine } from '../../components/freshness-line';
import { occupationWords } from '../../components/occupation-words';
import { hasMessage, useI18n, type Locale, type Translate } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { IssueActivationCode } from './activation-code';
import { CertificateDownloads } from './certificate-downloads';
import { revokedOnOf } from './revocations';
import { correctionOffer, CorrectTraineeStep, EraseTraineeStep } from './trainee-data-steps';

type Archive = NonNullable<Awaited<ReturnType<typeof loadArchive>>['data']>;
/** An entry's own fields follow `at`, `kind` and `context` (api.md); these are the ones a timeline shows. */
type Entry = Archive['entries'][number] & Record<string, unknown>;

// Consistent: a clerk opens the archive right after recording a result, and must see it.
const loadArchive = (id: string) => api.GET('/api/v1/trainees/{id}/archive', { params: { path: { id }, query: { consistent: 'true' } } });

/** A trainee's lifelong training archive (终身职业技能培训电子档案) as a timeline, newest first. */
export function ArchivePage() {
  const { id = '' } = useParams();
  // Keyed by the trainee: another trainee's archive starts from nothing read, never from the last one's data.
  return <TraineeArchive key={id} id={id} />;
}

function TraineeArchive({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const [archive, setArchive] = useState<Archive | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // Read again after a correction or an erasure (neither answers the trainee), the page kept meanwhile.
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((current) => current + 1);
  // Once erased, the erasing step is gone with the personal data: the focus goes to the line saying so.
  const [erasing, setErasing] = useState(false);
  const afterErasing = useFocusAfterSuccess<HTMLParagraphElement>();

  useEffect(() => {
    let stale = false;
    void loadArchive(id).then(({ data, error }) => {
      if (stale) return;
      // A read that fails after one that succeeded (after a correction or an erasure) is said beside the archive it leaves shown.
      setProblem(data ? null : problemOf(error));
      if (data) setArchive(data);
    });
    return () => {
      stale = true;
    };
  }, [id, version]);

  const erased = archive?.trainee.personalDataErased === true;
  const { focusTarget } = afterErasing;
  useEffect(() => {
    if (erasing && erased) focusTarget();
  }, [erasing, erased, focusTarget]);

  if (!archive) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  const entries = [...(archive.entries as Entry[])].reverse();
  // A certificate later revoked is marked on its own line: the revocation is a separate entry, elsewhere in the timeline.
  const revokedOn = revokedOnOf(entries);
  const role = me?.role;
  const correcting = correctionOffer(me ?? null, archive.trainee);
  return (
    <section>
      <h1 data-page-title={t('page.archiveTitle')}>{t('archive.title', { name: archive.trainee.name ?? t('archive.erased') })}</h1>
      <ProblemMessage problem={problem} />
      <dl className="facts">
        <dt>{t('trainee.idNumber')}</dt>
        <dd>{archive.trainee.idNumberMasked ?? '—'}</dd>
        <dt>{t('trainee.birthDate')}</dt>
        <dd>{archive.trainee.birthDate ?? '—'}</dd>
        <dt>{t('trainee.registeredOn')}</dt>
        <dd>{archive.trainee.registeredOn}</dd>
      </dl>
      {erased && (
        <p role="status" className={erasing ? 'success' : undefined} tabIndex={-1} ref={afterErasing.target}>
          {t('archive.erasedState')}
        </p>
      )}
      {/* Each step keyed by the trainee (its fields start from them), each key its own among these siblings. */}
      {!erased && correcting && <CorrectTraineeStep key={`correct-${archive.trainee.id}`} offer={correcting} trainee={archive.trainee} onCorrected={reload} />}
      {!erased && role === 'platform_admin' && (
        <EraseTraineeStep
          key={`erase-${id}`}
          traineeId={id}
          onErased={() => {
            setErasing(true);
            reload();
          }}
        />
      )}
      {/* Staff (and platform_admin) issue the code; a trainee already has their account. Erased, there is no one to hand it to. */}
      {me && me.role !== 'trainee' && archive.trainee.name !== null && <IssueActivationCode key={id} traineeId={id} />}
      {/* A fact parked or still on its way is not in the timeline yet: said, as on every page of figures. */}
      <FreshnessLine freshness={archive.freshness} testId="archive-freshness" of="records" />
      {entries.length === 0 ? (
        <p role="status">{t('archive.empty')}</p>
      ) : (
        <ol className="timeline" aria-label={t('archive.timeline')}>
          {entries.map((entry, index) => (
            <li key={index} data-kind={entry.kind}>
              <time dateTime={entry.at}>{entry.at}</time>
              <strong>{t(`archiveKind.${entry.kind}`)}</strong>
              <span>{describe(entry, t, locale)}</span>
              {/* The school saves the trainee's copy of each certificate on their behalf; an evaluator prints one it issued. */}
              {entry.kind === 'certified' && typeof entry['certificateNumber'] === 'string' && (
                <CertifiedFiles traineeId={id} number={entry['certificateNumber']} revokedOn={revokedOn.get(entry['certificateNumber'])} />
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** A certificate's mark, where it was revoked since, and its files. */
function CertifiedFiles({ traineeId, number, revokedOn }: { traineeId: string; number: string; revokedOn: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      {revokedOn !== undefined && <strong className="verdict-bad"> {t('archive.revokedOn', { date: revokedOn })}</strong>}
      <CertificateDownloads traineeId={traineeId} number={number} revokedOn={revokedOn} />
    </>
  );
}

/** The words of one entry: the course, the result, the certificate or the employment it records. */
function describe(entry: Entry, t: Translate, locale: Locale): string {
  const text = (key: string) => (typeof entry[key] === 'string' || typeof entry[key] === 'number' ? String(entry[key]) : '');
  const level = (key: string) => (hasMessage(`level.${text(key)}`) ? t(`level.${text(key)}` as 'level.junior') : text(key));
  switch (entry.kind) {
    case 'enrolled':
    case 'withdrew':
      return text('courseTitle');
    case 'assessed':
      return `${text('courseTitle')} · ${t(entry['passed'] ? 'results.passedWithScore' : 'results.failedWithScore', { score: text('score') })}${entry['corrects'] ? ` · ${t('results.correction')}` : ''}`;
    case 'certified':
      return `${occupationWords(text('occupationCode'), locale)} · ${level('level')} · ${text('certificateNumber')}`;
    case 'certificate_revoked':
      return `${text('certificateNumber')} · ${text('reason')}`;
    case 'hired':
    case 'employment_ended':
      // A hire's and an end's facts (placement's events): the occupation, and the wage or why it ended where answered.
      return [text('occupationCode') ? occupationWords(text('occupationCode'), locale) : '', ...employmentWords(entry, t, locale)].filter(Boolean).join(' · ');
    default:
      return '';
  }
}
