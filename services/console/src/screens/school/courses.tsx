import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import type { components } from '../../api/schema';
import { today } from '../../components/dates';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { ListFooter } from '../../components/list-footer';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useFocusAfterSuccess } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';

type Schedule = components['schemas']['ScheduleCourseDto'];
const LEVELS: NonNullable<Schedule['targetLevel']>[] = ['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician'];

/** The school's courses, newest first, and scheduling a new one (an inline form, not a pop-up). */
export function CoursesPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const [version, setVersion] = useState(0);
  const [scheduling, setScheduling] = useState(false);
  const list = useCursorList(String(version), (cursor) => api.GET('/api/v1/courses', { params: { query: { limit: 20, cursor, consistent: 'true' } } }));
  // The course just scheduled: the form closes, and the focus goes to the line saying so.
  const [scheduled, setScheduled] = useState<string | null>(null);
  const afterScheduling = useFocusAfterSuccess<HTMLParagraphElement>();

  return (
    <section>
      <div className="page-title">
        <h1>{t('courses.title')}</h1>
        <button type="button" className="primary" aria-expanded={scheduling} aria-controls="schedule-course" onClick={() => setScheduling(!scheduling)}>
          {t('courses.schedule')}
        </button>
      </div>
      {scheduled && (
        <p role="status" className="success" tabIndex={-1} ref={afterScheduling.target}>
          {t('courses.scheduled', { title: scheduled })}
        </p>
      )}
      {scheduling && me?.organisationId && (
        <ScheduleCourseForm
          providerId={me.organisationId}
          onScheduled={(title) => {
            setScheduling(false);
            setScheduled(title);
            setVersion((current) => current + 1);
            afterScheduling.focusTarget();
          }}
          onEarlierArrived={() => setVersion((current) => current + 1)}
        />
      )}
      <ProblemMessage problem={list.problem} />
      <table>
        <caption className="visually-hidden">{t('courses.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('course.title')}</th>
            <th scope="col">{t('course.occupation')}</th>
            <th scope="col">{t('course.dates')}</th>
            <th scope="col">{t('course.seats')}</th>
            <th scope="col">{t('course.status')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((course) => (
            <tr key={course.id}>
              <td>
                <Link to={`/school/courses/${course.id}`}>{course.title}</Link>
              </td>
              <td>{course.occupationCode}</td>
              <td>
                {course.startDate} – {course.endDate}
              </td>
              <td>{t('course.seatsTaken', { enrolled: course.enrolled, capacity: course.capacity })}</td>
              <td>{t(`courseStatus.${course.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ListFooter list={list} />
    </section>
  );
}

/**
 * `onEarlierArrived`: the form, changed after a sending that got no answer, was refused because that sending
 * did arrive (earlierSendingArrived): the list is read again, so the clerk sees the course it scheduled.
 */
function ScheduleCourseForm({ providerId, onScheduled, onEarlierArrived }: { providerId: string; onScheduled(title: string): void; onEarlierArrived(): void }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [kind, setKind] = useState<Schedule['kind']>('skill');
  const [startDate, setStartDate] = useState(today);
  const [endDate, setEndDate] = useState(today);
  // A local rule, said at the end date as soon as it is wrong (docs/console.md "Errors at the field, before submit").
  const endBeforeStart = Boolean(startDate && endDate && endDate < startDate);
  // Both dates start as today: a course left so is a one-day course, said beside the end date (not refused, some are).
  const oneDay = Boolean(startDate && endDate === startDate);
  const endField = useRef<HTMLInputElement>(null);
  // One course however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();

  const sending = useOneAtATime();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const targetLevel = String(form.get('targetLevel') ?? '');
    const title = String(form.get('title')).trim();
    if (endBeforeStart) return endField.current?.focus();
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/courses', {
        params: { header: { 'Idempotency-Key': idempotency.key } },
        body: {
          providerId,
          title,
          occupationCode: String(form.get('occupationCode')).trim(),
          occupationEdition: String(form.get('occupationEdition')) as Schedule['occupationEdition'],
          kind,
          targetLevel: kind === 'skill' && targetLevel ? (targetLevel as Schedule['targetLevel']) : undefined,
          capacity: Number(form.get('capacity')),
          startDate,
          endDate,
        },
      });
      idempotency.settle(response, error);
      if (!data) {
        return showRefusal(error, setProblem, onEarlierArrived);
      }
      onScheduled(title);
    });
  };

  return (
    <form id="schedule-course" className="panel" onSubmit={submit} noValidate>
      <h2>{t('courses.schedule')}</h2>
      <label htmlFor="title">{t('course.title')}</label>
      <input id="title" name="title" required />
      <label htmlFor="occupationCode">{t('course.occupation')}</label>
      <input id="occupationCode" name="occupationCode" required placeholder="6-18-02-04" aria-describedby="occupation-hint" />
      <p id="occupation-hint" className="hint">
        {t('course.occupationHint')}
      </p>
      <label htmlFor="occupationEdition">{t('course.occupationEdition')}</label>
      <select id="occupationEdition" name="occupationEdition" defaultValue="2022">
        <option value="2022">{t('course.edition2022')}</option>
        <option value="2015">{t('course.edition2015')}</option>
      </select>
      <label htmlFor="kind">{t('course.kind')}</label>
      <select id="kind" name="kind" value={kind} onChange={(event) => setKind(event.target.value as Schedule['kind'])}>
        <option value="skill">{t('courseKind.skill')}</option>
        <option value="ethics_and_law">{t('courseKind.ethics_and_law')}</option>
      </select>
      {kind === 'skill' && (
        <>
          <label htmlFor="targetLevel">{t('course.targetLevel')}</label>
          <select id="targetLevel" name="targetLevel" defaultValue="junior">
            {LEVELS.map((level) => (
              <option key={level} value={level}>
                {t(`level.${level}`)}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="capacity">{t('course.capacity')}</label>
      <input id="capacity" name="capacity" type="number" min={1} defaultValue={40} required />
      <label htmlFor="startDate">{t('course.startDate')}</label>
      <input id="startDate" name="startDate" type="date" value={startDate} onChange={(event) => setStartDate(event.target.value)} required />
      <label htmlFor="endDate">{t('course.endDate')}</label>
      <input
        id="endDate"
        name="endDate"
        ref={endField}
        type="date"
        value={endDate}
        min={startDate || undefined}
        onChange={(event) => setEndDate(event.target.value)}
        required
        aria-invalid={endBeforeStart ? true : undefined}
        aria-describedby={endBeforeStart ? 'endDate-error' : oneDay ? 'endDate-one-day' : undefined}
      />
      {endBeforeStart && (
        <p id="endDate-error" className="field-error">
          {t('course.endBeforeStart')}
        </p>
      )}
      {oneDay && (
        <p id="endDate-one-day" className="hint">
          {t('course.oneDayCourse')}
        </p>
      )}
      <ProblemMessage problem={problem} />
      <button type="submit" className="primary" aria-disabled={sending.busy}>
        {t('courses.scheduleSubmit')}
      </button>
    </form>
  );
}
