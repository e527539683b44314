import { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { PERMISSIONS, PermissionName } from '../auth/permissions';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const PROBLEM_TYPE = 'application/problem+json';

/** RFC 9457 problem details, as ProblemDetailsFilter answers every error. */
const PROBLEM_SCHEMAS = {
  FieldError: {
    type: 'object',
    required: ['field', 'rule', 'message'],
    properties: {
      field: { type: 'string', example: 'capacity', description: 'The field, path parameter or query parameter, dotted for nested ones (`policy.minTrained`); `body` for the body as a whole' },
      rule: { type: 'string', example: 'max', description: 'The rule it breaks (a class-validator constraint, or a rule of the domain such as `before_birth`)' },
      message: { type: 'string', example: 'capacity must not be greater than 10000' },
    },
  },
  Problem: {
    type: 'object',
    required: ['type', 'title', 'status', 'detail'],
    description: 'RFC 9457 problem details; extension members (rule, existingId, entity, id, permission, unmet…) depend on the problem',
    properties: {
      type: { type: 'string', example: 'urn:skills:rule:course_full', description: 'urn:skills:invalid-input, urn:skills:rule:<rule>, urn:skills:forbidden, urn:skills:not-found, urn:skills:http:<status>…' },
      title: { type: 'string', example: 'A business rule refused the command' },
      status: { type: 'integer', minimum: 400, maximum: 599, example: 409 },
      detail: { type: 'string', example: '株洲焊工培训班 has no free seat' },
      rule: { type: 'string', example: 'course_full', description: 'The rule that refused (409), or permission_denied or password_change_required (403)' },
      errors: { type: 'array', items: { $ref: '#/components/schemas/FieldError' }, description: 'Every field that broke a rule (400)' },
      correlationId: { type: 'string', description: "A 500's request, as X-Correlation-Id names it: the id of the failure's log line, to quote to whoever reads the logs" },
    },
    additionalProperties: true,
  },
};

/** What each status means wherever the route itself does not say more. */
const GENERIC: Record<number, string> = {
  400: 'Invalid input: a path, query or body field breaks a rule, or is one the operation does not take (rule unknown_field; each one named in `errors`), or the body is not one JSON object',
  401: 'No valid access token',
  403: "The caller's role does not hold the permission, or the resource is not the caller's organisation's (rule permission_denied); or the caller must first change a password someone else set (rule password_change_required)",
  404: 'No such resource (an id in the path names nothing the caller may see)',
  409: 'A rule refused the command (`rule` names it), or the same Idempotency-Key is still being answered',
  413: 'The body is larger than the operation takes (a JSON body 64 KiB; field `body`, rule `max_size`)',
  415: "The body's Content-Type is none of the operation's (application/json unless it lists others)",
  422: 'The Idempotency-Key was first used for another request',
};

type Operation = OperationObject & { 'x-permission'?: string };

const PUBLICATION_DOC = {
  description: '`pending` when the events of this command are durable in the outbox but not yet published (the broker is unreachable); absent once they are',
  schema: { type: 'string', enum: ['pending'] },
};

const isReference = (value: unknown): value is ReferenceObject => typeof value === 'object' && value !== null && '$ref' in value;

/** Path and query parameters the route declares (the Idempotency-Key header is judged by its own rule). */
const inputParameters = (operation: Operation) =>
  (operation.parameters ?? []).filter((parameter): parameter is ParameterObject => !isReference(parameter) && (parameter.in === 'path' || parameter.in === 'query'));

const takesIdempotencyKey = (operation: Operation) => (operation.parameters ?? []).some((parameter) => isReference(parameter) && parameter.$ref.endsWith('/IdempotencyKey'));

/** The statuses a route can answer besides its own, derived from what it takes and who may call it. */
function derivedStatuses(operation: Operation): number[] {
  const statuses: number[] = [];
  const permission = operation['x-permission'];
  // Every operation: one that takes no input refuses a field sent anyway (UndeclaredInputInterceptor, unknown_field).
  statuses.push(400);
  if (permission && permission !== 'public') statuses.push(401, 403);
  if (inputParameters(operation).some((parameter) => parameter.in === 'path')) statuses.push(404);
  if (takesIdempotencyKey(operation)) statuses.push(409, 422);
  if (operation.requestBody) statuses.push(413, 415);
  return statuses;
}

/** "Needs permission X (roles …)" or "Public", from the route's @Permission()/@Public() (x-permission). */
function permissionLine(operation: Operation): string | undefined {
  const permission = operation['x-permission'];
  if (!permission) return undefined;
  if (permission === 'public') return 'Public: no access token needed.';
  const roles = PERMISSIONS[permission as PermissionName] ?? [];
  return `Needs permission ${permission} (roles ${roles.join(', ')}).`;
}

/**
 * Makes the document the whole contract, from what the routes already declare (one place, so it cannot
 * drift from the code): the problem-details schema; on every operation the 4xx statuses it can answer
 * (400 always, 401/403 unless public, 404 for a path id, 409/422 with an Idempotency-Key,
 * 413 and 415 with a body), each with the problem schema; and who may call it. Runs after
 * documentIdempotencyKey, which adds the header and its 422.
 */
export function documentContract(document: OpenAPIObject): void {
  document.components = document.components ?? {};
  document.components.schemas = { ...document.components.schemas, ...PROBLEM_SCHEMAS };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const responses = operation.responses as Record<string, ResponseObject | ReferenceObject>;
      for (const status of derivedStatuses(operation)) responses[status] = responses[status] ?? { description: GENERIC[status] };
      for (const [status, response] of Object.entries(responses)) {
        const code = Number(status);
        if (isReference(response) || code < 400 || code >= 600 || response.content) continue;
        response.content = { [PROBLEM_TYPE]: { schema: PROBLEM_REF } };
      }
      // A command's 2xx comes once its events are published, or says they are still pending (PublicationInterceptor).
      if (method !== 'get') {
        for (const [status, response] of Object.entries(responses)) {
          const code = Number(status);
          if (isReference(response) || code < 200 || code >= 300) continue;
          response.headers = { ...response.headers, Publication: PUBLICATION_DOC };
        }
      }
      const line = permissionLine(operation);
      if (line && !operation.description?.includes(line)) operation.description = operation.description ? `${operation.description}\n\n${line}` : line;
    }
  }
}
