import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { MOBILE_NUMBER } from '@skills/domain-kernel';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { ConfirmStep } from '../../components/confirm-step';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';

type Trainee = components['schemas']['TraineeAnswerDoc'];

/** The name's limit as the server checks it (correct-trainee.dto.ts). */
const NAME_MAX = 50;

/**
 * `/me/details`: the signed-in trainee's own personal details, read in full (`GET /api/v1/trainees/{id}`,
 * which answers the trainee themself), corrected (`PATCH`, PIPL article 46), or erased
 * (`DELETE …/personal-data`, article 47) behind a step saying what goes and that it cannot be undone.
 */
export function MyDetailsPage() {
  const { t } = useI18n();
  const traineeId = useSession().me?.traineeId;
  const [trainee, setTrainee] = useState<Trainee | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  // Read again after a correction (the PATCH answers only the id): the trainee's own stream, so it shows the correction at once.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!traineeId) return;
    let stale = false;
    void api.GET('/api/v1/trainees/{id}', { params: { path: { id: traineeId } } }).then(({ data, error }) => {
      if (stale) return;
      if (data) setTrainee(data);
      else setProblem(problemOf(error));
    });
    return () => {
      stale = true;
    };
  }, [traineeId, version]);

  if (!traineeId) return <p role="alert">{t('me.noTrainee')}</p>;
  if (!trainee) return problem ? <ProblemMessage problem={problem} /> : <p role="status">{t('common.loading')}</p>;
  return (
    <section className="me-page">
      <h1>{t('me.detailsTitle')}</h1>
      <dl className="facts">
        <dt>{t('trainee.name')}</dt>
        <dd data-field="name">{trainee.name ?? t('archive.erased')}</dd>
        <dt>{t('trainee.phone')}</dt>
        <dd data-field="phone">{trainee.phone ?? '—'}</dd>
        <dt>{t('trainee.idNumber')}</dt>
        <dd>{trainee.idNumberMasked ?? '—'}</dd>
      </dl>
      {!trainee.personalDataErased && (
        <>
          <CorrectionForm trainee={trainee} onCorrected={() => setVersion((current) => current + 1)} />
          <EraseStep traineeId={trainee.id} />
        </>
      )}
    </section>
  );
}

/** The name and the mobile number, as recorded, to correct; only what changed is sent. */
function CorrectionForm({ trainee, onCorrected }: { trainee: Trainee; onCorrected(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState(trainee.name ?? '');
  const [phone, setPhone] = useState(trainee.phone ?? '');
  const [checked, setChecked] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const sending = useOneAtATime();
  // One correction however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();
  const nameInput = useRef<HTMLInputElement>(null);
  const phoneInput = useRef<HTMLInputElement>(null);

  const nameError = checked && !name.trim() ? t('me.correct.nameRequired') : null;
  const phoneError = checked && !MOBILE_NUMBER.test(phone.trim()) ? t('me.correct.phoneRule') : null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setChecked(true);
    setDone(false);
    // Said at the field: the focus goes to the first wrong one, where a screen reader reads its words.
    if (!name.trim()) return nameInput.current?.focus();
    if (!MOBILE_NUMBER.test(phone.trim())) return phoneInput.current?.focus();
    const body = {
      ...(name.trim() !== trainee.name ? { name: name.trim() } : {}),
      ...(phone.trim() !== trainee.phone ? { phone: phone.trim() } : {}),
    };
    if (!Object.keys(body).length) return setProblem({ message: t('me.correct.unchanged') });
    await sending.once(async () => {
      const { data, error, response } = await api.PATCH('/api/v1/trainees/{id}', {
        params: { path: { id: trainee.id }, header: { 'Idempotency-Key': idempotency.key } },
        body,
      });
      idempotency.settle(response, error);
      // An earlier sending that got no answer did arrive (the form changed since): the details read again show it.
      if (!data) return showRefusal(error, setProblem, onCorrected);
      setProblem(null);
      setDone(true);
      onCorrected();
    });
  };

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="correct-title">
      <h2 id="correct-title">{t('me.correct.title')}</h2>
      <p>{t('me.correct.intro')}</p>
      <label htmlFor="my-name">{t('trainee.name')}</label>
      <input
        id="my-name"
        ref={nameInput}
        name="name"
        autoComplete="name"
        required
        maxLength={NAME_MAX}
        value={name}
        aria-invalid={nameError ? true : undefined}
        aria-describedby={nameError ? 'my-name-error' : undefined}
        onChange={(event) => setName(event.target.value)}
      />
      {nameError && (
        <p id="my-name-error" className="field-error">
          {nameError}
        </p>
      )}
      <label htmlFor="my-phone">{t('trainee.phone')}</label>
      <input
        id="my-phone"
        ref={phoneInput}
        name="phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        required
        maxLength={11}
        value={phone}
        aria-invalid={phoneError ? true : undefined}
        aria-describedby={['my-phone-hint', phoneError ? 'my-phone-error' : ''].filter(Boolean).join(' ')}
        onChange={(event) => setPhone(event.target.value)}
      />
      <p id="my-phone-hint" className="hint">
        {t('me.correct.phoneHint')}
      </p>
      {phoneError && (
        <p id="my-phone-error" className="field-error">
          {phoneError}
        </p>
      )}
      <ProblemMessage problem={problem} />
      {done && (
        <p role="status" className="success">
          {t('me.correct.done')}
        </p>
      )}
      <button type="submit" className="primary" aria-disabled={sending.busy}>
        {t('me.correct.submit')}
      </button>
    </form>
  );
}

