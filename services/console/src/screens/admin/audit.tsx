import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { instantText } from '../../components/dates';
import { ListFooter } from '../../components/list-footer';
import { ProblemMessage } from '../../components/problem-message';
import { useAddressFormKey } from '../../components/use-address-form-key';
import { useCursorList } from '../../components/use-cursor-list';
import { hasMessage, useI18n, type Translate } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { OrganisationPicker } from './organisation-picker';

const FILTERS = ['organisationId', 'actor', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * An action (`EnrollTrainee`, `trainees:read`) or a service (`training`) as the log names it, in words
 * where the catalogue has them (parts/audit.ts), else as the service wrote it: one added later is shown,
 * never a blank or a key.
 */
function wordsFor(t: Translate, family: 'auditAction' | 'auditService', name: string): string | null {
  const key = `${family}.${name}`;
  return hasMessage(key) ? t(key) : null;
}

/** The action in words, with its code word beneath, small, for the administrator who searches for it or asks about it. */
function AuditAction({ action }: { action: string }) {
  const { t } = useI18n();
  const code = (
    <code lang="en" translate="no">
      {action}
    </code>
  );
  const words = wordsFor(t, 'auditAction', action);
  if (!words) return code;
  return (
    <>
      {words}
      <div className="small">{code}</div>
    </>
  );
}

/**
 * The audit log, newest first: by organisation (an organisation's administrator: its own), by the user
 * who acted (their id) and by dates (whole days, both included). The filters live in the address, so a
 * filtered log can be opened from elsewhere (an organisation's row) and kept as a link.
 */
export function AuditPage() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const isPlatformAdmin = me?.role === 'platform_admin';
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || undefined])) as Partial<Record<Filter, string>>;
  // An organisation's administrator reads only its own organisation's entries.
  if (!isPlatformAdmin) filters.organisationId = me?.organisationId ?? undefined;
  // Filtering again with the same filters asks again: entries arrive from every service a moment after the action.
  const [asked, setAsked] = useState(0);
  const list = useCursorList(JSON.stringify([filters, asked]), (cursor) => api.GET('/api/v1/audit', { params: { query: { ...filters, limit: 20, cursor } } }));

  const form = useAddressFormKey(params.toString());
  const addressOf = (next: Partial<Record<Filter, string>>) => Object.fromEntries(Object.entries(next).filter(([, value]) => value)) as Record<string, string>;
  const setFilters = (next: Partial<Record<Filter, string>>) => setParams(addressOf(next));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    const next = Object.fromEntries(FILTERS.map((name) => [name, String(fields.get(name) ?? '').trim() || undefined]));
    // The form stays as it is (its submit button keeps the focus); the organisation picker's choice rebuilds it.
    form.submitting(new URLSearchParams(addressOf(next)).toString());
    setFilters(next);
    setAsked(asked + 1);
  };

  return (
    <section>
      <h1>{t('admin.audit.title')}</h1>
      {isPlatformAdmin && <OrganisationPicker onChoose={(organisation) => setFilters({ ...filters, organisationId: organisation.id })} />}
      <form role="search" className="inline-form" key={form.key} onSubmit={submit}>
        {isPlatformAdmin && (
          <>
            <label htmlFor="audit-organisation">{t('admin.audit.organisation')}</label>
            <input id="audit-organisation" name="organisationId" defaultValue={filters.organisationId} size={38} />
          </>
        )}
        <label htmlFor="audit-actor">{t('admin.audit.actor')}</label>
        <input id="audit-actor" name="actor" defaultValue={filters.actor} size={38} />
        <label htmlFor="audit-from">{t('admin.audit.from')}</label>
        <input id="audit-from" name="from" type="date" defaultValue={filters.from} />
        <label htmlFor="audit-to">{t('admin.audit.to')}</label>
        <input id="audit-to" name="to" type="date" defaultValue={filters.to} />
        <button type="submit">{t('admin.audit.apply')}</button>
      </form>
      <ProblemMessage problem={list.problem} />
      <table>
        <caption className="visually-hidden">{t('admin.audit.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.audit.at')}</th>
            <th scope="col">{t('admin.audit.action')}</th>
            <th scope="col">{t('admin.audit.service')}</th>
            <th scope="col">{t('admin.audit.actorColumn')}</th>
            <th scope="col">{t('admin.audit.resource')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((entry) => (
            <tr key={entry.id}>
              <td>{instantText(entry.at, locale)}</td>
              <td>
                <AuditAction action={entry.action} />
              </td>
              {/* The service in words; one without (added later) as its code word, marked as such, not as a tooltip. */}
              <td>
                {wordsFor(t, 'auditService', entry.service) ?? (
                  <code lang="en" translate="no">
                    {entry.service}
                  </code>
                )}
              </td>
              <td>
                {entry.actor.role ? t(`admin.role.${entry.actor.role}`) : t('admin.audit.platform')} {entry.actor.userId ?? ''} ({t(`admin.via.${entry.actor.via}`)})
              </td>
              <td>{entry.resource ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} />
    </section>
  );
}
