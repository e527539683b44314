import { useState } from 'react';
import { api, problemOf, type Problem } from '../api/client';
import { ConfirmStep } from './confirm-step';
import { useOneAtATime } from './one-at-a-time';
import { ProblemMessage } from './problem-message';
import { SignInAgain } from './sign-in-again';
import { useStepFocus } from './use-step-focus';

/** What the step says, in the words of whose data it is ("your" on /me/details, "the trainee's" on the archive page). */
export interface ErasureWords {
  title: string;
  intro: string;
  start: string;
  confirmTitle: string;
  confirmLabel: string;
  confirm: string;
}

/**
 * Erasing a trainee's personal data (PIPL article 47; domain.md section 9: the trainee or platform_admin): the
 * button opens a step saying what goes (and what stays) and that it cannot be undone; once erased, `onErased`
 * (the trainee's own page signs out, the archive page reads the trainee again). Only within ten minutes of
 * signing in (403 recent_sign_in_required): the refusal offers to sign in again, back to this page.
 */
export function ErasePersonalDataStep({ traineeId, idPrefix, words, onErased }: { traineeId: string; idPrefix: string; words: ErasureWords; onErased(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLButtonElement>(confirming);
  const sending = useOneAtATime();

  // No Idempotency-Key: an erasure sent again after a lost answer erases nothing more and answers 204 again.
  const erase = () =>
    sending.once(async () => {
      const { error, response } = await api.DELETE('/api/v1/trainees/{id}/personal-data', { params: { path: { id: traineeId } } });
      if (response.status !== 204) return setProblem(problemOf(error));
      // Done: the step closes (the focus back on its button) before the page reads what is left, rather than
      // standing open, its confirm button focused, as if the erasure were still to be made.
      setProblem(null);
      setConfirming(false);
      onErased();
    });

  return (
    <section className="panel" aria-labelledby={`${idPrefix}-title`}>
      <h2 id={`${idPrefix}-title`}>{words.title}</h2>
      <p>{words.intro}</p>
      {confirming ? (
        <ConfirmStep
          title={words.confirmTitle}
          label={words.confirmLabel}
          confirmText={words.confirm}
          confirmRef={focus.into}
          busy={sending.busy}
          onConfirm={() => void erase()}
          onCancel={() => {
            setProblem(null);
            setConfirming(false);
          }}
        >
          <ProblemMessage problem={problem}>{problem?.rule === 'recent_sign_in_required' && <SignInAgain />}</ProblemMessage>
        </ConfirmStep>
      ) : (
        <button type="button" className="danger" ref={focus.back} onClick={() => setConfirming(true)}>
          {words.start}
        </button>
      )}
    </section>
  );
}
