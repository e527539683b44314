import { api } from '../../api/client';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n, type Locale, type Translate } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { DownloadButton } from './download-button';
import { savePdf } from './download-pdf';
import { employmentWords } from '../../components/employment-words';
import { FreshnessLine } from '../../components/freshness-line';
import { occupationWords } from '../../components/occupation-words';
import { levelWords, useMyArchive, type Archive } from './use-my-records';

/** An entry's own fields follow `at`, `kind` and `context` (api.md). */
type Entry = Archive['entries'][number] & Record<string, unknown>;

/** `/me/archive`: the signed-in trainee's lifelong training archive, newest first, and the archive as a PDF. */
export function MyArchivePage() {
  const { t, locale } = useI18n();
  const traineeId = useSession().me?.traineeId;
  const { data: archive, problem } = useMyArchive(traineeId);
  if (!traineeId) return <p role="alert">{t('me.noTrainee')}</p>;
  if (!archive) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  const entries = [...(archive.entries as Entry[])].reverse();
  const download = () => savePdf(api.GET('/api/v1/trainees/{id}/archive/pdf', { params: { path: { id: traineeId } }, parseAs: 'blob' }), `archive-${traineeId}.pdf`);
  return (
    <section className="me-page">
      <h1>{t('me.archiveTitle')}</h1>
      <dl className="facts">
        <dt>{t('trainee.name')}</dt>
        <dd>{archive.trainee.name ?? t('archive.erased')}</dd>
        <dt>{t('trainee.idNumber')}</dt>
        <dd>{archive.trainee.idNumberMasked ?? '—'}</dd>
        <dt>{t('trainee.registeredOn')}</dt>
        <dd>{archive.trainee.registeredOn}</dd>
      </dl>
      <DownloadButton label={t('me.downloadArchive')} download={download} />
      <h2>{t('archive.timeline')}</h2>
      {/* A fact parked or still on its way (a certificate, a hire) is not in the timeline yet: said, not left to be missed. */}
      <FreshnessLine freshness={archive.freshness} testId="archive-freshness" of="records" />
      {entries.length === 0 ? (
        <p>{t('archive.empty')}</p>
      ) : (
        <ol className="timeline me-timeline">
          {entries.map((entry, index) => (
            <li key={index} data-kind={entry.kind}>
              <time dateTime={entry.at}>{entry.at}</time>
              <strong>{t(`archiveKind.${entry.kind}` as 'archiveKind.enrolled')}</strong>
              <span>{describe(entry, t, locale)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The words of one entry: the course and occupation, the result, the certificate or the employment. */
function describe(entry: Entry, t: Translate, locale: Locale): string {
  const text = (key: string) => (typeof entry[key] === 'string' || typeof entry[key] === 'number' ? String(entry[key]) : '');
  const occupation = text('occupationCode') ? occupationWords(text('occupationCode'), locale) : '';
  switch (entry.kind) {
    case 'enrolled':
    case 'withdrew':
      return [text('courseTitle'), occupation].filter(Boolean).join(' · ');
    case 'assessed':
      return `${text('courseTitle')} · ${t(entry['passed'] ? 'results.passedWithScore' : 'results.failedWithScore', { score: text('score') })}`;
    case 'certified':
      return `${occupation} · ${levelWords(text('level'), t)} · ${t('me.certificateNumber')} ${text('certificateNumber')}`;
    case 'certificate_revoked':
      return `${occupation} · ${levelWords(text('revokedLevel'), t)} · ${text('certificateNumber')} · ${text('reason')}`;
    case 'hired':
    case 'employment_ended':
      return [occupation, ...employmentWords(entry, t, locale)].filter(Boolean).join(' · ');
    default:
      return '';
  }
}