/**
 * Erasing the trainee's personal data: the button opens a step saying what goes (and what stays) and that
 * it cannot be undone. Once erased, the trainee's own account is closed with it (README "Personal data"):
 * the console forgets the session and says it was done on a page of its own.
 */
function EraseStep({ traineeId }: { traineeId: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const sending = useOneAtATime();

  // No Idempotency-Key: an erasure sent again after a lost answer erases nothing more and answers 204 again.
  const erase = () =>
    sending.once(async () => {
      const { error, response } = await api.DELETE('/api/v1/trainees/{id}/personal-data', { params: { path: { id: traineeId } } });
      if (response.status !== 204) return setProblem(problemOf(error));
      // The page saying it was done signs out (the account is closed): signed out here, this page would send to the sign-in page first.
      navigate('/me/erased', { replace: true, state: { erased: true } });
    });

  return (
    <section className="panel" aria-labelledby="erase-title">
      <h2 id="erase-title">{t('me.erase.title')}</h2>
      <p>{t('me.erase.intro')}</p>
      {confirming ? (
        <ConfirmStep
          title={t('me.erase.confirmTitle')}
          label={t('me.erase.confirmLabel')}
          problem={problem}
          confirmText={t('me.erase.confirm')}
          confirmRef={focus.into}
          busy={sending.busy}
          onConfirm={() => void erase()}
          onCancel={() => {
            setProblem(null);
            setConfirming(false);
          }}
        />
      ) : (
        <button type="button" className="danger" ref={focus.back} onClick={() => setConfirming(true)}>
          {t('me.erase.start')}
        </button>
      )}
    </section>
  );
}

/**
 * `/me/erased`, public: said once the erasure is done, and the session forgotten, as the account is closed
 * with it (README "Personal data"); reached otherwise, the start page.
 */
export function ErasedPage() {
  const { t } = useI18n();
  const { signOut } = useSession();
  const erased = (useLocation().state as { erased?: boolean } | null)?.erased === true;
  useEffect(() => {
    if (erased) signOut();
  }, [erased, signOut]);
  if (!erased) return <Navigate to="/" replace />;
  return (
    <section className="narrow">
      <h1>{t('me.erased.title')}</h1>
      <p role="status" className="success">
        {t('me.erased.text')}
      </p>
      <p>
        <Link to="/">{t('me.erased.back')}</Link>
      </p>
    </section>
  );
}
