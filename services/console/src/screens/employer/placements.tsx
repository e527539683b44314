import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, problemOf, type Problem } from '../../api/client';
import { ListFooter } from '../../components/list-footer';
import { showRefusal, useIdempotencyKey } from '../../components/idempotency-key';
import { useOneAtATime } from '../../components/one-at-a-time';
import { ConfirmStep } from '../../components/confirm-step';
import { ProblemMessage } from '../../components/problem-message';
import { useCursorList } from '../../components/use-cursor-list';
import { useFocusAfterSuccess, useStepFocus } from '../../components/use-step-focus';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session-context';
import { placementState, SKILL_LEVELS, type Placement, type SkillLevel } from './placement-fields';
import { readUntil } from './read-until';
import { OccupationName } from '../../components/occupation-name';

const ownPlacements = (employerId: string, cursor?: string) => api.GET('/api/v1/placements', { params: { query: { employerId, limit: 20, cursor } } });

/** The employer's placements, newest first, with the openings left; posting one (an inline form) and closing one (an inline step). */
export function EmployerPlacementsPage() {
  const { t, locale } = useI18n();
  const { me } = useSession();
  const employerId = me?.organisationId ?? '';
  const [version, setVersion] = useState(0);
  const [posting, setPosting] = useState(false);
  const list = useCursorList(`${employerId}:${version}`, (cursor) => ownPlacements(employerId, cursor));
  // What was just done (a placement posted, or one closed), in words: the form or step that had the focus is
  // gone, so the focus goes to this line, and those who hear the page hear what happened.
  const [done, setDone] = useState<string | null>(null);
  const afterSuccess = useFocusAfterSuccess<HTMLParagraphElement>();
  const say = (words: string) => {
    setDone(words);
    afterSuccess.focusTarget();
  };
  // The placements closed from this page, shown closed on their rows from the command's own answer: the list
  // is a read model a moment behind, and a row beyond the first page would never show on the first page read
  // again (nor should the clerk be taken back to it). A later reading of the list says the same. Each with
  // the day the answer says it was closed.
  const [closedHere, setClosedHere] = useState<ReadonlyMap<string, string>>(() => new Map());
  const reloadAfter = async (shows: (items: Placement[]) => boolean) => {
    await readUntil(async () => (await ownPlacements(employerId)).data?.items ?? [], shows);
    setVersion((current) => current + 1);
  };

  return (
    <section>
      <div className="page-title">
        <h1>{t('employer.placements.title')}</h1>
        <button type="button" className="primary" aria-expanded={posting} aria-controls="post-placement" onClick={() => setPosting(!posting)}>
          {t('employer.placements.post')}
        </button>
      </div>
      {done && (
        <p role="status" className="success" tabIndex={-1} ref={afterSuccess.target}>
          {done}
        </p>
      )}
      {posting && employerId && (
        <PostPlacementForm
          employerId={employerId}
          onPosted={async (id, title) => {
            setPosting(false);
            say(t('employer.placements.posted', { title }));
            await reloadAfter((items) => items.some((item) => item.id === id));
          }}
          onEarlierArrived={() => setVersion((current) => current + 1)}
        />
      )}
      <ProblemMessage problem={list.problem} />
      <table>
        <caption className="visually-hidden">{t('employer.placements.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('employer.placement.title')}</th>
            <th scope="col">{t('employer.placement.occupation')}</th>
            <th scope="col">{t('employer.placement.minLevel')}</th>
            <th scope="col">{t('employer.placement.wage')}</th>
            <th scope="col">{t('employer.placement.openingsLeft')}</th>
            <th scope="col">{t('employer.placement.status')}</th>
            <th scope="col">{t('employer.placement.action')}</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((listed) => {
            const closedOn = closedHere.get(listed.id);
            const placement: Placement = closedOn ? { ...listed, status: 'closed', closedOn } : listed;
            return (
              <tr key={placement.id}>
                <td>
                  <Link to={`/employer/placements/${placement.id}`}>{placement.title}</Link>
                </td>
                <td><OccupationName code={placement.occupationCode} /></td>
                <td>{placement.minLevel ? t(`level.${placement.minLevel as SkillLevel}`) : t('employer.placement.anyLevel')}</td>
                <td>{t('employer.placement.wageRange', { min: placement.wageMin.toLocaleString(locale), max: placement.wageMax.toLocaleString(locale) })}</td>
                <td data-testid="openings-left">{t('employer.placement.openingsOf', { left: placement.openingsLeft, openings: placement.openings })}</td>
                <td>{t(`employer.status.${placementState(placement)}`)}</td>
                <td>
                  {placement.status === 'open' && (
                    <CloseStep
                      placement={placement}
                      onClosed={(day) => {
                        setClosedHere((closed) => new Map(closed).set(placement.id, day));
                        say(t('employer.placements.closed', { title: placement.title }));
                      }}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ListFooter list={list} />
    </section>
  );
}

/**
 * `onEarlierArrived`: the form, changed after a sending that got no answer, was refused because that sending
 * did arrive (earlierSendingArrived): the list is read again, so the clerk sees the placement it posted.
 */
function PostPlacementForm({ employerId, onPosted, onEarlierArrived }: { employerId: string; onPosted(id: string, title: string): Promise<void>; onEarlierArrived(): void }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [wageMin, setWageMin] = useState('');
  const [wageMax, setWageMax] = useState('');
  // A local rule, said at the highest wage as soon as both are typed (docs/console.md "Errors at the field, before submit").
  const wagesInverted = wageMin.trim() !== '' && wageMax.trim() !== '' && Number(wageMin) > Number(wageMax);
  const wageMaxField = useRef<HTMLInputElement>(null);
  // One placement however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();
  const sending = useOneAtATime();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const minLevel = String(form.get('minLevel') ?? '');
    const title = String(form.get('title')).trim();
    if (wagesInverted) return wageMaxField.current?.focus();
    await sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/placements', {
        params: { header: { 'Idempotency-Key': idempotency.key } },
        body: {
          employerId,
          title,
          occupationCode: String(form.get('occupationCode')).trim(),
          openings: Number(form.get('openings')),
          minLevel: minLevel ? (minLevel as SkillLevel) : undefined,
          wageMin: Number(wageMin),
          wageMax: Number(wageMax),
          regionCode: String(form.get('regionCode')).trim(),
        },
      });
      idempotency.settle(response, error);
      if (!data) {
        return showRefusal(error, setProblem, onEarlierArrived);
      }
      await onPosted(data.id, title);
    });
  };

  return (
    <form id="post-placement" className="panel" onSubmit={submit} noValidate aria-labelledby="post-placement-title">
      <h2 id="post-placement-title">{t('employer.placements.post')}</h2>
      <label htmlFor="placement-title">{t('employer.placement.title')}</label>
      <input id="placement-title" name="title" required />
      <label htmlFor="placement-occupation">{t('employer.placement.occupation')}</label>
      <input id="placement-occupation" name="occupationCode" required placeholder="6-18-02-04" aria-describedby="placement-occupation-hint" />
      <p id="placement-occupation-hint" className="hint">
        {t('employer.placement.occupationHint')}
      </p>
      <label htmlFor="placement-region">{t('employer.placement.region')}</label>
      <input id="placement-region" name="regionCode" required inputMode="numeric" maxLength={6} placeholder="430200" aria-describedby="placement-region-hint" />
      <p id="placement-region-hint" className="hint">
        {t('employer.placement.regionHint')}
      </p>
      <label htmlFor="placement-openings">{t('employer.placement.openings')}</label>
      <input id="placement-openings" name="openings" type="number" min={1} defaultValue={1} required />
      <label htmlFor="placement-minLevel">{t('employer.placement.minLevel')}</label>
      <select id="placement-minLevel" name="minLevel" defaultValue="">
        <option value="">{t('employer.placement.anyLevel')}</option>
        {SKILL_LEVELS.map((level) => (
          <option key={level} value={level}>
            {t(`level.${level}`)}
          </option>
        ))}
      </select>
      <label htmlFor="placement-wageMin">{t('employer.placement.wageMin')}</label>
      <input id="placement-wageMin" name="wageMin" type="number" min={1} required value={wageMin} onChange={(event) => setWageMin(event.target.value)} />
      <label htmlFor="placement-wageMax">{t('employer.placement.wageMax')}</label>
      <input
        id="placement-wageMax"
        name="wageMax"
        ref={wageMaxField}
        type="number"
        min={1}
        required
        value={wageMax}
        onChange={(event) => setWageMax(event.target.value)}
        aria-invalid={wagesInverted ? true : undefined}
        aria-describedby={wagesInverted ? 'placement-wage-hint placement-wageMax-error' : 'placement-wage-hint'}
      />
      <p id="placement-wage-hint" className="hint">
        {t('employer.placement.wageHint')} <Link to="/placements">{t('employer.placement.wageInsightLink')}</Link>
      </p>
      {wagesInverted && (
        <p id="placement-wageMax-error" className="field-error">
          {t('employer.placement.wagesInverted')}
        </p>
      )}
      <ProblemMessage problem={problem} />
      {/* aria-disabled, not disabled, while it is sent: a disabled button loses the keyboard's focus. */}
      <button type="submit" className="primary" aria-disabled={sending.busy}>
        {t('employer.placements.postSubmit')}
      </button>
    </form>
  );
}

/** Closing, confirmed inline: the step says which placement stops taking hires before anything is sent. */
function CloseStep({ placement, onClosed }: { placement: Placement; onClosed(closedOn: string): void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  // One closing however often it is sent: pressed again after a lost answer, the API answers the first.
  const idempotency = useIdempotencyKey();
  const sending = useOneAtATime();
  if (!confirming)
    return (
      <button type="button" ref={focus.back} onClick={() => setConfirming(true)}>
        {t('employer.close.start', { title: placement.title })}
      </button>
    );
  const confirm = () =>
    sending.once(async () => {
      const { data, error, response } = await api.POST('/api/v1/placements/{id}/close', { params: { path: { id: placement.id }, header: { 'Idempotency-Key': idempotency.key } } });
      idempotency.settle(response, error);
      if (!data) return setProblem(problemOf(error));
      onClosed(data.closedOn);
    });
  return (
    <ConfirmStep
      title={t('employer.close.confirmTitle', { title: placement.title })}
      problem={problem}
      confirmText={t('employer.close.confirm')}
      confirmRef={focus.into}
      busy={sending.busy}
      onConfirm={() => void confirm()}
      onCancel={() => setConfirming(false)}
    />
  );
}
