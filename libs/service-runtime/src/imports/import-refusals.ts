import { ImportRowOutcome } from '@skills/contracts';
import { DomainRefusal, FieldRefusal, NotPermitted, UnknownEntity } from '@skills/domain-kernel';
import { validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { InvalidInput } from '../http/problem-details.filter';

/**
 * A refused row as the error file shows it: the field and the rule the API's 400, 403, 404 and 409
 * answers name for the same command. Anything else (a lost connection, a bug) is not the row's fault:
 * it is thrown, and the batch is tried again.
 */
export function refusalOf(row: number, error: unknown): ImportRowOutcome {
  if (error instanceof InvalidInput) {
    const [first] = error.errors;
    return { row, outcome: 'refused', field: first?.field ?? '', rule: first?.rule ?? 'invalid', detail: error.errors.map((each) => each.message).join('; ') };
  }
  if (error instanceof FieldRefusal) return { row, outcome: 'refused', field: error.field, rule: error.rule, detail: error.detail };
  if (error instanceof DomainRefusal) return { row, outcome: 'refused', field: typeof error.context.field === 'string' ? error.context.field : '', rule: error.rule, detail: error.detail };
  if (error instanceof NotPermitted) return { row, outcome: 'refused', field: '', rule: 'permission_denied', detail: `needs ${error.permission}: ${error.detail}` };
  if (error instanceof UnknownEntity) return { row, outcome: 'refused', field: error.entity, rule: 'not_found', detail: error.message };
  throw error;
}

/**
 * Checks a row's fields with the same DTO class (and so the same rules and rule names) as the HTTP
 * command; answers the typed value or throws InvalidInput like the API's validation pipe.
 */
export async function validatedAs<T extends object>(dto: new () => T, plain: Record<string, unknown>): Promise<T> {
  const value = plainToInstance(dto, plain);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new InvalidInput(
      errors.flatMap((error) => Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field: error.property, rule, message }))),
    );
  }
  return value;
}
