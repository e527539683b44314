import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { ListFooter } from '../../components/list-footer';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ConfirmStep } from '../../components/confirm-step';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { type Translate, useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { readsAuditOf, ROLE_OF_KIND, type Organisation, type OrganisationKind } from './admin-access';
import { OrganisationPicker, scopeOf } from './organisation-picker';
import { PASSWORD_MIN, USERNAME } from '../../components/account-rules';
import { ResetPasswordStep } from './reset-password-step';
import { TemporaryPasswordBox } from './temporary-password-box';
import { fieldWordsOf, type FieldWords, useWordsAtFields } from '../../components/use-words-at-fields';

type User = components['schemas']['UserListItem'];

/**
 * A user as the steps on their row name them: a trainee's username is not shown (often their phone number),
 * so their account by the trainee's id (what their archive shows; never the user's own UUID), or by its
 * kind and day when the API gives no trainee.
 */
const accountName = (user: User, t: Translate) =>
  user.username ?? (user.traineeId ? t('admin.users.traineeAccountOf', { traineeId: user.traineeId }) : t('admin.users.traineeAccount', { createdOn: user.createdOn }));
type StaffRole = (typeof ROLE_OF_KIND)[OrganisationKind];
const STAFF_ROLES = Object.values(ROLE_OF_KIND) as StaffRole[];
/** The role a platform admin creates among the users of no organisation (trainees' users are made by activation codes). */
const PLATFORM_ROLES = ['platform_admin'] as const;
type CreatedRole = StaffRole | (typeof PLATFORM_ROLES)[number];

/** The create-user form's fields whose rule is said at the field. */
const CREATE_FIELDS = ['username', 'password', 'passwordAgain'] as const;
type CreateField = (typeof CREATE_FIELDS)[number];

/** The address of the users of no organisation: platform admins and trainees' own accounts (a platform admin's view). */
const PLATFORM_ACCOUNTS = '/admin/users?accounts=platform';
/** Users the API reads per request when looking for those of no organisation (its largest page). */
const DIRECTORY_PAGE = 100;
/** Users of no organisation one press shows at least, when there are as many. */
const PLATFORM_SHOWN = 20;
/** Requests one press sends at most (2 000 users read): past that, "more" goes on, rather than one press reading every user. */
const DIRECTORY_PAGES_PER_PRESS = 20;

/**
 * A page of the users of no organisation. GET /api/v1/users filters by organisation only, so a platform
 * admin's list of every user is read page by page and those with an organisation are left out here, until
 * PLATFORM_SHOWN are found, the list ends or DIRECTORY_PAGES_PER_PRESS are read; the cursor answered is the
 * API's, so "more" goes on from there.
 */
async function organisationlessPage(cursor: string | undefined) {
  const items: User[] = [];
  let next: string | undefined = cursor;
  let read = 0;
  do {
    read++;
    const { data, error } = await api.GET('/api/v1/users', { params: { query: { limit: DIRECTORY_PAGE, cursor: next, consistent: 'true' } } });
    if (!data) return { error };
    items.push(...data.items.filter((user) => user.organisationId === null));
    next = data.nextCursor ?? undefined;
  } while (next && items.length < PLATFORM_SHOWN && read < DIRECTORY_PAGES_PER_PRESS);
  return { data: { items, nextCursor: next ?? null } };
}

/**
 * An organisation's users (an administrator's own organisation is chosen for it), or for a platform admin
 * the users of no organisation (platform admins, trainees' accounts), creating one,
 * disabling one, setting a new password for one who forgot theirs, and resetting one's second factor (a
 * lost phone). Trainees' users are made by activation
 * codes, not here.
 */
export function UsersPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const fromState = (location.state as { organisation?: Organisation } | null)?.organisation;
  // A platform admin or bureau officer chooses; an organisation's administrator manages its own.
  const chooses = me?.role === 'platform_admin' || me?.role === 'bureau_officer';
  // Platform admins and trainees' accounts belong to no organisation: a platform admin alone manages them.
  const platformAccounts = me?.role === 'platform_admin' && params.get('accounts') === 'platform';
  const organisationId = chooses ? params.get('organisationId') : (me?.organisationId ?? null);
  const organisation = fromState?.id === organisationId ? fromState : undefined;
  const kind: OrganisationKind | undefined = organisation?.kind ?? (chooses ? undefined : (me?.organisationKind ?? undefined));
  // The audit log the API lets the caller read (a bureau officer administering another organisation's users would be refused it).
  const auditLink = me && organisationId ? readsAuditOf(me, organisationId) : false;

  const choose = (chosen: Organisation) => navigate(`/admin/users?organisationId=${chosen.id}`, { state: { organisation: chosen } });

  return (
    <section>
      <h1>{t('admin.users.title')}</h1>
      {chooses && <OrganisationPicker onChoose={choose} within={scopeOf(me)} />}
      {me?.role === 'platform_admin' && !platformAccounts && (
        <p>
          <Link to={PLATFORM_ACCOUNTS}>{t('admin.users.openPlatform')}</Link>
        </p>
      )}
      {platformAccounts ? (
        <OrganisationUsers key="platform" organisationId={null} auditLink={false} />
      ) : organisationId ? (
        // Opened from a link or reloaded, the page has the organisation's id only (no API answers its name by
        // id): the heading says "the chosen organisation", not the UUID.
        <OrganisationUsers key={organisationId} organisationId={organisationId} name={chooses ? (organisation?.name ?? null) : undefined} kind={kind} auditLink={auditLink} />
      ) : (
        <p>{t('admin.users.chooseFirst')}</p>
      )}
    </section>
  );
}

