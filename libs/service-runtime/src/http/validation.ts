import { ArgumentMetadata, Param, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { isUuid } from '@skills/domain-kernel';
import { FieldError, InvalidInput } from './problem-details.filter';

/** Deeper than any request body of the API (a brand's policy is 2): refused before anything recurses into it. */
export const MAX_JSON_DEPTH = 32;

/** UTF-16 surrogates without their other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** NUL and lone surrogates: Postgres `text` and `jsonb` refuse them (a 500 after the command). */
export const hasUnstorableCharacters = (value: string): boolean => value.includes('\u0000') || LONE_SURROGATE.test(value);

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknown_field' : rule,
      message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Every string anywhere in a body or query that no column could hold, named by its path (`policy.name`, `occupationCodes.0`). */
function unstorableStrings(value: unknown, path: string): FieldError[] {
  if (typeof value === 'string') {
    return hasUnstorableCharacters(value) ? [{ field: path, rule: 'invalid_characters', message: `${path} holds a NUL character or a lone UTF-16 surrogate` }] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => unstorableStrings(inner, path ? `${path}.${key}` : key));
}

/**
 * Unknown fields are refused, types are checked, and every broken rule is named per field. Before the
 * DTO's own rules: a body is one JSON object (not `null`, an array or a bare value), and no string of a
 * body or query holds characters the database cannot store, whatever field it is in.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype && this.toValidate(metadata);
    if (metadata.type === 'body' && dto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new InvalidInput([{ field: 'body', rule: 'must_be_object', message: `the body must be a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` }]);
    }
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      // A path's %00 is decoded to NUL as a query's is: named by its parameter.
      const unstorable = unstorableStrings(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (unstorable.length > 0) throw new InvalidInput(unstorable);
    }
    return super.transform(value, metadata);
  }
}

export const validationPipe = new RequestValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validateCustomDecorators: false,
  exceptionFactory: (errors) => new InvalidInput(flatten(errors)),
});

/**
 * A body-parser `verify` hook: the raw JSON's nesting is counted (outside strings) before it is parsed,
 * so a body nested thousands deep is a 400 rather than a stack overflow anywhere that recurses into it.
 */
export function refuseDeepJson(_request: unknown, _response: unknown, raw: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c) i++; // a backslash escapes the next byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) throw Object.assign(new Error(`the body is nested deeper than ${MAX_JSON_DEPTH} levels`), { status: 400, type: 'entity.too.deep' });
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
}

/**
 * Express error middleware, right after the body parsers: Nest turns a body-parser SyntaxError into a bare
 * 400 without its type, so the error goes on as a plain one that keeps it (invalid_json naming `body`).
 * Its message is the parser's place, never its words: JSON.parse quotes the body around the fault
 * (`Unexpected token '王', ..."name":王建国}" is not valid JSON`), and a body holds names and numbers.
 */
export function keepBodyParserErrors(error: Error & { status?: number; type?: string }, _request: unknown, _response: unknown, next: (error: unknown) => void): void {
  next(error instanceof SyntaxError ? Object.assign(new Error(invalidJsonMessage(error.message)), { status: error.status, type: error.type }) : error);
}

function invalidJsonMessage(parserMessage: string): string {
  const position = /at position (\d+)/.exec(parserMessage)?.[1];
  if (position !== undefined) return `the body is not valid JSON (at character ${position})`;
  return /end of (JSON|data)/i.test(parserMessage) ? 'the body is not valid JSON (it ends too soon)' : 'the body is not valid JSON';
}

// Any version and case (ids are stored lower-case; UuidPipe answers that form).
export { isUuid };

/** A UUID in the lower-case form ids are stored, keyed and compared in; anything else as it is. */
export const canonicalId = <Value>(value: Value): Value => (isUuid(value) ? (value.toLowerCase() as Value) : value);

/** A path id: a UUID in any case, answered as the lower-case form ids are stored in; anything else is a 400 naming the parameter. */
export class UuidPipe {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw new InvalidInput([{ field: this.name, rule: 'isUUID', message: `${this.name} must be a UUID` }]);
    return canonicalId(value);
  }
}

/**
 * `@UuidParam('id') id: string` in place of `@Param('id', ParseUUIDPipe)`; the OpenAPI document declares
 * the parameter with `format: uuid` (ApiParam on the route's method).
 */
export const UuidParam =
  (name: string): ParameterDecorator =>
  (target, method, index) => {
    Param(name, new UuidPipe(name))(target, method, index);
    const handler = method === undefined ? undefined : Object.getOwnPropertyDescriptor(target, method);
    if (handler) ApiParam({ name, required: true, schema: { type: 'string', format: 'uuid', example: '3f2b6c1e-8a4d-4e5f-9b7a-2c1d0e9f8a76' } })(target, method as string, handler);
  };
