import { useState } from 'react';
import { problemOf, type Problem } from '../api/client';

/**
 * A fresh `Idempotency-Key` (api.md "Conventions"): a random UUID. `crypto.randomUUID` exists only in
 * secure contexts (https, localhost); elsewhere the same is built from `crypto.getRandomValues`.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The Idempotency-Key of a form's command: made when the form opens and kept while no answer settles it
 * (no answer at all, or the server's trouble, 5xx), so pressing again after a lost answer repeats the same
 * command and the API records it once. An answer settles it: after a success the form closes; after a
 * refusal (4xx; a 409 is stored with its key) the corrected form is another command, with a new key. Not
 * 409 idempotency_key_in_progress (`error`, the refusal's body): the first sending is still being handled,
 * and pressing again with the same key gets its answer, where a new key would send the command twice.
 */
export function useIdempotencyKey(): { key: string; settle(response: Response | undefined, error?: unknown): void } {
  const [key, setKey] = useState(newIdempotencyKey);
  return {
    key,
    settle: (response, error) => {
      if (answerSettlesKey(response, error)) setKey(newIdempotencyKey());
    },
  };
}

/**
 * Whether an answer settles the command sent with a key (see useIdempotencyKey): any answer but none at
 * all, the server's trouble (5xx), or idempotency_key_in_progress; otherwise the key is sent again.
 */
export const answerSettlesKey = (response: Response | undefined, error?: unknown): boolean => !!response && response.status < 500 && !stillInProgress(error);

/** The API's answer while the first request with the key has not finished (its problem's rule). */
const stillInProgress = (error: unknown): boolean => (error as Problem | undefined)?.rule === 'idempotency_key_in_progress';

/**
 * Whether a refusal says that an earlier sending of the form, one that got no answer, did arrive and was
 * handled: the API's 422 idempotency_key_reused, which the console meets only when a form is changed after
 * such a sending and sent again with its key (kept, as it may have been recorded). Its words
 * (rule.idempotency_key_reused) ask the clerk to look for the earlier one before sending the changed form;
 * the page reads the list it would be in again, and, the key being new after any answer, the next press
 * sends the changed form as a command of its own.
 */
export const earlierSendingArrived = (problem: Problem): boolean => problem.rule === 'idempotency_key_reused';

/**
 * Shows a command's refusal; when it says an earlier sending of the form arrived (earlierSendingArrived),
 * `onEarlierArrived` reads again the list that sending's record is in, so it can be seen there.
 */
export function showRefusal(error: unknown, show: (problem: Problem) => void, onEarlierArrived: () => void): void {
  const refusal = problemOf(error);
  show(refusal);
  if (earlierSendingArrived(refusal)) onEarlierArrived();
}
