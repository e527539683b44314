import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { session } from '../session/session-store';

/**
 * The one way screens reach the API: a client typed by the OpenAPI document (schema.d.ts is generated
 * from the services' code at build time), so an API change that breaks a screen fails the build.
 *
 * Every request carries the session's access token. A token about to expire is renewed first, and a
 * 401 is answered by renewing with the refresh token and sending the same request once more: a clerk
 * half-way through a results grid never loses it to an expired token.
 */
export const api = createClient<paths>({ baseUrl: '' });

const retries = new WeakMap<Request, Request>();

const authorisation: Middleware = {
  async onRequest({ request }) {
    const token = await session.accessToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    // Kept to send again after a renewal: a request's body can be read only once.
    retries.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    const again = retries.get(request);
    if (response.status !== 401 || !again || !session.canRenew()) return response;
    const token = await session.renew();
    if (!token) return response;
    again.headers.set('Authorization', `Bearer ${token}`);
    return fetch(again);
  },
};
api.use(authorisation);

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
}

/**
 * The problem of a failed call, or an empty one when the body was not a problem (a network error): with
 * nothing to go by, ProblemMessage says that it failed (common.failed).
 */
export function problemOf(error: unknown): Problem {
  if (error && typeof error === 'object' && ('detail' in error || 'title' in error || 'status' in error)) return error as Problem;
  return {};
}
