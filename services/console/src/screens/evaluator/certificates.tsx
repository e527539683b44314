import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { SKILL_LEVELS, type SkillLevel } from '@skills/domain-kernel';
import { api } from '../../api/client';
import { ListFooter } from '../../components/list-footer';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { nameInWords, useTraineeNames } from '../../components/use-trainee-names';
import { useI18n } from '../../i18n/i18n';
import { RevokeCertificateStep } from './revoke-step';
import { VoidCertificateStep } from './void-step';
import { OccupationName } from '../../components/occupation-name';

/** What the line above the list says was just done: a certificate revoked, or voided with the level its holder is left with. */
type Done = { number: string; voided?: false } | { number: string; voided: true; levelAfter: SkillLevel | null };

interface Filters {
  occupationCode?: string;
  level?: SkillLevel;
  from?: string;
  to?: string;
  status?: 'valid' | 'revoked';
  number?: string;
  recordedFrom?: string;
  recordedTo?: string;
  sort?: 'certified' | 'recorded';
}

/**
 * The certificates this evaluator issued, newest first (by date, or most recently entered: a certificate
 * entered today with an earlier year's date is found so), by number, occupation, level, date range, the days
 * entered and status. Each number opens its public verification page; a valid one may be revoked with a
 * reason, in place, and any one recorded in error, valid or revoked, voided (it goes as if never recorded: the
 * line saying so tells the level its holder is left with). Holders' names come from the trainee reads the
 * evaluator may do (it certified them), and lead to their archive, which its staff may read.
 */
export function CertificatesPage() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const [version, setVersion] = useState(0);
  const list = useCursorList(JSON.stringify([filters, version]), (cursor) => api.GET('/api/v1/certificates', { params: { query: { ...filters, limit: 20, cursor, consistent: 'true' } } }));
  const names = useTraineeNames(list.items.map((item) => item.traineeId));
  // The certificate just revoked or voided: its step goes with its row (the row itself, filtered to valid ones,
  // or voided), and the focus goes to the line saying so.
  const [done, setDone] = useState<Done | null>(null);
  const afterRevocation = useFocusAfterSuccess<HTMLParagraphElement>();
  const say = (next: Done) => {
    setVersion((current) => current + 1);
    setDone(next);
    afterRevocation.focusTarget();
  };

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setFilters({
      number: value('number'),
      occupationCode: value('occupationCode'),
      level: value('level') as SkillLevel | undefined,
      from: value('from'),
      to: value('to'),
      recordedFrom: value('recordedFrom'),
      recordedTo: value('recordedTo'),
      status: value('status') as Filters['status'],
      sort: value('sort') as Filters['sort'],
    });
  };

  return (
    <section>
      <h1>{t('evaluator.certificates.title')}</h1>
      {done && (
        <p role="status" className="success" tabIndex={-1} ref={afterRevocation.target}>
          {done.voided
            ? t('evaluator.certificates.voided', { number: done.number, level: done.levelAfter ? t(`level.${done.levelAfter}`) : t('evaluator.certify.none') })
            : t('evaluator.certificates.revoked', { number: done.number })}
        </p>
      )}
      <form className="panel" onSubmit={search} noValidate aria-label={t('evaluator.certificates.filters')}>
        <label htmlFor="filter-number">{t('evaluator.certificates.number')}</label>
        <input id="filter-number" name="number" placeholder="S000143430200215000001" autoComplete="off" spellCheck={false} />
        <label htmlFor="filter-occupation">{t('course.occupation')}</label>
        <input id="filter-occupation" name="occupationCode" placeholder="6-18-02-04" />
        <label htmlFor="filter-level">{t('evaluator.certify.level')}</label>
        <select id="filter-level" name="level" defaultValue="">
          <option value="">{t('evaluator.certificates.any')}</option>
          {SKILL_LEVELS.map((level) => (
            <option key={level} value={level}>
              {t(`level.${level}`)}
            </option>
          ))}
        </select>
        <label htmlFor="filter-from">{t('evaluator.certificates.from')}</label>
        <input id="filter-from" name="from" type="date" />
        <label htmlFor="filter-to">{t('evaluator.certificates.to')}</label>
        <input id="filter-to" name="to" type="date" />
        <label htmlFor="filter-recorded-from">{t('evaluator.certificates.recordedFrom')}</label>
        <input id="filter-recorded-from" name="recordedFrom" type="date" />
        <label htmlFor="filter-recorded-to">{t('evaluator.certificates.recordedTo')}</label>
        <input id="filter-recorded-to" name="recordedTo" type="date" />
        <label htmlFor="filter-status">{t('evaluator.certificates.status')}</label>
        <select id="filter-status" name="status" defaultValue="">
          <option value="">{t('evaluator.certificates.any')}</option>
          <option value="valid">{t('evaluator.status.valid')}</option>
          <option value="revoked">{t('evaluator.status.revoked')}</option>
        </select>
        <label htmlFor="filter-sort">{t('evaluator.certificates.sort')}</label>
        <select id="filter-sort" name="sort" defaultValue="certified">
          <option value="certified">{t('evaluator.certificates.sortCertified')}</option>
          <option value="recorded">{t('evaluator.certificates.sortRecorded')}</option>
        </select>
        <div className="actions">
          <button type="submit" className="primary">
            {t('common.search')}
          </button>
        </div>
      </form>
      <ProblemMessage problem={list.problem} />
      <table>
          <caption className="visually-hidden">{t('evaluator.certificates.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('verify.number')}</th>
              <th scope="col">{t('verify.holder')}</th>
              <th scope="col">{t('verify.occupation')}</th>
              <th scope="col">{t('verify.level')}</th>
              <th scope="col">{t('evaluator.certify.route')}</th>
              <th scope="col">{t('verify.certifiedOn')}</th>
              <th scope="col">{t('evaluator.certificates.status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((certificate) => (
              <tr key={certificate.number}>
                <td>
                  <Link to={`/verify/${certificate.number}`}>{certificate.number}</Link>
                </td>
                <td>
                  {/* Their archive from a name read: not from "loading", "erased" or a name that could not be read (its archive would not open either). */}
                  {names[certificate.traineeId] && 'name' in names[certificate.traineeId] ? (
                    <Link to={`/trainees/${certificate.traineeId}/archive`}>{nameInWords(names[certificate.traineeId], t)}</Link>
                  ) : (
                    nameInWords(names[certificate.traineeId], t)
                  )}
                </td>
                <td><OccupationName code={certificate.occupationCode} /></td>
                <td>{t(`level.${certificate.level}`)}</td>
                <td>{t(`evaluator.route.${certificate.route}`)}</td>
                <td>{certificate.certifiedOn}</td>
                <td>
                  {certificate.status === 'revoked' ? (
                    // Its own element: the revocation read apart from the void button beside it.
                    <span>{t('evaluator.status.revokedOn', { date: certificate.revokedOn ?? '', reason: certificate.revocationReason ?? '' })}</span>
                  ) : (
                    <>
                      {t('evaluator.status.valid')}{' '}
                      <RevokeCertificateStep number={certificate.number} certifiedOn={certificate.certifiedOn} onRevoked={async () => say({ number: certificate.number })} />
                    </>
                  )}{' '}
                  {/* A revoked one too: a revocation made to cover a mistake is put right so. */}
                  <VoidCertificateStep
                    number={certificate.number}
                    onVoided={async (levelAfter) => say({ number: certificate.number, voided: true, levelAfter })}
                    onEarlierArrived={() => setVersion((current) => current + 1)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
      </table>
      <ListFooter list={list} />
    </section>
  );
}
