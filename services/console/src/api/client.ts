import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { session } from '../session/session-store';
import { answerNetworkFailures, noAnswer } from './problem';

export { problemOf, unanswered, type Problem } from './problem';

/**
 * The one way screens reach the API: a client typed by the OpenAPI document (schema.d.ts is generated
 * from the services' code at build time), so an API change that breaks a screen fails the build.
 *
 * Every request carries the session's access token. A token about to expire is renewed first, and a
 * 401 is answered by renewing with the refresh token and sending the same request once more: a clerk
 * half-way through a results grid never loses it to an expired token.
 *
 * A request that gets no answer at all (the network) answers a made-up 503 (api/problem.ts): no page
 * waits forever on a call that threw, and none says the server refused what it never heard.
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
    return fetch(again).catch(() => noAnswer());
  },
};
api.use(authorisation, answerNetworkFailures);
