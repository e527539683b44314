import type { components } from '../../api/schema';

export type Placement = components['schemas']['PlacementAnswer'];
export type SkillLevel = NonNullable<components['schemas']['PostPlacementDto']['minLevel']>;

/** The levels and the code forms the board and the workspace check before asking the server (it checks them again). */
export { OCCUPATION_CODE, REGION_CODE, SKILL_LEVELS } from '@skills/domain-kernel';

/**
 * What a placement's status says to its employer: open (taking hires), closed (by the employer, on
 * `closedOn`) or filled (every opening taken, not closed; an employment that ends does not free one). The
 * API's status is `closed` for both of the last two (list-placements: closed or filled); its `closedOn` tells
 * them apart, and a placement filled and then closed shows closed, with its day.
 */
export type PlacementState = 'open' | 'filled' | 'closed';

export const placementState = (placement: Placement): PlacementState => (placement.status === 'open' ? 'open' : placement.closedOn ? 'closed' : 'filled');
