import { UniqueClaim } from '@skills/event-sourcing';

/**
 * One organisation per credit code in each registry: the claim a registration makes in
 * `<kind>_claims (credit_code, <kind>_id)`; a second registration is refused `credit_code_registered`
 * with the first one's id as existingId.
 */
export function creditCodeClaim(kind: 'provider' | 'employer' | 'evaluator', creditCode: string, id: string): UniqueClaim {
  const article = kind === 'provider' ? 'a' : 'an';
  return {
    table: `${kind}_claims`,
    key: { credit_code: creditCode },
    holder: { column: `${kind}_id`, id },
    rule: 'credit_code_registered',
    detail: `${article} ${kind} with credit code ${creditCode} is already registered`,
  };
}