/**
 * `organisationId`: the organisation whose users are listed, or null for the users of no organisation
 * (platform admins and trainees' accounts, a platform admin's view). `name`: the organisation chosen (null
 * when only its id is known); none for an administrator's own organisation.
 */
function OrganisationUsers({ organisationId, name, kind, auditLink }: { organisationId: string | null; name?: string | null; kind?: OrganisationKind; auditLink: boolean }) {
  const { t } = useI18n();
  const { me } = useSession();
  const title =
    organisationId === null ? t('admin.users.ofPlatform') : name === undefined ? t('admin.users.ofOwn') : name === null ? t('admin.users.ofChosen') : t('admin.users.of', { name });
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  // The creating form closes once the user is made: focus goes to the line saying so.
  const afterCreating = useFocusAfterSuccess<HTMLParagraphElement>();
  // A disabling's step goes with its row's change: focus goes on to the heading of the organisation's users.
  const afterDisabling = useFocusAfterSuccess<HTMLHeadingElement>();
  // Consistent: a user created a moment ago is in the list.
  const list = useCursorList(`${organisationId ?? 'platform'}:${version}`, (cursor) =>
    organisationId === null
      ? organisationlessPage(cursor)
      : api.GET('/api/v1/users', { params: { query: { organisationId, limit: 20, cursor, consistent: 'true' } } }),
  );

  return (
    <>
      <div className="page-title">
        <h2 ref={afterDisabling.target} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="primary" aria-expanded={creating} aria-controls="create-user" onClick={() => setCreating(!creating)}>
          {t('admin.users.create')}
        </button>
      </div>
      {organisationId === null && <p className="hint">{t('admin.users.platformIntro')}</p>}
      {created && (
        <p role="status" className="success" tabIndex={-1} ref={afterCreating.target}>
          {t('admin.users.created', { username: created })}
        </p>
      )}
      {creating && (
        <CreateUserForm
          organisationId={organisationId}
          kind={kind}
          onCreated={(username) => {
            setCreating(false);
            setCreated(username);
            setVersion((current) => current + 1);
            afterCreating.focusTarget();
          }}
          onEarlierArrived={() => setVersion((current) => current + 1)}
        />
      )}
      {auditLink && (
        <p>
          <Link to={`/admin/audit?organisationId=${organisationId}`}>{t('admin.users.audit')}</Link>
        </p>
      )}
      <ProblemMessage problem={list.problem} />
      <table>
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.users.username')}</th>
            <th scope="col">{t('admin.users.role')}</th>
            {/* Users of no organisation administer none. */}
            {organisationId !== null && <th scope="col">{t('admin.users.orgAdmin')}</th>}
            <th scope="col">{t('admin.users.status')}</th>
            <th scope="col">{t('admin.users.passwordState')}</th>
            <th scope="col">{t('admin.users.createdOn')}</th>
            <th scope="col">{t('admin.users.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((user) => (
            <tr key={user.id}>
              <td>
                {user.username ??
                  (user.traineeId ? (
                    // The trainee's id only (their name is personal data the list does not give); their archive says who they are.
                    <Link to={`/trainees/${user.traineeId}/archive`}>{t('admin.users.traineeArchive', { traineeId: user.traineeId })}</Link>
                  ) : (
                    t('admin.users.hiddenUsername')
                  ))}
              </td>
              <td>{t(`admin.role.${user.role}`)}</td>
              {organisationId !== null && <td>{user.orgAdmin ? t('common.yes') : t('common.no')}</td>}
              <td>{t(`admin.userStatus.${user.status}`)}</td>
              {/* Who has not yet changed a password set for them (created or reset with "must change it"): in words, not a colour alone. */}
              <td>{user.passwordChangeRequired && <strong>{t('admin.users.mustChangePassword')}</strong>}</td>
              <td>{user.createdOn}</td>
              <td>
                {/* Never their own (409 cannot_disable_self): a disabled user is never enabled again, and the organisation would be left with nobody to manage it. */}
                {user.status === 'active' && user.id !== me?.userId && (
                  <DisableStep
                    user={user}
                    onDisabled={() => {
                      setVersion((current) => current + 1);
                      afterDisabling.focusTarget();
                    }}
                  />
                )}
                {/* Whoever manages the organisation's users sets a forgotten password; never their own here (that needs the current one). */}
                {/* Read again once reset: whether the user must change the new password shows in their row. */}
                {user.status === 'active' && user.id !== me?.userId && <ResetPasswordStep user={user} who={accountName(user, t)} onReset={() => setVersion((current) => current + 1)} />}
                {/* A platform admin alone resets a second factor (users:totp-reset), never their own; a trainee has none. */}
                {me?.role === 'platform_admin' && user.status === 'active' && user.role !== 'trainee' && user.id !== me.userId && <ResetTotpStep user={user} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} />
    </>
  );
}

/**
 * `onEarlierArrived`: the form, changed after a sending that got no answer, was refused because that sending
 * did arrive (earlierSendingArrived): the list is read again, so the administrator sees the user it made.
 */
function CreateUserForm({ organisationId, kind, onCreated, onEarlierArrived }: { organisationId: string | null; kind?: OrganisationKind; onCreated(username: string): void; onEarlierArrived(): void }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<Problem | null>(null);
  // No organisation: a platform admin. Else the organisation's kind decides the role; unknown (an organisation
  // opened by its address), every staff role is offered and the server checks.
  const roles: readonly CreatedRole[] = organisationId === null ? PLATFORM_ROLES : kind ? [ROLE_OF_KIND[kind]] : STAFF_ROLES;
  const sending = useOneAtATime();
  // One user however often it is sent: pressed again after a lost answer, the API answers the first (not username_taken by it).
  const idempotency = useIdempotencyKey();
  const words = useWordsAtFields<CreateField>('create-user', CREATE_FIELDS);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get('username') ?? '').trim();
    const password = String(form.get('password') ?? '');
    // The rules the console can judge, said at their fields before anything is sent.
    const ownCheck: Partial<Record<CreateField, FieldWords>> = {
      ...(USERNAME.test(username) ? {} : { username: fieldWordsOf('onboarding.usernameRule') }),
      ...(password.length >= PASSWORD_MIN ? {} : { password: fieldWordsOf('admin.users.passwordShort') }),
      ...(password === String(form.get('passwordAgain') ?? '') ? {} : { passwordAgain: fieldWordsOf('admin.users.passwordsDiffer') }),
    };
    if (words.sayAtFields(ownCheck)) return setProblem(null);
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/users', {
        params: { header: { 'Idempotency-Key': idempotency.key } },
        // No organisation (a platform admin), no organisation to administer.
        body: {
          username,
          password,
          role: String(form.get('role')) as CreatedRole,
          organisationId: organisationId ?? undefined,
          orgAdmin: organisationId !== null && form.get('orgAdmin') === 'on',
          temporaryPassword: form.get('temporaryPassword') === 'on',
        },
      });
      idempotency.settle(response, error);
      // The server's words about a field at that field, a username already taken at the username; anything else above the button.
      if (!data) return showRefusal(error, (refusal) => setProblem(refusal.rule === 'username_taken' ? words.sayAt('username', refusal) : words.sayRefusal(refusal)), onEarlierArrived);
      setProblem(null);
      onCreated(username);
    });
  };

  return (
    <form id="create-user" className="panel" onSubmit={(event) => void submit(event)} noValidate>
      <h3>{t('admin.users.create')}</h3>
      <label htmlFor="new-username">{t('admin.users.username')}</label>
      <input id="new-username" name="username" autoComplete="off" required maxLength={64} {...words.inputProps('username', 'username-hint')} />
      <p id="username-hint" className="hint">
        {t('admin.users.usernameHint')}
      </p>
      {words.wordsAt('username')}
      <label htmlFor="new-password">{t('admin.users.password')}</label>
      <input id="new-password" name="password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN} {...words.inputProps('password', 'password-hint')} />
      <p id="password-hint" className="hint">
        {t('admin.users.passwordHint')}
      </p>
      {words.wordsAt('password')}
      <label htmlFor="new-password-again">{t('admin.users.passwordAgain')}</label>
      <input id="new-password-again" name="passwordAgain" type="password" autoComplete="new-password" required {...words.inputProps('passwordAgain')} />
      {words.wordsAt('passwordAgain')}
      <TemporaryPasswordBox id="new-temporary-password" name="temporaryPassword" />
      <label htmlFor="new-role">{t('admin.users.role')}</label>
      <select id="new-role" name="role" defaultValue={roles[0]}>
        {roles.map((role) => (
          <option key={role} value={role}>
            {t(`admin.role.${role}`)}
          </option>
        ))}
      </select>
      {organisationId !== null && (
        <label className="check" htmlFor="new-org-admin">
          <input id="new-org-admin" name="orgAdmin" type="checkbox" /> {t('admin.users.makeOrgAdmin')}
        </label>
      )}
      <ProblemMessage problem={problem} />
      <button type="submit" className="primary" aria-disabled={sending.busy}>
        {t('admin.users.createSubmit')}
      </button>
    </form>
  );
}

