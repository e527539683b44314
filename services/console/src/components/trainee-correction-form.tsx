import { useRef, useState, type FormEvent } from 'react';
import { MOBILE_NUMBER } from '@skills/domain-kernel';
import { api, type Problem } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { refusalAtFields } from './field-refusals';
import { showRefusal, useIdempotencyKey } from './idempotency-key';
import { useOneAtATime } from './one-at-a-time';
import { ProblemMessage } from './problem-message';
import { useFocusAfterSuccess } from './use-step-focus';

/** The name's limit as the server checks it (trainee-service correct-trainee.dto.ts). */
const NAME_MAX = 50;

const FIELDS = ['name', 'phone'] as const;
type Field = (typeof FIELDS)[number];

/** The trainee as recorded: what the form starts from, and what a field left as it is is compared with. */
export interface CorrectableTrainee {
  id: string;
  name: string | null;
  phone: string | null;
}

/**
 * Correcting a trainee's name and mobile number (PIPL article 46, `PATCH /api/v1/trainees/{id}`): by the
 * trainee themself, by staff of the organisation that registered them, by platform_admin (domain.md section
 * 9). Only what changed is sent. A wrong field is said at the field, the console's own check first and the
 * server's 400 (`errors[]`, e.g. control_characters) the same way; any other refusal above the button. After a success the
 * page reads the trainee again (`onCorrected`) and the focus goes to the line saying it was saved.
 */
export function TraineeCorrectionForm({
  trainee,
  idPrefix,
  words,
  ownDetails = false,
  onCorrected,
}: {
  trainee: CorrectableTrainee;
  /** Ids of the fields, unique on the page. */
  idPrefix: string;
  /** The words that say whose data it is ("your name" or "the trainee's name"). */
  words: { title: string; intro: string; nameRequired: string };
  /** The signed-in trainee's own details: the browser may fill them in (autocomplete); never someone else's. */
  ownDetails?: boolean;
  onCorrected(): void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(trainee.name ?? '');
  const [phone, setPhone] = useState(trainee.phone ?? '');
  const [checked, setChecked] = useState(false);
  const [refusedAt, setRefusedAt] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);
  const sending = useOneAtATime();
  // One correction however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();
  const afterSaving = useFocusAfterSuccess<HTMLParagraphElement>();
  const inputs = { name: useRef<HTMLInputElement>(null), phone: useRef<HTMLInputElement>(null) };

  const errors: Partial<Record<Field, string>> = {
    name: checked && !name.trim() ? words.nameRequired : refusedAt.name,
    phone: checked && !MOBILE_NUMBER.test(phone.trim()) ? t('me.correct.phoneRule') : refusedAt.phone,
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setChecked(true);
    setRefusedAt({});
    setDone(false);
    // Said at the field: the focus goes to the first wrong one, where a screen reader reads its words.
    if (!name.trim()) return inputs.name.current?.focus();
    if (!MOBILE_NUMBER.test(phone.trim())) return inputs.phone.current?.focus();
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
      if (!data) {
        // An earlier sending that got no answer did arrive (the form changed since): the page read again shows it.
        return showRefusal(error, (refusal) => sayRefusal(refusal), onCorrected);
      }
      setProblem(null);
      setDone(true);
      afterSaving.focusTarget();
      onCorrected();
    });
  };

  /** The server's words about a field at that field (and the focus there); the rest above the button. */
  const sayRefusal = (refusal: Problem) => {
    const atFields = refusalAtFields(refusal, FIELDS, t);
    setRefusedAt(atFields);
    const first = FIELDS.find((field) => atFields[field]);
    const elsewhere = (refusal.errors ?? []).some((fieldError) => !FIELDS.includes(fieldError.field as Field));
    setProblem(first && !elsewhere ? null : refusal);
    if (first) inputs[first].current?.focus();
  };

  // The server's refusal of a field holds for the value it refused: once edited, the field is not said wrong any more.
  const edited = (field: Field) => setRefusedAt(({ [field]: _refusal, ...others }) => others);

  const described = (field: Field, hint?: string) => [hint, errors[field] ? `${idPrefix}-${field}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <form className="panel" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${idPrefix}-title`}>
      <h2 id={`${idPrefix}-title`}>{words.title}</h2>
      <p>{words.intro}</p>
      <label htmlFor={`${idPrefix}-name`}>{t('trainee.name')}</label>
      <input
        id={`${idPrefix}-name`}
        ref={inputs.name}
        name="name"
        autoComplete={ownDetails ? 'name' : 'off'}
        required
        maxLength={NAME_MAX}
        value={name}
        aria-invalid={errors.name ? true : undefined}
        aria-describedby={described('name', `${idPrefix}-name-hint`)}
        onChange={(event) => {
          setName(event.target.value);
          edited('name');
        }}
      />
      {/* Certificate verification checks the holder's name as it now stands: what was printed with the old one no longer verifies. */}
      <p id={`${idPrefix}-name-hint`} className="hint">
        {t('worker.correct.nameHint')}
      </p>
      {errors.name && (
        <p id={`${idPrefix}-name-error`} className="field-error">
          {errors.name}
        </p>
      )}
      <label htmlFor={`${idPrefix}-phone`}>{t('trainee.phone')}</label>
      <input
        id={`${idPrefix}-phone`}
        ref={inputs.phone}
        name="phone"
        type="tel"
        inputMode="tel"
        autoComplete={ownDetails ? 'tel' : 'off'}
        required
        maxLength={11}
        value={phone}
        aria-invalid={errors.phone ? true : undefined}
        aria-describedby={described('phone', `${idPrefix}-phone-hint`)}
        onChange={(event) => {
          setPhone(event.target.value);
          edited('phone');
        }}
      />
      <p id={`${idPrefix}-phone-hint`} className="hint">
        {t('me.correct.phoneHint')}
      </p>
      {errors.phone && (
        <p id={`${idPrefix}-phone-error`} className="field-error">
          {errors.phone}
        </p>
      )}
      <ProblemMessage problem={problem} />
      {done && (
        <p role="status" className="success" tabIndex={-1} ref={afterSaving.target}>
          {t('me.correct.done')}
        </p>
      )}
      <button type="submit" className="primary" aria-disabled={sending.busy}>
        {t('me.correct.submit')}
      </button>
    </form>
  );
}
