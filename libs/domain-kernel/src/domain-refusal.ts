import { businessDateOf } from './business-date';

/**
 * A business rule refused a command. `rule` is a stable, human-readable name of the rule
 * (answered as 409 with the rule and the actual values in `context`).
 */
export class DomainRefusal extends Error {
  constructor(
    readonly rule: string,
    readonly detail: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'DomainRefusal';
  }
}

/**
 * A refusal about one field of the command as the client sent it (a window that ends before it starts,
 * a date in the future): answered 400 naming `field`, like any other invalid input, with `rule`.
 */
export class FieldRefusal extends DomainRefusal {
  constructor(
    readonly field: string,
    rule: string,
    detail: string,
    context: Record<string, unknown> = {},
  ) {
    super(rule, detail, context);
    this.name = 'FieldRefusal';
  }
}

/** Refuses a business date after today: facts are recorded once they have happened. */
export function refuseFutureDate(field: string, date: string, now: Date): void {
  const today = businessDateOf(now);
  if (date > today) throw new FieldRefusal(field, 'date_in_future', `${field} ${date} is after today (${today})`, { [field]: date, today });
}

/**
 * Narrows an aggregate's state to "the stream exists". Commands on an existing stream are sent with
 * `mustExist`, so the command pipeline has answered 404 before `decide` runs: reaching the throw is a bug.
 */
export function existing<State extends { status: string }>(state: State, what: string): Exclude<State, { status: 'unknown' }> {
  if (state.status === 'unknown') throw new Error(`${what} does not exist: commands on it must be sent with mustExist`);
  return state as Exclude<State, { status: 'unknown' }>;
}

/**
 * The caller may not do this to this resource (another school's course, another evaluator's
 * certificate): answered 403 naming the permission, like a role that lacks it.
 */
export class NotPermitted extends Error {
  constructor(
    readonly permission: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'NotPermitted';
  }
}

/** A command named something that does not exist (answered 404). */
export class UnknownEntity extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`);
    this.name = 'UnknownEntity';
  }
}

/** Compile-time check that a switch over a discriminated union is exhaustive. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
