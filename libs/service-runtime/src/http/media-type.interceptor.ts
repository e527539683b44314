import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UnsupportedMediaTypeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { Observable } from 'rxjs';

/** The JSON types a body may have: application/json and the structured `+json` ones (RFC 6839), as the body parser reads them (configureHttp). */
export const JSON_TYPES = ['application/json', 'application/*+json'];
/** Where `@ApiConsumes` keeps its list (`API_CONSUMES` of @nestjs/swagger, which does not export its constants). */
const API_CONSUMES = 'swagger/apiConsumes';

/**
 * A request body is JSON unless the route's `@ApiConsumes` lists another type (`POST /oauth/token` takes a
 * form, RFC 6749): a body of any other type is a 415, never read as if every field were missing.
 */
@Injectable()
export class MediaTypeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (hasBody(request)) {
      const declared = this.reflector.getAllAndOverride<string[] | undefined>(API_CONSUMES, [context.getHandler(), context.getClass()]);
      const accepted = declared?.length ? declared.map((type) => (type === 'application/json' ? JSON_TYPES : [type])).flat() : JSON_TYPES;
      if (!request.is(accepted)) {
        throw new UnsupportedMediaTypeException({ message: `the body must be ${accepted.join(' or ')}; got ${request.header('content-type') ?? 'no content type'}`, accepted });
      }
    }
    return next.handle();
  }
}

/** As type-is: a body is sent when the request has a Transfer-Encoding or a Content-Length above 0. */
function hasBody(request: Request): boolean {
  return request.header('transfer-encoding') !== undefined || Number(request.header('content-length') ?? 0) > 0;
}
