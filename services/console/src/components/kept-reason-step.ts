import { useState } from 'react';
import type { Problem } from '../api/client';
import { useIdempotencyKey } from './idempotency-key';
import { useKeptReason } from './kept-reason-field';
import { useOneAtATime } from './one-at-a-time';
import { useStepFocus } from './use-step-focus';

/**
 * What every in-place step that records a change kept for good with a reason (a revocation, a void) holds:
 * whether it is open (its button opens it, and the focus goes back there when it closes), the reason, the
 * refusal shown, one sending at a time, and one Idempotency-Key however often it is sent (pressed again after
 * a lost answer, the API answers the first sending, not a 404 or a "revoked already").
 */
export function useKeptReasonStep() {
  const [confirming, setConfirming] = useState(false);
  const reason = useKeptReason();
  const [problem, setProblem] = useState<Problem | null>(null);
  const focus = useStepFocus<HTMLInputElement>(confirming);
  const idempotency = useIdempotencyKey();
  const sending = useOneAtATime();
  /** An empty reason is said at its field: the focus goes there, and no earlier refusal stays beside it. True then: send nothing. */
  const refuseWithoutReason = (): boolean => {
    if (!reason.refuseIfEmpty()) return false;
    focus.into.current?.focus();
    setProblem(null);
    return true;
  };
  return { confirming, setConfirming, reason, problem, setProblem, focus, idempotency, sending, refuseWithoutReason };
}
