import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import { ProblemMessage } from '../../components/problem-message';
import { occupationWords } from '../../components/occupation-words';
import { hasMessage, useI18n, type Locale, type Translate } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { CredentialLinks } from '../verify/credential-links';
import { IssueActivationCode } from './activation-code';

type Archive = NonNullable<Awaited<ReturnType<typeof loadArchive>>['data']>;
/** An entry's own fields follow `at`, `kind` and `context` (api.md); these are the ones a timeline shows. */
type Entry = Archive['entries'][number] & Record<string, unknown>;

// Consistent: a clerk opens the archive right after recording a result, and must see it.
const loadArchive = (id: string) => api.GET('/api/v1/trainees/{id}/archive', { params: { path: { id }, query: { consistent: 'true' } } });

/** A trainee's lifelong training archive (终身职业技能培训电子档案) as a timeline, newest first. */
export function ArchivePage() {
  const { t, locale } = useI18n();
  const { id = '' } = useParams();
  const { me } = useSession();
  const [archive, setArchive] = useState<Archive | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    void loadArchive(id).then(({ data, error }) => (data ? setArchive(data) : setProblem(problemOf(error))));
  }, [id]);

  if (!archive) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  const entries = [...(archive.entries as Entry[])].reverse();
  return (
    <section>
      <h1>{t('archive.title', { name: archive.trainee.name ?? t('archive.erased') })}</h1>
      <dl className="facts">
        <dt>{t('trainee.idNumber')}</dt>
        <dd>{archive.trainee.idNumberMasked ?? '—'}</dd>
        <dt>{t('trainee.birthDate')}</dt>
        <dd>{archive.trainee.birthDate ?? '—'}</dd>
        <dt>{t('trainee.registeredOn')}</dt>
        <dd>{archive.trainee.registeredOn}</dd>
      </dl>
      {/* Staff (and platform_admin) issue the code; a trainee already has their account. Erased, there is no one to hand it to. */}
      {me && me.role !== 'trainee' && archive.trainee.name !== null && <IssueActivationCode key={id} traineeId={id} />}
      {entries.length === 0 ? (
        <p role="status">{t('archive.empty')}</p>
      ) : (
        <ol className="timeline" aria-label={t('archive.timeline')}>
          {entries.map((entry, index) => (
            <li key={index} data-kind={entry.kind}>
              <time dateTime={entry.at}>{entry.at}</time>
              <strong>{t(`archiveKind.${entry.kind}`)}</strong>
              <span>{describe(entry, t, locale)}</span>
              {/* The school saves the trainee's copy of each certificate on their behalf. */}
              {entry.kind === 'certified' && typeof entry['certificateNumber'] === 'string' && <CredentialLinks number={entry['certificateNumber']} />}
            </li>
          ))}
        </ol>
      )}
    </section>
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
      // A hire's and an end's facts (placement's events): the occupation, and why it ended.
      return [text('occupationCode') ? occupationWords(text('occupationCode'), locale) : '', text('reason')].filter(Boolean).join(' · ');
    default:
      return '';
  }
}
