import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { isValidCreditCode, NATIONAL_REGION, readIndustryCode, readRegionCode } from '@skills/domain-kernel';
import { api, type Problem } from '../../api/client';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { ListFooter } from '../../components/list-footer';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { useSession, type Me } from '../../session/session-context';
import { managesUsers, readsAuditOf, registersOrganisations, type Organisation, type OrganisationKind } from './admin-access';
import { fieldWordsOf, type FieldWords, useWordsAtFields } from '../../components/use-words-at-fields';

const KINDS: OrganisationKind[] = ['bureau', 'provider', 'evaluator', 'employer'];
/** What a bureau officer registers here (in its region); a platform admin also bureaus (domain.md section 9: "register a bureau: platform_admin"). */
const REGISTRABLE: OrganisationKind[] = ['provider', 'evaluator', 'employer'];
const registrableBy = (me: Me): OrganisationKind[] => (me.role === 'platform_admin' ? ['bureau', ...REGISTRABLE] : REGISTRABLE);

/** The registering form's fields whose rule is said at the field. */
const REGISTER_FIELDS = ['name', 'creditCode', 'regionCode', 'industryCode'] as const;
type RegisterField = (typeof REGISTER_FIELDS)[number];
/** The server's refusals of a value already taken, which name no field: said at the field whose value it is. */
const TAKEN_AT: Partial<Record<string, RegisterField>> = { credit_code_registered: 'creditCode', bureau_region_registered: 'regionCode' };
/** The name's limit as the services check it (OrganisationFields, RegisterBureauDto). */
const NAME_MAX = 100;

/** The rule a field's value breaks, in the form's words, or nothing: the readers the services check with (domain-kernel). */
function registerRuleOf(field: RegisterField, value: string, kind: OrganisationKind): MessageKey | null {
  switch (field) {
    case 'name':
      return value ? null : 'onboarding.nameRequired';
    case 'creditCode':
      if (kind === 'bureau' || isValidCreditCode(value)) return null;
      // A code of the wrong length or characters is no mistyped check character: said as such.
      return /^[0-9A-HJ-NPQRTUWXY]{18}$/i.test(value) ? 'onboarding.creditCodeRule' : 'onboarding.creditCodeShape';
    case 'regionCode':
      // A bureau may be the national ministry, 000000, which names no province (RegisterBureauDto).
      if (kind === 'bureau') return value === NATIONAL_REGION || readRegionCode(value).ok ? null : 'onboarding.bureauRegionRule';
      return readRegionCode(value).ok ? null : 'onboarding.regionRule';
    case 'industryCode':
      return kind !== 'employer' || readIndustryCode(value).ok ? null : 'onboarding.industryRule';
  }
}

/**
 * A platform admin opens any organisation's users; a bureau officer a provider's, evaluator's or employer's
 * (the server judges the region) and its own bureau's, never another bureau's (always refused); an
 * organisation's administrator only its own.
 */
const opensUsersOf = (me: Me, organisation: Pick<Organisation, 'id' | 'kind'>) =>
  me.role === 'platform_admin' || me.organisationId === organisation.id || (me.role === 'bureau_officer' && organisation.kind !== 'bureau');

interface Filters {
  kind?: OrganisationKind;
  regionCode?: string;
  q?: string;
}

