import { ProblemMessage } from '../components/problem-message';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session-context';

/**
 * While who is signed in is not known yet: "Loading…", or, when asking failed (no answer, the server's
 * trouble), why, with a button to ask again; never "Loading…" for ever.
 */
export function SessionPending() {
  const { t } = useI18n();
  const { meProblem, reloadMe } = useSession();
  if (!meProblem) return <p role="status">{t('common.loading')}</p>;
  return (
    <>
      <ProblemMessage problem={meProblem} />
      <button type="button" onClick={reloadMe}>
        {t('common.tryAgain')}
      </button>
    </>
  );
}
