// Refusals written the ways aggregates write them, for refusal-rules.spec.ts (never compiled or run).
declare const DomainRefusal: new (...args: unknown[]) => Error;
declare const FieldRefusal: new (...args: unknown[]) => Error;
declare function refuse(rule: string, detail: string): never;
declare function refuseFutureDate(field: string, date: string, now: Date): void;

export function decide(now: Date, value: number): void {
  if (value < 0) throw new DomainRefusal('value_negative', `value ${value} is below zero`, { value });
  if (value === 0)
    throw new FieldRefusal(
      'value',
      'value_zero',
      'zero is not a value',
    );
  if (value > 10) refuse('value_above_ten', 'at most ten');
  refuseFutureDate('on', '2021-01-01', now);
}