/** The public register of organisations, by region, kind and name; registering a provider, evaluator or employer, and for a platform admin a bureau. */
export function OrganisationsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const [filters, setFilters] = useState<Filters>({});
  const [version, setVersion] = useState(0);
  const [registering, setRegistering] = useState(false);
  // The organisation just registered, as the form sent it with the id answered: the register reaches the list
  // below by an event a moment later, so its users are opened from the line saying it is registered.
  const [registered, setRegistered] = useState<Organisation | null>(null);
  const list = useCursorList(JSON.stringify([filters, version]), (cursor) => api.GET('/api/v1/organisations', { params: { query: { ...filters, limit: 20, cursor } } }));
  // The registering form closes once registered: focus goes to the line saying so.
  const afterRegistering = useFocusAfterSuccess<HTMLParagraphElement>();

  const filter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setFilters({ kind: text('kind') as OrganisationKind | undefined, regionCode: text('regionCode'), q: text('q') });
    // Searching again for the same asks again: an organisation registered a moment ago may have arrived since.
    setVersion((current) => current + 1);
  };

  return (
    <section>
      <div className="page-title">
        <h1>{t('admin.organisations.title')}</h1>
        {me && registersOrganisations(me) && (
          <button type="button" className="primary" aria-expanded={registering} aria-controls="register-organisation" onClick={() => setRegistering(!registering)}>
            {t('admin.organisations.register')}
          </button>
        )}
      </div>
      {registered && (
        <div className="success">
          <p role="status" tabIndex={-1} ref={afterRegistering.target}>
            {t('admin.organisations.registered', { name: registered.name })} {t('admin.organisations.registeredLater')}
          </p>
          {me && managesUsers(me) && opensUsersOf(me, registered) && (
            <p>
              <Link to={`/admin/users?organisationId=${registered.id}`} state={{ organisation: registered }}>
                {t('admin.organisations.openUsers', { name: registered.name })}
              </Link>
            </p>
          )}
        </div>
      )}
      {registering && (
        <RegisterOrganisationForm
          kinds={me ? registrableBy(me) : REGISTRABLE}
          onRegistered={(organisation) => {
            setRegistering(false);
            setRegistered(organisation);
            setVersion((current) => current + 1);
            afterRegistering.focusTarget();
          }}
          onEarlierArrived={() => setVersion((current) => current + 1)}
        />
      )}
      <form role="search" className="inline-form" onSubmit={filter}>
        <label htmlFor="filter-kind">{t('admin.organisations.kind')}</label>
        <select id="filter-kind" name="kind" defaultValue="">
          <option value="">{t('admin.organisations.anyKind')}</option>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`admin.kind.${kind}`)}
            </option>
          ))}
        </select>
        <label htmlFor="filter-region">{t('admin.organisations.region')}</label>
        <input id="filter-region" name="regionCode" inputMode="numeric" maxLength={6} size={8} />
        <label htmlFor="filter-q">{t('admin.organisations.name')}</label>
        <input id="filter-q" name="q" />
        <button type="submit">{t('common.search')}</button>
      </form>
      <ProblemMessage problem={list.problem} />
      <table>
        <caption className="visually-hidden">{t('admin.organisations.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.organisations.name')}</th>
            <th scope="col">{t('admin.organisations.kind')}</th>
            <th scope="col">{t('admin.organisations.creditCode')}</th>
            <th scope="col">{t('admin.organisations.region')}</th>
            <th scope="col">{t('admin.organisations.manage')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((organisation) => (
            <tr key={organisation.id}>
              <td>{organisation.name}</td>
              <td>{t(`admin.kind.${organisation.kind}`)}</td>
              <td>{organisation.creditCode ?? ''}</td>
              <td>{organisation.regionCode}</td>
              <td>
                {me && managesUsers(me) && opensUsersOf(me, organisation) && (
                  <Link to={`/admin/users?organisationId=${organisation.id}`} state={{ organisation }}>
                    {t('admin.organisations.usersOf', { name: organisation.name })}
                  </Link>
                )}{' '}
                {me && readsAuditOf(me, organisation.id) && (
                  <Link to={`/admin/audit?organisationId=${organisation.id}`}>{t('admin.organisations.auditOf', { name: organisation.name })}</Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} />
    </section>
  );
}

/**
 * The kind picks the service that registers it: brand (bureaus, a platform admin's), training (providers),
 * certification (evaluators), placement (employers). Each field's rule the console can judge (the readers the
 * services use) is said at it before sending, and the server's refusals about a field at that field.
 * `onEarlierArrived`: the form, changed after a sending that got no answer, was refused because that sending
 * did arrive (earlierSendingArrived): the list is read again.
 */
function RegisterOrganisationForm({ kinds, onRegistered, onEarlierArrived }: { kinds: OrganisationKind[]; onRegistered(organisation: Organisation): void; onEarlierArrived(): void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<OrganisationKind>('provider');
  const [problem, setProblem] = useState<Problem | null>(null);
  const sending = useOneAtATime();
  const words = useWordsAtFields<RegisterField>('register-organisation', REGISTER_FIELDS);
  // One organisation however often it is sent: pressed again after a lost answer, the API answers the first (not
  // credit_code_registered by it). A key per kind: each kind is registered by another service, with keys of its
  // own, so a key sent to one means nothing to the next; back on the first kind, its key gets the first answer.
  const keys: Record<OrganisationKind, ReturnType<typeof useIdempotencyKey>> = {
    bureau: useIdempotencyKey(),
    provider: useIdempotencyKey(),
    evaluator: useIdempotencyKey(),
    employer: useIdempotencyKey(),
  };
  const idempotency = keys[kind];

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: RegisterField) => String(form.get(name) ?? '').trim();
    const fields = { name: text('name'), creditCode: text('creditCode'), regionCode: text('regionCode') };
    const industryCode = text('industryCode');
    // The rules the console can judge, said at their fields before anything is sent.
    const ownCheck: Partial<Record<RegisterField, FieldWords>> = {};
    for (const field of REGISTER_FIELDS) {
      const rule = registerRuleOf(field, field === 'industryCode' ? industryCode : fields[field], kind);
      if (rule) ownCheck[field] = fieldWordsOf(rule);
    }
    if (words.sayAtFields(ownCheck)) return setProblem(null);
    await sending.once(async () => {
      const params = { header: { 'Idempotency-Key': idempotency.key } };
      const answer =
        kind === 'bureau'
          ? await api.POST('/api/v1/bureaus', { params, body: { name: fields.name, regionCode: fields.regionCode } })
          : kind === 'provider'
            ? await api.POST('/api/v1/providers', { params, body: fields })
            : kind === 'evaluator'
              ? await api.POST('/api/v1/evaluators', { params, body: { ...fields, kind: String(form.get('evaluatorKind')) as 'employer' | 'social_organisation' } })
              : await api.POST('/api/v1/employers', { params, body: { ...fields, industryCode } });
      idempotency.settle(answer.response, answer.error);
      // The server's words about a field at that field, a credit code already registered at the credit code, a
      // region that has its bureau at the region; anything else above the button.
      const show = (refusal: Problem) => {
        const field = TAKEN_AT[refusal.rule ?? ''];
        setProblem(field ? words.sayAt(field, refusal) : words.sayRefusal(refusal));
      };
      if (!answer.data) return showRefusal(answer.error, show, onEarlierArrived);
      setProblem(null);
      onRegistered({ id: answer.data.id, kind, name: fields.name, creditCode: kind === 'bureau' ? null : fields.creditCode, regionCode: fields.regionCode });
    });
  };

  return (
    <form id="register-organisation" className="panel" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t('admin.organisations.register')}</h2>
      <label htmlFor="register-kind">{t('admin.organisations.kind')}</label>
      <select
        id="register-kind"
        name="kind"
        value={kind}
        onChange={(event) => {
          // Another kind has other rules (a bureau's region may be 000000) and other fields: what was said goes.
          setKind(event.target.value as OrganisationKind);
          words.sayAtFields({});
          setProblem(null);
        }}
      >
        {kinds.map((option) => (
          <option key={option} value={option}>
            {t(`admin.kind.${option}`)}
          </option>
        ))}
      </select>
      <label htmlFor="register-name">{t('admin.organisations.name')}</label>
      <input id="register-name" name="name" required maxLength={NAME_MAX} {...words.inputProps('name')} />
      {words.wordsAt('name')}
      {/* A bureau has no credit code in the register (RegisterBureauDto). */}
      {kind !== 'bureau' && (
        <>
          <label htmlFor="register-credit-code">{t('admin.organisations.creditCode')}</label>
          <input id="register-credit-code" name="creditCode" required maxLength={18} autoComplete="off" {...words.inputProps('creditCode', 'credit-code-hint')} />
          <p id="credit-code-hint" className="hint">
            {t('admin.organisations.creditCodeHint')}
          </p>
          {words.wordsAt('creditCode')}
        </>
      )}
      <label htmlFor="register-region">{t('admin.organisations.region')}</label>
      <input id="register-region" name="regionCode" required inputMode="numeric" maxLength={6} {...words.inputProps('regionCode', 'region-hint')} />
      <p id="region-hint" className="hint">
        {t(kind === 'bureau' ? 'onboarding.bureauRegionHint' : 'admin.organisations.regionHint')}
      </p>
      {words.wordsAt('regionCode')}
      {kind === 'evaluator' && (
        <>
          <label htmlFor="register-evaluator-kind">{t('admin.organisations.evaluatorKind')}</label>
          <select id="register-evaluator-kind" name="evaluatorKind" defaultValue="social_organisation">
            <option value="social_organisation">{t('admin.evaluatorKind.social_organisation')}</option>
            <option value="employer">{t('admin.evaluatorKind.employer')}</option>
          </select>
        </>
      )}
      {kind === 'employer' && (
        <>
          <label htmlFor="register-industry">{t('admin.organisations.industryCode')}</label>
          <input id="register-industry" name="industryCode" required maxLength={3} {...words.inputProps('industryCode', 'industry-hint')} />
          <p id="industry-hint" className="hint">
            {t('admin.organisations.industryHint')}
          </p>
          {words.wordsAt('industryCode')}
        </>
      )}
      <ProblemMessage problem={problem} />
      <button type="submit" className="primary" aria-disabled={sending.busy}>
        {t('admin.organisations.registerSubmit')}
      </button>
    </form>
  );
}
