import { api } from '../../api/client';
import type { components } from '../../api/schema';
import { ConfirmStep } from '../../components/confirm-step';
import { StepField } from '../../components/step-field';
import { showRefusal } from '../../components/idempotency-key';
import { KeptReasonField } from '../../components/kept-reason-field';
import { useCorrectionStep } from '../../components/correction-step';
import { fieldWordsOf, type FieldWords } from '../../components/use-words-at-fields';
import { useI18n } from '../../i18n/i18n';

type Course = components['schemas']['CourseAnswer'];

const FIELDS = ['title', 'capacity', 'startDate', 'endDate'] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

/** The limits as the server checks them (training-service correct-course.dto.ts). */
const TITLE_MAX = 200;
const CAPACITY_MAX = 10_000;

const valuesOf = (course: Course): Values => ({ title: course.title, capacity: String(course.capacity), startDate: course.startDate, endDate: course.endDate });

/**
 * Correcting a course scheduled with a mistake (`PATCH /api/v1/courses/{id}`): the button opens, in place, what
 * may be corrected (title, seats, start and end) and what not (the occupation makes another course), the
 * course's details to change, the reason (kept for good) and the confirmation. Only what changed is sent. A
 * wrong field is said at the field as in the console's forms (useWordsAtFields), the console's own check first
 * and the server's refusal the same way (a 400's `errors[]`, a 409's `field`: fewer seats than the enrolments
 * holding one, an end before an enrolment), the focus on the first wrong field; any other refusal inside the
 * step. A refusal reads the course again (`onRefused`), whose roster may have moved on.
 */
export function CourseCorrectionStep({ course, onCorrected, onRefused }: { course: Course; onCorrected(): Promise<void>; onRefused(): Promise<void> }) {
  const { t } = useI18n();
  const { confirming, setConfirming, reason, problem, setProblem, focus, idempotency, sending, values, setValues, words, reasonInput, start } = useCorrectionStep(`correct-${course.id}`, FIELDS, () => valuesOf(course));

  if (!confirming)
    return (
      <button
        type="button"
        ref={focus.back}
        onClick={start}
      >
        {t('course.correct.start')}
      </button>
    );

  const capacity = Number(values.capacity.trim());

  const correct = async () => {
    // The rules the console can judge, said at their fields before anything is sent; the focus goes to the first.
    const ownCheck: Partial<Record<Field, FieldWords>> = {
      title: !values.title.trim() ? fieldWordsOf('course.correct.titleRequired') : undefined,
      capacity: !/^\d+$/.test(values.capacity.trim()) || capacity < 1 || capacity > CAPACITY_MAX ? fieldWordsOf('course.correct.capacityRule') : undefined,
      startDate: !values.startDate ? fieldWordsOf('course.correct.dateRequired') : undefined,
      endDate: !values.endDate ? fieldWordsOf('course.correct.dateRequired') : values.startDate && values.endDate < values.startDate ? fieldWordsOf('course.correct.endBeforeStart') : undefined,
    };
    if (words.sayAtFields(ownCheck)) return setProblem(null);
    const changed = {
      ...(values.title.trim() !== course.title ? { title: values.title.trim() } : {}),
      ...(capacity !== course.capacity ? { capacity } : {}),
      ...(values.startDate !== course.startDate ? { startDate: values.startDate } : {}),
      ...(values.endDate !== course.endDate ? { endDate: values.endDate } : {}),
    };
    if (Object.keys(changed).length === 0) {
      setProblem({ message: t('course.correct.unchanged') });
      return focus.into.current?.focus();
    }
    if (reason.refuseIfEmpty()) {
      setProblem(null);
      return reasonInput.current?.focus();
    }
    await sending.once(async () => {
      const { data, error, response } = await api.PATCH('/api/v1/courses/{id}', {
        params: { path: { id: course.id }, header: { 'Idempotency-Key': idempotency.key } },
        body: { ...changed, reason: reason.trimmed },
      });
      idempotency.settle(response, error);
      if (data) return onCorrected();
      // A 409 names the field the course's enrolments or results hold it to; a 400's errors[] name theirs.
      const named = (error as { field?: string } | undefined)?.field;
      const heldAt = response.status === 409 ? FIELDS.find((field) => field === named) : undefined;
      showRefusal(error, (refusal) => setProblem(heldAt ? words.sayAt(heldAt, refusal) : words.sayRefusal(refusal)), () => void onRefused());
      if (response.status === 409 || response.status === 404) await onRefused();
    });
  };

  const ids = { what: `correct-what-${course.id}`, holds: `correct-holds-${course.id}` };
  const field = (name: Field, type: 'text' | 'number' | 'date', extra: Record<string, unknown> = {}) => (
    <StepField
      id={`correct-${name}-${course.id}`}
      name={name}
      label={t(`course.correct.${name}`)}
      value={values[name]}
      words={words}
      describedBy={name === 'title' ? `${ids.what} ${ids.holds}` : undefined}
      focusInto={name === 'title' ? focus.into : undefined}
      type={type}
      onEdit={(value) => {
        // The two dates are judged together (course_ends_before_it_starts is said at either): moving one
        // takes back what was said at the other, which may be right now.
        if (name === 'startDate') words.unsay('endDate');
        if (name === 'endDate') words.unsay('startDate');
        setValues({ ...values, [name]: value });
      }}
      {...extra}
    />
  );
  return (
    <ConfirmStep
      title={t('course.correct.confirmTitle', { title: course.title })}
      problem={problem}
      confirmText={t('course.correct.confirm')}
      tone="primary"
      busy={sending.busy}
      onConfirm={() => void correct()}
      onCancel={() => setConfirming(false)}
    >
      <p id={ids.what}>{t('course.correct.what')}</p>
      <p id={ids.holds}>{t('course.correct.holds', { enrolled: course.enrolled })}</p>
      {field('title', 'text', { maxLength: TITLE_MAX })}
      {field('capacity', 'number', { min: 1, max: CAPACITY_MAX, inputMode: 'numeric' })}
      {field('startDate', 'date')}
      {field('endDate', 'date', { min: values.startDate || undefined })}
      <div className="step-field">
        <KeptReasonField id={`correct-reason-${course.id}`} label={t('course.correct.reason')} requiredText={t('course.correct.reasonRequired')} reason={reason} inputRef={reasonInput} />
      </div>
    </ConfirmStep>
  );
}
