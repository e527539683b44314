import { useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { ListFooter } from '../../components/list-footer';
import { ConfirmStep } from '../../components/confirm-step';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { ProblemMessage } from '../../components/problem-message';
import { SignInAgain } from '../../components/sign-in-again';
import { useOneAtATime } from '../../components/one-at-a-time';
import { useCursorList } from '../../components/use-cursor-list';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { instantText } from '../../components/dates';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';

type ApiKey = components['schemas']['ApiKeyListItem'];
type NewKey = components['schemas']['ApiKeyAnswer'];

/**
 * The caller's API keys (an administrator's: also its organisation's), creating one (its secret shown
 * this once, with a copy button) and revoking one with an inline confirmation. A platform admin makes no
 * key (domain.md section 9: api-keys:create is staff users' own), only reads and revokes them.
 */
export function ApiKeysPage() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const makesKeys = me?.role !== 'platform_admin';
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [created, setCreated] = useState<NewKey | null>(null);
  const list = useCursorList(String(version), (cursor) => api.GET('/api/v1/api-keys', { params: { query: { limit: 20, cursor } } }));
  // The secret's panel goes once it is stored: focus goes back to the button that made it.
  const afterStoring = useFocusAfterSuccess<HTMLButtonElement>();
  // The key just revoked: its step goes with its row's change, and the focus goes to the line saying so.
  const [revoked, setRevoked] = useState<string | null>(null);
  const afterRevocation = useFocusAfterSuccess<HTMLParagraphElement>();

  const sending = useOneAtATime();
  // One key however often it is sent: pressed again after a lost answer, the API answers the first (its secret too).
  const idempotency = useIdempotencyKey();

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('key-name') ?? '').trim();
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/api-keys', { params: { header: { 'Idempotency-Key': idempotency.key } }, body: { name } });
      idempotency.settle(response, error);
      if (!data) {
        // The name changed after a sending that got no answer, which did arrive: the list shows the key it made.
        return showRefusal(error, setProblem, () => setVersion((current) => current + 1));
      }
      setProblem(null);
      setCreated(data);
      form.reset();
      setVersion((current) => current + 1);
    });
  };

  return (
    <section>
      <h1>{t('admin.apiKeys.title')}</h1>
      <p>{t('admin.apiKeys.intro')}</p>
      {makesKeys ? (
        <form className="inline-form" onSubmit={(event) => void create(event)} noValidate>
          <label htmlFor="key-name">{t('admin.apiKeys.name')}</label>
          <input id="key-name" name="key-name" required maxLength={100} />
          <button type="submit" className="primary" ref={afterStoring.target} aria-disabled={sending.busy}>
            {t('admin.apiKeys.create')}
          </button>
        </form>
      ) : (
        <p>{t('admin.apiKeys.noneForPlatformAdmin')}</p>
      )}
      <ProblemMessage problem={problem}>{problem?.rule === 'recent_sign_in_required' && <SignInAgain />}</ProblemMessage>
      {created && (
        <NewSecret
          created={created}
          onDone={() => {
            setCreated(null);
            afterStoring.focusTarget();
          }}
        />
      )}
      {revoked && (
        <p role="status" className="success" tabIndex={-1} ref={afterRevocation.target}>
          {t('admin.apiKeys.revoked', { name: revoked })}
        </p>
      )}
      <ProblemMessage problem={list.problem} />
      <table>
        <caption className="visually-hidden">{t('admin.apiKeys.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.apiKeys.name')}</th>
            <th scope="col">{t('admin.apiKeys.clientId')}</th>
            <th scope="col">{t('admin.apiKeys.createdBy')}</th>
            <th scope="col">{t('admin.apiKeys.createdAt')}</th>
            <th scope="col">{t('admin.apiKeys.status')}</th>
            <th scope="col">{t('admin.apiKeys.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((key) => (
            <tr key={key.clientId}>
              <td>{key.name}</td>
              <td>
                <code>{key.clientId}</code>
              </td>
              <td>{key.createdByUsername ?? key.createdBy}</td>
              <td>{instantText(key.createdAt, locale)}</td>
              <td>{t(`admin.keyStatus.${key.status}`)}</td>
              <td>
                {key.status === 'active' && (
                  <RevokeStep
                    apiKey={key}
                    onRevoked={() => {
                      setVersion((current) => current + 1);
                      setRevoked(key.name);
                      afterRevocation.focusTarget();
                    }}
                  />
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

/** The secret, this once: kept nowhere but here, gone when the reader says they have stored it (or leaves). */
function NewSecret({ created, onDone }: { created: NewKey; onDone(): void }) {
  const { t } = useI18n();
  // Which value the last copy was of, and whether it went to the clipboard: the line below says which to copy by hand.
  const [copied, setCopied] = useState<{ what: 'secret' | 'importTool'; ok: boolean } | null>(null);
  // The import tool takes both at once (README, "Importing files"): offered as it wants them, not pieced together by hand.
  const forImportTool = `${created.clientId}:${created.clientSecret}`;
  const copy = async (what: 'secret' | 'importTool') => {
    const ok = await navigator.clipboard?.writeText(what === 'secret' ? created.clientSecret : forImportTool).then(
      () => true,
      () => false,
    );
    setCopied({ what, ok: ok ?? false });
  };

  return (
    <section className="panel" aria-labelledby="new-key-title">
      <h2 id="new-key-title">{t('admin.apiKeys.createdTitle')}</h2>
      <p role="alert">
        <strong>{t('admin.apiKeys.onceWarning')}</strong>
      </p>
      <dl className="facts">
        <dt>{t('admin.apiKeys.clientId')}</dt>
        <dd>
          <code>{created.clientId}</code>
        </dd>
        <dt>{t('admin.apiKeys.secret')}</dt>
        <dd>
          <code data-testid="api-key-secret">{created.clientSecret}</code>
        </dd>
        <dt>{t('admin.apiKeys.forImportTool')}</dt>
        <dd>
          <code data-testid="api-key-for-import-tool">{forImportTool}</code>
        </dd>
      </dl>
      <div className="actions">
        <button type="button" onClick={() => void copy('secret')}>
          {t('admin.apiKeys.copy')}
        </button>
        <button type="button" onClick={() => void copy('importTool')}>
          {t('admin.apiKeys.copyForImportTool')}
        </button>
        <button type="button" className="primary" onClick={onDone}>
          {t('admin.apiKeys.stored')}
        </button>
      </div>
      {copied !== null && (
        <p role="status">{copied.ok ? t('admin.apiKeys.copied') : t(copied.what === 'secret' ? 'admin.apiKeys.copyFailed' : 'admin.apiKeys.copyForImportToolFailed')}</p>
      )}
    </section>
  );
}

function RevokeStep({ apiKey, onRevoked }: { apiKey: ApiKey; onRevoked(): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const sending = useOneAtATime();

  const revoke = () =>
    sending.once(async () => {
      const { error, response } = await api.DELETE('/api/v1/api-keys/{clientId}', { params: { path: { clientId: apiKey.clientId } } });
      setConfirming(false);
      if (!response.ok) return setProblem(problemOf(error));
      setProblem(null);
      onRevoked();
    });

  return (
    <>
      <ProblemMessage problem={problem} />
      {confirming ? (
        <ConfirmStep
          title={t('admin.apiKeys.confirmRevoke', { name: apiKey.name })}
          confirmText={t('admin.apiKeys.revokeConfirm', { name: apiKey.name })}
          confirmRef={focus.into}
          busy={sending.busy}
          onConfirm={() => void revoke()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button type="button" ref={focus.back} onClick={() => setConfirming(true)}>
          {t('admin.apiKeys.revoke', { name: apiKey.name })}
        </button>
      )}
    </>
  );
}
