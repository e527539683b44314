import { BadRequestException, CallHandler, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { FieldError, InvalidInput } from './problem-details.filter';

/** The rules an upload's refusals name (the catalogues' check reads them here). */
export const UPLOAD_RULES = { malformed: 'invalid_multipart', tooLarge: 'max_size' } as const;

/**
 * Placed before a route's file interceptor: what multer refuses (a file under another field name, two
 * files, a malformed form, a file too large) answered as every other input is, naming `file` and a
 * rule, where Nest's own exceptions carry neither. The routes' own code throws no such exception.
 */
@Injectable()
export class UploadRefusals implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        // Still a 413, with the field and rule a JSON body too large names (`body`, max_size).
        if (error instanceof PayloadTooLargeException) return throwError(() => new PayloadTooLargeException({ message: error.message, errors: refusal(UPLOAD_RULES.tooLarge, error.message) }));
        if (error instanceof BadRequestException) return throwError(() => new InvalidInput(refusal(UPLOAD_RULES.malformed, error.message)));
        return throwError(() => error);
      }),
    );
  }
}

const refusal = (rule: string, message: string): FieldError[] => [{ field: 'file', rule, message: `the upload is refused: ${message}` }];
