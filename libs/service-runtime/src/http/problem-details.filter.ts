import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainRefusal, FieldRefusal, NotPermitted, UnknownEntity } from '@skills/domain-kernel';
import { ConcurrencyError, describeFailure } from '@skills/event-sourcing';
import { Response } from 'express';

export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** What the body parser refused, named as a rule of the field `body`. */
export const BODY_RULES: Record<string, string> = {
  'entity.parse.failed': 'invalid_json',
  'entity.too.deep': 'max_depth',
  'entity.too.large': 'max_size',
};

/** Thrown for input that breaks a field rule; answered 400 with every field listed. */
export class InvalidInput extends HttpException {
  constructor(readonly errors: FieldError[]) {
    super(`invalid input: ${errors.map((error) => `${error.field} (${error.rule})`).join(', ')}`, HttpStatus.BAD_REQUEST);
  }
}

/** A problem answered exactly as given (e.g. a stored answer replayed under its Idempotency-Key). */
export class ProblemError extends HttpException {
  constructor(readonly problem: Problem) {
    super(problem.detail, problem.status);
  }
}

/** The type of a 500: a bug or an outage, nothing the client sent. */
const INTERNAL = 'urn:skills:internal';

/**
 * Every error leaves as RFC 9457 problem details. Anything a client can cause maps to a 4xx; a 500
 * means a bug or an outage, and is logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const internal = this.toProblem(exception);
    // An unexpected failure names its request: the id its log line carries, for the user to quote to whoever reads the logs.
    const problem = internal.type === INTERNAL ? { ...internal, correlationId: String(response.getHeader('x-correlation-id') ?? '') } : internal;
    if (problem.status >= 500) this.logger.error(failureForLog(exception));
    // A refusal that ends by itself says when (429 too many sign-ins; a 409 a repeat may pass).
    if (typeof problem.retryAfter === 'number') response.setHeader('Retry-After', String(problem.retryAfter));
    const challenge = challengeOf(problem);
    if (challenge) response.setHeader('WWW-Authenticate', challenge);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): Problem {
    if (exception instanceof ProblemError) return exception.problem;
    // A refusal of one field the client sent is invalid input, named like the validators' answers.
    if (exception instanceof FieldRefusal) {
      const errors: FieldError[] = [{ field: exception.field, rule: exception.rule, message: exception.detail }];
      return { type: 'urn:skills:invalid-input', title: 'Invalid input', status: 400, detail: `invalid input: ${exception.field} (${exception.rule})`, errors, rule: exception.rule, ...exception.context };
    }
    if (exception instanceof DomainRefusal) {
      return { type: `urn:skills:rule:${exception.rule}`, title: 'A business rule refused the command', status: 409, detail: exception.detail, rule: exception.rule, ...exception.context };
    }
    if (exception instanceof NotPermitted) {
      return { type: 'urn:skills:forbidden', title: 'Forbidden', status: 403, detail: exception.detail, permission: exception.permission, rule: 'permission_denied' };
    }
    if (exception instanceof UnknownEntity) {
      return { type: 'urn:skills:not-found', title: 'Not found', status: 404, detail: exception.message, entity: exception.entity, id: exception.id };
    }
    // Not a business refusal: a repeat is likely to pass. Its own rule and a Retry-After tell a client so.
    if (exception instanceof ConcurrencyError) {
      return { type: 'urn:skills:concurrent-modification', title: 'Concurrent modification', status: 409, detail: 'the record changed while the command ran; repeat it', rule: 'concurrent_modification', retryAfter: 1 };
    }
    if (exception instanceof InvalidInput) {
      return { type: 'urn:skills:invalid-input', title: 'Invalid input', status: 400, detail: exception.message, errors: exception.errors };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const { message, statusCode: _statusCode, error: _error, ...extensions } = typeof body === 'string' ? { message: body } : (body as Record<string, unknown>);
      const detail = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
      return { ...extensions, type: `urn:skills:http:${status}`, title: HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error', status, detail };
    }
    // body-parser errors carry a status (413 too large, 400 malformed or too deep, 415 charset).
    const clientError = exception as { status?: number; type?: string; message?: string };
    if (typeof clientError?.status === 'number' && clientError.status >= 400 && clientError.status < 500) {
      const rule = clientError.type ? BODY_RULES[clientError.type] : undefined;
      const detail = clientError.message ?? 'bad request';
      const errors = rule ? [{ field: 'body', rule, message: detail }] : undefined;
      return { type: `urn:skills:http:${clientError.status}`, title: clientError.type ?? 'bad request', status: clientError.status, detail, ...(errors ? { errors } : {}) };
    }
    return { type: INTERNAL, title: 'Internal error', status: 500, detail: 'an unexpected error occurred; it has been logged under this answer’s correlationId' };
  }
}

/**
 * The challenge a 401 answers with (RFC 9110 section 11.6.1, RFC 6750 section 3): `Bearer`, the one scheme
 * the API takes; with `error="invalid_token"` when a token was presented and refused (expired, badly
 * signed, its user disabled: the problem's `reason`), bare when none was (`no_token`), as RFC 6750 asks.
 * The token endpoint's OAuth refusals (a problem with a `rule`: invalid_grant, invalid_client) get none:
 * they are about credentials in the body, no HTTP scheme, and RFC 6749 section 5.2 asks for a challenge
 * only when the client authenticated with the Authorization header, which that endpoint does not read.
 */
function challengeOf(problem: Problem): string | undefined {
  if (problem.status !== 401 || problem.rule !== undefined) return undefined;
  return typeof problem.reason === 'string' && problem.reason !== 'no_token' ? 'Bearer error="invalid_token"' : 'Bearer';
}

/**
 * A 500's log line: what failed, with any value the message quotes masked (describeFailure: a database
 * error may quote the value it refused, and a value may be a name or a number), then where.
 */
export function failureForLog(exception: unknown): string {
  const frames = exception instanceof Error ? (exception.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
  return [describeFailure(exception), ...frames].join('\n');
}
