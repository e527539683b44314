import { useLocation, useNavigate } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session-context';

/**
 * The way out of a refusal for want of a recent sign-in (rule recent_sign_in_required: an API key made, personal
 * data erased, only within ten minutes of signing in): signs out and opens the sign-in, back to this page after it.
 */
export function SignInAgain() {
  const { t } = useI18n();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  return (
    <p>
      <button
        type="button"
        onClick={() => {
          signOut();
          navigate(`/sign-in?next=${encodeURIComponent(`${pathname}${search}`)}`);
        }}
      >
        {t('admin.apiKeys.signInAgain')}
      </button>
    </p>
  );
}
