import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { inFlightRefusal, InFlightPerUser } from '@skills/service-runtime';
import { Request } from 'express';
import { Observable } from 'rxjs';
import { exportFormatOf } from './table-export';

/**
 * A file of a province's year (an .xlsx above all) takes a core for a while: one at a time per user, for
 * every statistics route together, so one user asking for many at once does not slow every other user.
 */
const EXPORTS_AT_A_TIME = 1;
const filesInFlight = new InFlightPerUser(EXPORTS_AT_A_TIME, 'statistics files');

export const TOO_MANY_EXPORTS = `${inFlightRefusal(EXPORTS_AT_A_TIME, 'statistics files')} Only a CSV or .xlsx answer counts, for every statistics route together; the JSON answer is never refused so.`;

/**
 * Counts a request only when it asks for a file. A `format` other than csv or xlsx is let through: the
 * route refuses it (400) as it refuses any unknown format, and an absent one is read from Accept as the route reads it.
 */
function asksForFile(request: Request): boolean {
  const format = request.query.format;
  if (format !== undefined) return format === 'csv' || format === 'xlsx';
  return exportFormatOf(undefined, request) !== 'json';
}

class StatisticsFilesInFlight implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return asksForFile(context.switchToHttp().getRequest<Request>()) ? filesInFlight.intercept(context, next) : next.handle();
  }
}

/** One instance for every statistics route: `@UseInterceptors(exportsInFlight)`. */
export const exportsInFlight = new StatisticsFilesInFlight();
