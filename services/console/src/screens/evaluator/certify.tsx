import { useState } from 'react';
import { PersonLookup, type FoundPerson } from '../../components/person-lookup';
import { useI18n } from '../../i18n/i18n';
import { CertifyForm } from './certify-form';
import { useEvaluatorKind } from './use-evaluator-kind';

export type { FoundPerson } from '../../components/person-lookup';

/**
 * Certifying: first the person, found by exact identity number and name (the audited lookup: an evaluator
 * sees nobody it has not been told both of); then the certify form for them. A certificate issued clears
 * the lookup form (a new round), as a hire does: the person's full identity number and name do not stay on
 * the screen; the certify form stays, with the certificate's number and their masked name.
 */
export function CertifyPage() {
  const { t } = useI18n();
  const [person, setPerson] = useState<FoundPerson | null>(null);
  const [lookupRound, setLookupRound] = useState(0);
  // Read once for the page, not for each person found: it decides the routes every form offers.
  const evaluatorKind = useEvaluatorKind();
  return (
    <section>
      <h1>{t('evaluator.certify.title')}</h1>
      <PersonLookup
        key={lookupRound}
        idPrefix="lookup"
        words={{ title: 'evaluator.lookup.title', intro: 'evaluator.lookup.intro', submit: 'evaluator.lookup.submit', nameRequired: 'evaluator.lookup.nameRequired', notFound: 'evaluator.lookup.notFound' }}
        onFound={setPerson}
      />
      {person && <CertifyForm key={person.id} person={person} evaluatorKind={evaluatorKind} onIssued={() => setLookupRound((round) => round + 1)} />}
    </section>
  );
}
