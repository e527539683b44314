// Every HTTP route of the all-in-one host says who may call it: @Public() or a @Permission() of the
// PERMISSIONS table (domain.md section 9), in the route's metadata (what AuthGuard reads) and in its
// OpenAPI operation (x-permission, bearer). A route added without one fails here, before the guard
// that denies it by default is turned on for every route. Whether a role may act for an organisation or
// trainee other than its own is route-ownership.e2e-spec.ts's part.
import { PERMISSIONS } from '@skills/service-runtime';
import { bearer, createTestDatabase, http, signInAs, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { ROLES, Role } from '@skills/contracts';
import { randomUUID } from 'node:crypto';
import { ALL_SERVICES, DeclaredRoute, declaredRoutes, notAController, servedRoutes, sorted } from './declared-routes';

/** Routes the OpenAPI document leaves out on purpose (their controllers are @ApiExcludeController()). */
/** Not API operations: probes, metrics, and the questions between services (trainee ages, holder names, how far an outbox has published), which need INTERNAL_API_SECRET instead of a token. */
const INTERNAL_ROUTE = 'GET /internal/v1/trainees/{id}/age-on/{date}';
const NAME_MATCH_ROUTE = 'POST /internal/v1/trainees/{id}/name-match';
const OUTBOX_POSITION_ROUTE = 'GET /internal/v1/outbox-positions/{topic}';
const UNDOCUMENTED_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /metrics', INTERNAL_ROUTE, NAME_MATCH_ROUTE, OUTBOX_POSITION_ROUTE];

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Operation {
  'x-permission'?: string;
  security?: Array<Record<string, string[]>>;
}

/** A request for a route: its path parameters filled with ids nobody has (the guard answers first). */
const requestFor = (route: string) => {
  const [method, path] = route.split(' ');
  return { method, path: path.replace(/\{tier\}/g, 'city').replace(/\{[A-Za-z]+\}/g, () => randomUUID()), body: method === 'GET' ? undefined : {} };
};

describe('route permissions: every route of every service is public or names a permission', () => {
  let database: TestDatabase;
  let host: TestHost;
  let routes: DeclaredRoute[];
  let operations: Map<string, Operation>;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({
      modules: ALL_SERVICES,
      transport: 'in-process',
      databaseUrl: database.url,
    });
    routes = declaredRoutes(host);
    const document = (await http(host.baseUrl, 'GET', '/api/docs-json')).body as { paths: Record<string, Record<string, Operation>> };
    operations = new Map(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([method]) => OPERATION_METHODS.includes(method))
          .map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as const),
      ),
    );
  });

  afterAll(async () => {
    await host?.close();
    await database?.drop();
  });

  it('finds every route of the six services and of the runtime', () => {
    expect(routes.map((route) => route.route)).toEqual(
      expect.arrayContaining([
        'POST /oauth/token',
        'GET /api/v1/me',
        'POST /api/v1/trainees',
        'POST /api/v1/courses/{id}/enrollments',
        'GET /api/v1/certificates/{number}',
        'GET /api/v1/placements',
        'POST /api/v1/brands/{id}/certifications',
        'GET /health/ready',
        'GET /metrics',
        'GET /admin/projections',
      ]),
    );
    // No route is declared twice (two handlers for one path and method: only one would ever answer).
    const seen = routes.map((route) => route.route);
    expect(seen.filter((route, index) => seen.indexOf(route) !== index)).toEqual([]);
  });

  it('discovers exactly the routes Express serves, besides the OpenAPI viewer and middleware', () => {
    expect(routes.filter((route) => notAController(route.route))).toEqual([]);
    expect(sorted(servedRoutes(host).filter((route) => !notAController(route)))).toEqual(sorted(routes.map((route) => route.route)));
  });

  it('gives every route exactly one of @Public() and @Permission()', () => {
    const neither = routes.filter((route) => !route.isPublic && !route.permission).map((route) => `${route.route} (${route.handler})`);
    const both = routes.filter((route) => route.isPublic && route.permission).map((route) => `${route.route} (${route.handler})`);
    expect({ neither, both }).toEqual({ neither: [], both: [] });
  });

  it('names only permissions of the PERMISSIONS table', () => {
    const unknown = routes.filter((route) => route.permission && !Object.hasOwn(PERMISSIONS, route.permission));
    expect(unknown.map((route) => `${route.route} (${route.handler}): ${route.permission}`)).toEqual([]);
  });

  it('documents every route but the few listed, and nothing that is not a route', () => {
    // The allow-list stays true: each of its routes exists and is left out of the document.
    for (const route of UNDOCUMENTED_ROUTES) {
      expect({ route, declared: routes.some((declared) => declared.route === route), documented: operations.has(route) }).toEqual({ route, declared: true, documented: false });
    }
    expect(sorted(operations.keys())).toEqual(sorted(routes.map((route) => route.route).filter((route) => !UNDOCUMENTED_ROUTES.includes(route))));
  });

  it('writes the permission into every operation: x-permission, and a bearer token unless public', () => {
    const wrong = routes.flatMap((route) => {
      const operation = operations.get(route.route);
      if (!operation) return [];
      const expected = route.isPublic ? 'public' : route.permission;
      const bearer = (operation.security ?? []).some((requirement) => 'bearer' in requirement);
      const problems = [
        ...(operation['x-permission'] === expected ? [] : [`x-permission is ${operation['x-permission']}, not ${expected}`]),
        ...(bearer === !route.isPublic ? [] : [route.isPublic ? 'a public route asks for a bearer token' : 'no bearer security requirement']),
      ];
      return problems.map((problem) => `${route.route}: ${problem}`);
    });
    expect(wrong).toEqual([]);
  });

  it('makes public exactly the routes api.md lists as public', () => {
    expect(sorted(routes.filter((route) => route.isPublic).map((route) => route.route))).toEqual(
      sorted([
        'GET /.well-known/jwks.json',
        'GET /.well-known/openid-configuration',
        'GET /api/v1/certificates/{number}',
        // api.md, Credentials: the credential is public, and so is what verifies it offline (the
        // evaluator's DID document and status lists), its QR code, and the verification.
        'GET /api/v1/certificates/{number}/credential',
        'GET /api/v1/certificates/{number}/credential/qr',
        'GET /evaluators/{id}/did.json',
        'GET /api/v1/evaluators/{id}/status-lists/{list}',
        'POST /api/v1/credentials/verify',
        // Extends api.md's list: a template of an import file holds no data (api.md, Imports).
        'GET /api/v1/imports/templates/{kind}',
        'POST /api/v1/certificates/verification',
        'GET /api/v1/organisations',
        'GET /api/v1/placements',
        'GET /api/v1/placements/wages',
        'GET /health/live',
        'GET /health/ready',
        'POST /api/v1/users/activate',
        'POST /oauth/token',
        // Extends api.md's list: signing out revokes the refresh token itself (RFC 7009), as public as the token endpoint.
        'POST /oauth/revoke',
        INTERNAL_ROUTE,
        NAME_MATCH_ROUTE,
        OUTBOX_POSITION_ROUTE,
      ]),
    );
  });

  describe('what the guard answers on every route (domain.md section 9)', () => {
    it('answers 401 on every route that is not public, to a request without a token', async () => {
      const answers = await Promise.all(
        routes
          .filter((route) => !route.isPublic)
          .map(async (route) => {
            const { method, path, body } = requestFor(route.route);
            return `${route.route} ${(await http(host.baseUrl, method, path, body)).status}`;
          }),
      );
      expect(answers.filter((answer) => !answer.endsWith(' 401'))).toEqual([]);
      expect(answers.length).toBeGreaterThanOrEqual(40);
    });

    it('answers 403 naming the permission to every role the permission does not list, on every route', async () => {
      const tokens = new Map<Role, string>();
      for (const role of ROLES) {
        const user = role === 'platform_admin' ? { role } : role === 'trainee' ? { role, traineeId: randomUUID() } : { role, organisationId: randomUUID() };
        tokens.set(role, (await signInAs(host.baseUrl, user)).token);
      }
      const wrong: string[] = [];
      let asked = 0;
      for (const route of routes.filter((candidate) => candidate.permission)) {
        const allowed = PERMISSIONS[route.permission as keyof typeof PERMISSIONS] as readonly Role[];
        for (const role of ROLES.filter((candidate) => !allowed.includes(candidate))) {
          const { method, path, body } = requestFor(route.route);
          const answer = await http(host.baseUrl, method, path, body, bearer(tokens.get(role) as string));
          asked++;
          if (answer.status !== 403 || answer.body?.permission !== route.permission) wrong.push(`${route.route} as ${role}: ${answer.status} ${answer.body?.permission ?? ''}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(asked).toBeGreaterThan(100);
    });
  });
});
