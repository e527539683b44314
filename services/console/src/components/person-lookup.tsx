import { useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { IdentityNumberFacts, identityNumberProblem } from '../screens/school/identity-number-check';
import { IDENTITY_NUMBER_LENGTH, identityNumberTyped } from './identity-number';
import { useOneAtATime } from './one-at-a-time';
import { ProblemMessage } from './problem-message';

export interface FoundPerson {
  id: string;
  nameMasked: string | null;
}

/** The words of one workspace's lookup form. */
export interface LookupWords {
  title: MessageKey;
  intro: MessageKey;
  submit: MessageKey;
  nameRequired: MessageKey;
  notFound: MessageKey;
}

/**
 * Finding a person the organisation has no relation to yet: by exact identity number and name, the audited
 * lookup (api.md), as an evaluator before certifying and an employer before hiring do. The identity number
 * is checked as it is typed by the rules the register page uses, so a slip is caught before the lookup.
 * `onFound` hears the person, or null when the lookup found nobody. A new `key` clears the form.
 */
export function PersonLookup({ idPrefix, words, onFound }: { idPrefix: string; words: LookupWords; onFound(person: FoundPerson | null): void }) {
  const { t } = useI18n();
  const [idNumber, setIdNumber] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const sending = useOneAtATime();
  const idProblem = identityNumberProblem(idNumber);
  const complete = idProblem === null && idNumber.length === IDENTITY_NUMBER_LENGTH;

  const lookUp = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    if (!complete) return;
    if (!name) return setProblem({ message: t(words.nameRequired) });
    await sending.once(async () => {
      const { data, error } = await api.POST('/api/v1/trainees/lookup', { body: { idNumber, name } });
      onFound(data ? { id: data.id, nameMasked: data.nameMasked ?? null } : null);
      setProblem(data ? null : error && (error as Problem).status === 404 ? { message: t(words.notFound) } : problemOf(error));
    });
  };

  return (
    <form className="panel" onSubmit={lookUp} noValidate aria-labelledby={`${idPrefix}-title`}>
      <h2 id={`${idPrefix}-title`}>{t(words.title)}</h2>
      <p className="hint">{t(words.intro)}</p>
      <label htmlFor={`${idPrefix}-idNumber`}>{t('trainee.idNumber')}</label>
      <input
        id={`${idPrefix}-idNumber`}
        name="idNumber"
        required
        autoComplete="off"
        value={idNumber}
        aria-invalid={idProblem ? true : undefined}
        aria-describedby={`${idPrefix}-idNumber-facts`}
        onChange={(event) => setIdNumber(identityNumberTyped(event.target.value))}
      />
      <IdentityNumberFacts value={idNumber} id={`${idPrefix}-idNumber-facts`} />
      <label htmlFor={`${idPrefix}-name`}>{t('trainee.name')}</label>
      <input id={`${idPrefix}-name`} name="name" required autoComplete="off" />
      <ProblemMessage problem={problem} />
      <div className="actions">
        {/* aria-disabled, not disabled, while the lookup is on its way: a disabled button loses the keyboard's focus. */}
        <button type="submit" className="primary" disabled={!complete} aria-disabled={sending.busy}>
          {t(words.submit)}
        </button>
      </div>
    </form>
  );
}