/** Disabling: a first press asks on the page (their sessions and API keys end); only the second disables. */
function DisableStep({ user, onDisabled }: { user: User; onDisabled(): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const who = accountName(user, t);
  const sending = useOneAtATime();

  const disable = () =>
    sending.once(async () => {
      const { data, error } = await api.POST('/api/v1/users/{id}/disable', { params: { path: { id: user.id } } });
      setConfirming(false);
      if (!data) return setProblem(problemOf(error));
      setProblem(null);
      onDisabled();
    });

  return (
    <>
      <ProblemMessage problem={problem} />
      {confirming ? (
        <ConfirmStep
          title={t('admin.users.confirmDisable', { username: who })}
          confirmText={t('admin.users.disableConfirm', { username: who })}
          confirmRef={focus.into}
          busy={sending.busy}
          onConfirm={() => void disable()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button type="button" ref={focus.back} onClick={() => setConfirming(true)}>
          {t('admin.users.disable', { username: who })}
        </button>
      )}
    </>
  );
}

/**
 * Resetting a lost second factor (DELETE /api/v1/users/{id}/totp): a first press asks on the page (the app
 * stops working, their sessions end, the password alone signs in, or a new app is set up at the next sign-in
 * where their role asks one); only the second resets. The list does not say who has one: a user without says
 * so in words (409 totp_not_enrolled). Done, the step closes and the line saying so takes the focus.
 */
function ResetTotpStep({ user }: { user: User }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [reset, setReset] = useState(false);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const afterReset = useFocusAfterSuccess<HTMLParagraphElement>();
  const who = accountName(user, t);
  const sending = useOneAtATime();

  const resetTotp = () =>
    sending.once(async () => {
      const { data, error, response } = await api.DELETE('/api/v1/users/{id}/totp', { params: { path: { id: user.id } } });
      setConfirming(false);
      if (!data) {
        const refused = problemOf(error);
        return setProblem(response.status === 409 && refused.rule === 'totp_not_enrolled' ? { message: t('admin.users.totpNotEnrolled', { username: who }) } : refused);
      }
      setProblem(null);
      setReset(true);
      afterReset.focusTarget();
    });

  return (
    <>
      <ProblemMessage problem={problem} />
      {reset && (
        <p role="status" className="success" tabIndex={-1} ref={afterReset.target}>
          {t('admin.users.totpReset', { username: who })}
        </p>
      )}
      {confirming ? (
        <ConfirmStep
          title={t('admin.users.confirmResetTotp', { username: who })}
          confirmText={t('admin.users.resetTotpConfirm', { username: who })}
          confirmRef={focus.into}
          busy={sending.busy}
          onConfirm={() => void resetTotp()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button
          type="button"
          ref={focus.back}
          onClick={() => {
            setReset(false);
            setConfirming(true);
          }}
        >
          {t('admin.users.resetTotp', { username: who })}
        </button>
      )}
    </>
  );
}
