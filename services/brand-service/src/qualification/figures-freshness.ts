import { PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { CatchUp, Freshness, withParkedFacts } from '@skills/service-runtime';
import { FiguresNotCounted, Qualifications } from './qualification.service';

/** What a read of a brand's figures waits for with ?consistent=true (its 503, ApiWaitsForFacts). */
export const FIGURES_WAIT =
  "With ?consistent=true: training's and placement's facts (or, answered at once, the brand's figures from them: still being counted after its registration or a change to how they are counted); for a building unit's staff whose organisation is not known here yet, the organisations registered on the other services";

/**
 * How complete a read of a brand's figures is: how far the facts have been applied here (CatchUp.forRead),
 * and whether the brand's figures hold every fact applied here (Qualifications.counted: not while the
 * backfill after its registration or a counting-rule upgrade runs), asked after the facts and before the
 * figures are read. Figures not counted yet: a consistent read is refused as one whose facts did not catch
 * up (503 facts_not_caught_up with Retry-After, as a decision is), at once, since counting them takes a
 * rebuild or a backfill, longer than a request's wait; a plain read is answered the figures as they are,
 * neither complete (`completeUpTo` null) nor with a count of what they lack (`pendingFacts` null: not known).
 * Counted, but lacking a fact that waits here as a dead letter: answered, not complete, the letters counted
 * in `pendingFacts` (withParkedFacts), with ?consistent=true too (an operator's retry, not a wait, brings them).
 */
export async function freshnessOfFigures(catchUp: CatchUp, qualifications: Qualifications, brandId: string, consistent: boolean): Promise<Freshness> {
  const freshness = await catchUp.forRead(consistent, [TRAINING_TOPIC, PLACEMENT_TOPIC]);
  const { counted, factsParked } = await qualifications.readiness(brandId);
  if (counted) return withParkedFacts(freshness, factsParked);
  if (consistent) throw new FiguresNotCounted(brandId);
  return { completeUpTo: null, pendingFacts: null };
}
