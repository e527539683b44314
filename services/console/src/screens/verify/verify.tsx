import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, problemOf } from '../../api/client';
import { useOneAtATime } from '../../components/one-at-a-time';
import { instantText } from '../../components/dates';
import { fieldWordsOf, useWordsAtFields } from '../../components/use-words-at-fields';
import { useI18n } from '../../i18n/i18n';
import { unfoundInWords } from './certificate';
import { CredentialVerify } from './credential-verify';

const FIELDS = ['number', 'holderName'] as const;

/**
 * The per-minute limit of lookups waits a minute at most: a longer wait is the name check's for the number,
 * paused until the UTC day ends (too many wrong names given with it today).
 */
const LOOKUPS_WAIT_SECONDS = 60;

/**
 * A refusal, kept as what was answered and put in words when shown (in the language shown then: a switch
 * rewords it): `status`, why no certificate was found (unfoundInWords); or the names paused for `byNumber`,
 * the number whose certificate the number alone still shows, until `resumesAt` (an instant).
 */
type Failure = { status: number } | { byNumber: string; resumesAt: string };

/**
 * When the name check resumes, as the console says times (China's, its zone said): the UTC day ends at
 * midnight UTC, 08:00 in China.
 */
const resumesAt = (retryAfter: number) => new Date(Date.now() + retryAfter * 1000).toISOString();

/**
 * Public verification as the national lookup asks: the certificate number and the holder's name. A
 * wrong name answers like an unknown number (nothing tells which was wrong); lookups are rate-limited, and
 * a number given too many wrong names today has no name checked with it until the day ends: said with when,
 * and with the way to the certificate by its number alone, which still answers.
 * Beneath it, an electronic certificate (a verifiable credential) is checked by its signature instead.
 */
export function VerifyPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<Failure | null>(null);
  /**
   * Each press's failure is a new alert (keyed by the press), so the same sentence said again (a second
   * empty submit) is announced again: with the same words and element, a screen reader hears nothing.
   */
  const [attempt, setAttempt] = useState(0);
  // A field left empty is said at the field (and the focus goes to the first), until it is typed in.
  const words = useWordsAtFields('verify', FIELDS);
  const sending = useOneAtATime();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const number = String(form.get('number')).trim();
    const holderName = String(form.get('holderName')).trim();
    setAttempt((count) => count + 1);
    const empty = words.sayAtFields({ ...(number ? {} : { number: fieldWordsOf('verify.numberRequired') }), ...(holderName ? {} : { holderName: fieldWordsOf('verify.holderNameRequired') }) });
    if (empty) return setFailure(null);
    await sending.once(async () => {
      // The last failure goes while this lookup is on its way: it is no answer to this one.
      setFailure(null);
      // A POST, so the holder's name travels in the body and never stands in a URL that proxies log.
      const answer = await api.POST('/api/v1/certificates/verification', { body: { number, holderName } }).catch(() => null);
      // No answer at all (the network): the registry is out of reach, as a 503 says; never "no such certificate".
      if (!answer) return setFailure({ status: 0 });
      const { data, error, response } = answer;
      // The answer goes along, so the certificate page shows it without asking a second time.
      if (data) return navigate(`/verify/${encodeURIComponent(data.number)}`, { state: { certificate: data } });
      const problem = problemOf(error);
      // A 400 about anything but the number (the name) is no answer about a certificate either.
      const status = response.status === 400 && !(problem.errors ?? []).some((fieldError) => fieldError.field === 'number') ? 404 : response.status;
      const retryAfter = problem.retryAfter ?? Number(response.headers.get('retry-after'));
      if (status === 429 && retryAfter > LOOKUPS_WAIT_SECONDS) return setFailure({ byNumber: number, resumesAt: resumesAt(retryAfter) });
      setFailure({ status });
    });
  };

  return (
    <section className="narrow">
      <h1>{t('verify.title')}</h1>
      <p>{t('verify.intro')}</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="number">{t('verify.number')}</label>
        <input id="number" name="number" inputMode="text" autoComplete="off" required {...words.inputProps('number')} />
        {words.wordsAt('number')}
        <label htmlFor="holderName">{t('verify.holderName')}</label>
        <input id="holderName" name="holderName" autoComplete="off" required {...words.inputProps('holderName')} />
        {words.wordsAt('holderName')}
        {failure && (
          <p role="alert" className="problem" key={attempt}>
            {'status' in failure ? (
              unfoundInWords(failure.status, t)
            ) : (
              <>
                {t('verify.namesPaused', { time: instantText(failure.resumesAt, locale) })}{' '}
                <Link to={`/verify/${encodeURIComponent(failure.byNumber)}`}>{t('verify.byNumberAlone', { number: failure.byNumber })}</Link>
              </>
            )}
          </p>
        )}
        {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" aria-disabled={sending.busy}>
          {t('verify.submit')}
        </button>
      </form>
      <CredentialVerify />
    </section>
  );
}
