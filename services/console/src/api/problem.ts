import type { Middleware } from 'openapi-fetch';

/**
 * An RFC 9457 problem as the API answers it (api.md "Conventions"), or one the console finds itself
 * (a field left empty), which carries its sentence from the catalogue in `message`.
 */
export interface Problem {
  type?: string;
  /** The server's own title, in English: never shown (ProblemMessage says it in the reader's language). */
  title?: string;
  status?: number;
  detail?: string;
  /** The rule that refused (409), or permission_denied (403). */
  rule?: string;
  errors?: { field?: string; rule?: string; message?: string }[];
  /** The console's own sentence, already in the reader's language: for problems it finds before asking the server. */
  message?: string;
  /** A 429's or 503's seconds to wait (as its Retry-After header). */
  retryAfter?: number;
  /** A 500's request id (its log line's), for the user to quote to whoever reads the logs. */
  correlationId?: string;
}

/**
 * The problem of a failed call, or an empty one when the body was not a problem (no answer at all: see
 * answerNetworkFailures): with nothing to go by, ProblemMessage says that it failed (common.failed).
 */
export function problemOf(error: unknown): Problem {
  if (error && typeof error === 'object' && ('detail' in error || 'title' in error || 'status' in error)) return error as Problem;
  return {};
}

/** The answers the console made up for requests that got none. */
const madeUp = new WeakSet<Response>();

/**
 * The answer to a request that got none (offline, the connection dropped, the gateway out of reach): a
 * 503 whose empty problem problemOf leaves empty, so ProblemMessage says that it failed (common.failed),
 * never a refusal it did not get. 503, as it may have been done or not: a retry keeps its Idempotency-Key.
 */
export function noAnswer(): Response {
  const response = new Response('{}', { status: 503, headers: { 'Content-Type': 'application/problem+json' } });
  madeUp.add(response);
  return response;
}

/** Whether a request got no answer at all (the one given is made up by noAnswer, or there is none). */
export const unanswered = (response: Response | undefined): boolean => !response || madeUp.has(response);

/**
 * openapi-fetch throws when fetch fails: every call without its own catch would leave its page on
 * "Loading…" or its form silent. Instead the call answers noAnswer(), which every screen already shows
 * as a failure. A request the page called off itself (AbortError) is still thrown: nobody waits for it.
 */
export const answerNetworkFailures: Middleware = {
  onError({ error }) {
    if (error instanceof DOMException && error.name === 'AbortError') return;
    return noAnswer();
  },
};
