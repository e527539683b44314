// TraineeAges of a service deployed apart (no answerer in its process), asking a stand-in for
// trainee-service over HTTP: only trainee-service's own "nothing known" 404 means nothing is known; a
// refused secret, a 404 of another host or no answer is the registry unavailable (503), never a silent
// "nothing known" that would let a certificate dated before its holder's birth through.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AGE_UNKNOWN_RULE, INTERNAL_SECRET_HEADER, INTERNAL_SECRET_RULE, NOT_REGISTERED, NOT_REGISTERED_RULE, TraineeAges, TraineeRegistryUnavailable } from './trainee-ages';

const SECRET = 'the-internal-secret';
const KNOWN = '6f1c8a52-0d6e-4c1a-9a53-2f0f3e0f6a11';
const UNKNOWN = '0b7d5b8e-5d1c-4f0e-8f3a-7c2e9d4b1a22';
const ERASED = '3c9e1f40-7a2b-4d6e-9b1c-5e8f0a2d4c33';

const problem = (response: ServerResponse, status: number, extra: Record<string, unknown> = {}) =>
  response.writeHead(status, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: `urn:skills:http:${status}`, title: 'x', status, detail: 'x', ...extra }));

/** As trainee-service answers the question, with `secret` as its INTERNAL_API_SECRET. */
function traineeService(secret: string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const match = /^\/internal\/v1\/trainees\/([^/]+)\/age-on\/([^/]+)$/.exec(request.url ?? '');
    if (!match) return problem(response, 404);
    if (request.headers[INTERNAL_SECRET_HEADER] !== secret) return problem(response, 403, { rule: INTERNAL_SECRET_RULE });
    if (match[1] === ERASED) return problem(response, 404, { rule: AGE_UNKNOWN_RULE });
    if (match[1] !== KNOWN) return problem(response, 404, { rule: NOT_REGISTERED_RULE });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ age: match[2] < '1990-01-01' ? 'not_yet_born' : 'of_working_age' }));
  };
}

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('TraineeAges over HTTP (a service deployed apart from trainee-service)', () => {
  const before = { url: process.env.TRAINEE_SERVICE_URL, secret: process.env.INTERNAL_API_SECRET };
  const servers: Array<{ close: () => Promise<void> }> = [];
  const start = async (handler: (request: IncomingMessage, response: ServerResponse) => void) => {
    const server = await serve(handler);
    servers.push(server);
    return server.url;
  };

  afterEach(() => {
    for (const [name, value] of [['TRAINEE_SERVICE_URL', before.url], ['INTERNAL_API_SECRET', before.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('answers the age, nothing known only when trainee-service says so of the trainee, and no registration when it says that', async () => {
    process.env.TRAINEE_SERVICE_URL = await start(traineeService(SECRET));
    process.env.INTERNAL_API_SECRET = SECRET;
    const ages = new TraineeAges();
    expect(await ages.ageOn(KNOWN, '1980-01-01')).toBe('not_yet_born');
    expect(await ages.ageOn(KNOWN, '2020-01-01')).toBe('of_working_age');
    expect(await ages.ageOn(ERASED, '2020-01-01')).toBeUndefined();
    expect(await ages.ageOn(UNKNOWN, '2020-01-01')).toBe(NOT_REGISTERED);
  });

  it('is unavailable (503), not "nothing known", when trainee-service refuses a secret that is not its own', async () => {
    process.env.TRAINEE_SERVICE_URL = await start(traineeService('another-secret'));
    process.env.INTERNAL_API_SECRET = SECRET;
    const refused = new TraineeAges().ageOn(KNOWN, '1980-01-01');
    await expect(refused).rejects.toBeInstanceOf(TraineeRegistryUnavailable);
    await expect(refused).rejects.toMatchObject({ status: 503, response: { rule: 'trainee_registry_unavailable' } });
  });

  it('is unavailable for a 404 that is not trainee-service\'s "nothing known" (a URL of another host), for a 5xx, and for no answer', async () => {
    process.env.INTERNAL_API_SECRET = SECRET;
    for (const handler of [
      (_request: IncomingMessage, response: ServerResponse) => problem(response, 404),
      (_request: IncomingMessage, response: ServerResponse) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'),
      (_request: IncomingMessage, response: ServerResponse) => problem(response, 401),
      (_request: IncomingMessage, response: ServerResponse) => problem(response, 500),
    ]) {
      process.env.TRAINEE_SERVICE_URL = await start(handler);
      await expect(new TraineeAges().ageOn(KNOWN, '1980-01-01')).rejects.toBeInstanceOf(TraineeRegistryUnavailable);
    }
    process.env.TRAINEE_SERVICE_URL = 'http://127.0.0.1:9';
    await expect(new TraineeAges().ageOn(KNOWN, '1980-01-01')).rejects.toBeInstanceOf(TraineeRegistryUnavailable);
  });

  it('is unavailable when told where trainee-service is but given no INTERNAL_API_SECRET to ask with', async () => {
    process.env.TRAINEE_SERVICE_URL = await start(traineeService(SECRET));
    delete process.env.INTERNAL_API_SECRET;
    await expect(new TraineeAges().ageOn(KNOWN, '1980-01-01')).rejects.toBeInstanceOf(TraineeRegistryUnavailable);
  });

  it('asks nobody where nothing says where trainee-service is (a test host of one service), and asks in process where it runs there', async () => {
    delete process.env.TRAINEE_SERVICE_URL;
    process.env.INTERNAL_API_SECRET = SECRET;
    const ages = new TraineeAges();
    expect(await ages.ageOn(KNOWN, '1980-01-01')).toBeUndefined();
    // The all-in-one: trainee-service's module registers its answerer; no HTTP, whatever the environment says.
    process.env.TRAINEE_SERVICE_URL = 'http://127.0.0.1:9';
    ages.register({ ageOn: async (trainee) => (trainee === KNOWN ? 'under_working_age' : undefined) });
    expect([await ages.ageOn(KNOWN, '2020-01-01'), await ages.ageOn(UNKNOWN, '2020-01-01')]).toEqual(['under_working_age', undefined]);
  });
});
