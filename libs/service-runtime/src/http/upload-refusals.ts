import { BadRequestException, CallHandler, ExecutionContext, Injectable, NestInterceptor, PayloadTooLargeException, Type } from '@nestjs/common';
import { Observable } from 'rxjs';
import { FieldError, InvalidInput } from './problem-details.filter';

/** The rules an upload's refusals name (the catalogues' check reads them here). */
export const UPLOAD_RULES = { malformed: 'invalid_multipart', tooLarge: 'max_size' } as const;

/**
 * A route's file interceptor (multer) whose refusals (a file under another field name, two files, a
 * malformed form, a file too large) are answered as every other input is, naming `file` and a rule, where
 * Nest's own exceptions carry neither. Only multer's: it reads the form before the handler runs, so what
 * the handler or a pipe throws comes through the observable it returns, untouched.
 */
export function namingUploadRefusals(fileInterceptor: Type<NestInterceptor>): Type<NestInterceptor> {
  @Injectable()
  class UploadRefusalsNamed extends fileInterceptor {
    override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      try {
        return await super.intercept(context, next);
      } catch (error) {
        throw named(error);
      }
    }
  }
  return UploadRefusalsNamed;
}

function named(error: unknown): unknown {
  // Still a 413, with the field and rule a JSON body too large names (`body`, max_size).
  if (error instanceof PayloadTooLargeException) return new PayloadTooLargeException({ message: error.message, errors: refusal(UPLOAD_RULES.tooLarge, error.message) });
  if (error instanceof BadRequestException) return new InvalidInput(refusal(UPLOAD_RULES.malformed, error.message));
  return error;
}

const refusal = (rule: string, message: string): FieldError[] => [{ field: 'file', rule, message: `the upload is refused: ${message}` }];
