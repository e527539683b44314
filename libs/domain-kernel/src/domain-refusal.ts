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
