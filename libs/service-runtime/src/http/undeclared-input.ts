import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Request } from 'express';
import { Observable, throwError } from 'rxjs';
import { DRY_RUN_QUERY } from './dry-run';
import { FieldError, InvalidInput } from './problem-details.filter';

/** What a route reads of a request, from its handler's parameters. */
interface DeclaredInput {
  /** `all`: a `@Query()` (its DTO judges each field: the validation pipe); otherwise the names of its `@Query('name')`s. */
  query: 'all' | ReadonlySet<string>;
  /** A `@Body()`, or the form of an upload (`@UploadedFile()`, `@UploadedFiles()`), or the raw body. */
  body: boolean;
}

const BODY_TYPES = new Set<number>([RouteParamtypes.BODY, RouteParamtypes.FILE, RouteParamtypes.FILES, RouteParamtypes.RAW_BODY]);
const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function declaredInputOf(controller: object, method: string): DeclaredInput {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { data?: unknown }>;
  let query: 'all' | Set<string> = new Set();
  let body = false;
  for (const [key, arg] of Object.entries(args)) {
    // `3:0` is @Body() at index 0; a custom decorator's key (`<id>__customRouteArgs__:1`) is no number.
    const type = Number(key.split(':')[0]);
    if (BODY_TYPES.has(type)) body = true;
    if (type === RouteParamtypes.QUERY && query !== 'all') {
      if (typeof arg.data === 'string') query.add(arg.data);
      else query = 'all';
    }
  }
  return { query, body };
}

/** Whether a parsed body carries anything: none sent, or `{}`, does not. */
const isEmptyBody = (body: unknown): boolean =>
  body === undefined || (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);

/**
 * A field sent where the route takes none is refused (400 naming it, rule unknown_field), never ignored, as a
 * list read refuses a query field its DTO does not declare (the validation pipe, which judges only the
 * arguments a handler declares): a query parameter of a route with no `@Query()` (or not one of the names
 * of its `@Query('name')`s), a body of a route with no `@Body()` nor upload. A POST would otherwise record
 * today for a `?enrolledOn=` it never read, a DELETE for a `{"withdrawnOn": …}` body, and answer as if they
 * had been honoured. `dryRun` is every command's (DryRunInterceptor judges it); an empty body (`{}`) is none.
 *
 * After MediaTypeInterceptor: a body of a type the route does not take is its 415, and a body the route
 * could hold is parsed by then (JSON, or the token endpoint's form); an upload's form is read later, by the
 * route's own file interceptor, and only on routes that take it.
 */
@Injectable()
export class UndeclaredInputInterceptor implements NestInterceptor {
  private readonly declared = new WeakMap<object, DeclaredInput>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const declared = this.declaredInput(context);
    const errors: FieldError[] = [];
    if (declared.query !== 'all') {
      const named = declared.query;
      const stray = Object.keys(request.query ?? {}).filter((name) => !named.has(name) && !(name === DRY_RUN_QUERY && COMMAND_METHODS.has(request.method)));
      errors.push(...stray.map((field) => ({ field, rule: 'unknown_field', message: `${field} is not a query parameter of this operation` })));
    }
    if (!declared.body && !isEmptyBody(request.body)) {
      const body: unknown = request.body;
      const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : ['body'];
      errors.push(...fields.map((field) => ({ field, rule: 'unknown_field', message: field === 'body' ? 'this operation takes no body' : `${field} is not a field of this operation: it takes no body` })));
    }
    return errors.length > 0 ? throwError(() => new InvalidInput(errors)) : next.handle();
  }

  private declaredInput(context: ExecutionContext): DeclaredInput {
    const handler = context.getHandler();
    let declared = this.declared.get(handler);
    if (!declared) {
      declared = declaredInputOf(context.getClass(), handler.name);
      this.declared.set(handler, declared);
    }
    return declared;
  }
}
