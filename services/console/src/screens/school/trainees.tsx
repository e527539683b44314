import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { ListFooter } from '../../components/list-footer';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useI18n } from '../../i18n/i18n';

const PAGE_SIZE = 20;

/** The school's trainees: searched by name or by the last digits of the identity number, a page at a time. */
export function TraineesPage() {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  // Searching again with the same term asks again: a trainee registered meanwhile (in another tab, by a colleague) is found.
  const [asked, setAsked] = useState(0);
  const list = useCursorList(JSON.stringify([query, asked]), (cursor) => api.POST('/api/v1/trainees/search', { body: { q: query || undefined, limit: PAGE_SIZE, cursor } }));

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setQuery(String(new FormData(event.currentTarget).get('q')).trim());
    setAsked((count) => count + 1);
  };

  return (
    <section>
      <div className="page-title">
        <h1>{t('trainees.title')}</h1>
        <Link className="button-link primary" to="/school/trainees/new">
          {t('trainees.register')}
        </Link>
      </div>
      <form role="search" onSubmit={search} className="inline-form">
        <label htmlFor="q">{t('trainees.search')}</label>
        <input id="q" name="q" defaultValue={query} aria-describedby="q-hint" />
        <button type="submit">{t('common.search')}</button>
        <p id="q-hint" className="hint">
          {t('trainees.searchHint')}
        </p>
      </form>
      <ProblemMessage problem={list.problem} />
      {/*
        Always there once searched, so what a search found is announced as it changes: empty while it is on
        its way (the same count found again is then said again), and for none (ListFooter says so).
      */}
      {asked > 0 && (
        <p role="status" className="hint">
          {list.loading || list.problem || list.items.length === 0 ? '' : t(list.hasMore ? 'search.foundMore' : 'search.found', { count: list.items.length })}
        </p>
      )}
      <table>
        <caption className="visually-hidden">{t('trainees.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('trainee.name')}</th>
            <th scope="col">{t('trainee.idNumber')}</th>
            <th scope="col">{t('trainee.birthDate')}</th>
            <th scope="col">{t('trainee.gender')}</th>
            <th scope="col">{t('trainees.archive')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((trainee) => (
            <tr key={trainee.id}>
              {/* Erased personal data (the name and all below it are null) is said, not left blank. */}
              <td>{trainee.name ?? t('trainee.erased')}</td>
              <td>{trainee.idNumberMasked}</td>
              <td>{trainee.birthDate}</td>
              <td>{trainee.gender ? t(`gender.${trainee.gender}`) : ''}</td>
              <td>
                <Link to={`/trainees/${trainee.id}/archive`}>{trainee.name ? t('trainees.openArchive', { name: trainee.name }) : t('trainees.openErasedArchive')}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} />
    </section>
  );
}
