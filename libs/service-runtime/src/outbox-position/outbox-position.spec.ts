// askOutboxPosition against stand-ins for a source service: only its 200 with both numbers is an answer;
// a refused secret, a 404 of a host without the route, a 5xx, a body of another shape or no answer at all
// is OutboxPositionUnknown, which the catch-up barrier reads as "not caught up" (503), never "nothing held".
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { INTERNAL_SECRET_HEADER } from '../trainee-ages';
import { askOutboxPosition, OUTBOX_NOT_HERE_RULE, OutboxPositionNotServed, OutboxPositionUnknown, outboxPositionPath, sourceUrlVariable } from './outbox-position';

const SECRET = 'the-internal-secret';
const TOPIC = 'skills.training.events.v1';

const answer = (response: ServerResponse, status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('askOutboxPosition (a source service deployed apart)', () => {
  const before = process.env.INTERNAL_API_SECRET;
  const servers: Server[] = [];
  const serve = async (handler: (request: IncomingMessage, response: ServerResponse) => void) => {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const soon = () => Date.now() + 2000;

  beforeEach(() => (process.env.INTERNAL_API_SECRET = SECRET));
  afterAll(async () => {
    if (before === undefined) delete process.env.INTERNAL_API_SECRET;
    else process.env.INTERNAL_API_SECRET = before;
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  it('asks the topic’s path with the secret and takes the source’s answer', async () => {
    const asked: Array<{ url?: string; secret?: string | string[] }> = [];
    const url = await serve((request, response) => {
      asked.push({ url: request.url, secret: request.headers[INTERNAL_SECRET_HEADER] });
      answer(response, 200, { last: 42, left: 3 });
    });
    expect(await askOutboxPosition(url, TOPIC, 40, soon())).toEqual({ last: 42, left: 3 });
    expect(asked).toEqual([{ url: outboxPositionPath(TOPIC, 40), secret: SECRET }]);
    expect(outboxPositionPath(TOPIC, 40)).toBe('/internal/v1/outbox-positions/skills.training.events.v1?upTo=40');
  });

  it('is unknown for a refused secret, a 404 of a host without the route, a 5xx, another shape, and no answer', async () => {
    for (const handler of [
      (_request: IncomingMessage, response: ServerResponse) => answer(response, 403, { rule: 'internal_secret_mismatch' }),
      (_request: IncomingMessage, response: ServerResponse) => answer(response, 404, { status: 404 }),
      (_request: IncomingMessage, response: ServerResponse) => answer(response, 500, {}),
      (_request: IncomingMessage, response: ServerResponse) => answer(response, 200, { last: '42', left: 0 }),
      (_request: IncomingMessage, response: ServerResponse) => response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>gateway</h1>'),
    ]) {
      await expect(askOutboxPosition(await serve(handler), TOPIC, undefined, soon())).rejects.toBeInstanceOf(OutboxPositionUnknown);
    }
    await expect(askOutboxPosition('http://127.0.0.1:9', TOPIC, undefined, soon())).rejects.toBeInstanceOf(OutboxPositionUnknown);
  });

  it('tells a platform service of before the route (its router’s own 404) from a source that cannot answer now', async () => {
    const before = await serve((request, response) => answer(response, 404, { type: 'urn:skills:http:404', status: 404, detail: `Cannot GET ${request.url}` }));
    await expect(askOutboxPosition(before, TOPIC, undefined, soon())).rejects.toBeInstanceOf(OutboxPositionNotServed);
    // The route's own 404, one without INTERNAL_API_SECRET, a gateway's and a proxy's: not caught up (503), never skipped.
    for (const handler of [
      (_request: IncomingMessage, response: ServerResponse) => answer(response, 404, { status: 404, rule: OUTBOX_NOT_HERE_RULE }),
      (_request: IncomingMessage, response: ServerResponse) => answer(response, 404, { type: 'urn:skills:http:404', status: 404, detail: 'Not Found' }),
      (_request: IncomingMessage, response: ServerResponse) => answer(response, 404, { status: 404, rule: 'not_found', detail: 'no such path' }),
      (_request: IncomingMessage, response: ServerResponse) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404</h1>'),
      (_request: IncomingMessage, response: ServerResponse) => answer(response, 503, {}),
    ]) {
      const refused = askOutboxPosition(await serve(handler), TOPIC, undefined, soon());
      await expect(refused).rejects.toBeInstanceOf(OutboxPositionUnknown);
      await expect(refused).rejects.not.toBeInstanceOf(OutboxPositionNotServed);
    }
  });

  it('does not ask without INTERNAL_API_SECRET: unknown, not "nothing held"', async () => {
    let asked = 0;
    const url = await serve((_request, response) => {
      asked += 1;
      answer(response, 200, { last: 0, left: 0 });
    });
    delete process.env.INTERNAL_API_SECRET;
    await expect(askOutboxPosition(url, TOPIC, undefined, soon())).rejects.toBeInstanceOf(OutboxPositionUnknown);
    expect(asked).toBe(0);
  });

  it('names the service of each topic with one source by its URL variable, and none for the audit topic of every service', () => {
    expect(sourceUrlVariable('skills.trainee.events.v1')).toBe('TRAINEE_SERVICE_URL');
    expect(sourceUrlVariable('skills.brand.events.v1')).toBe('BRAND_SERVICE_URL');
    expect(sourceUrlVariable('skills.audit.v1')).toBeUndefined();
    expect(sourceUrlVariable('skills.unknown.v1')).toBeUndefined();
  });
});
