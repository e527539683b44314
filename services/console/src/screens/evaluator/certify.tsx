import { useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n } from '../../i18n/i18n';
import { IdentityNumberFacts, identityNumberProblem } from '../school/identity-number-check';
import { CertifyForm } from './certify-form';

export interface FoundPerson {
  id: string;
  nameMasked: string | null;
}

/**
 * Certifying: first the person, found by exact identity number and name (the audited lookup: an evaluator
 * sees nobody it has not been told both of); then the certify form for them. The identity number is
 * checked as it is typed by the rules the register page uses, so a slip is caught before the lookup.
 */
export function CertifyPage() {
  const { t } = useI18n();
  const [idNumber, setIdNumber] = useState('');
  const [person, setPerson] = useState<FoundPerson | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const idProblem = identityNumberProblem(idNumber);
  const complete = idProblem === null && idNumber.length === 18;

  const lookUp = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    if (!complete) return;
    if (!name) return setProblem({ message: t('evaluator.lookup.nameRequired') });
    setBusy(true);
    const { data, error } = await api.POST('/api/v1/trainees/lookup', { body: { idNumber, name } });
    setBusy(false);
    setPerson(data ? { id: data.id, nameMasked: data.nameMasked ?? null } : null);
    setProblem(data ? null : error && (error as Problem).status === 404 ? { message: t('evaluator.lookup.notFound') } : problemOf(error));
  };

  return (
    <section>
      <h1>{t('evaluator.certify.title')}</h1>
      <form className="panel" onSubmit={lookUp} noValidate aria-labelledby="lookup-title">
        <h2 id="lookup-title">{t('evaluator.lookup.title')}</h2>
        <p className="hint">{t('evaluator.lookup.intro')}</p>
        <label htmlFor="lookup-idNumber">{t('trainee.idNumber')}</label>
        <input
          id="lookup-idNumber"
          name="idNumber"
          required
          maxLength={18}
          autoComplete="off"
          value={idNumber}
          aria-invalid={idProblem ? true : undefined}
          aria-describedby="lookup-idNumber-facts"
          onChange={(event) => setIdNumber(event.target.value.toUpperCase().replace(/[^0-9X]/g, ''))}
        />
        <IdentityNumberFacts value={idNumber} id="lookup-idNumber-facts" />
        <label htmlFor="lookup-name">{t('trainee.name')}</label>
        <input id="lookup-name" name="name" required autoComplete="off" />
        <ProblemMessage problem={problem} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !complete}>
            {t('evaluator.lookup.submit')}
          </button>
        </div>
      </form>
      {person && <CertifyForm key={person.id} person={person} />}
    </section>
  );
}
