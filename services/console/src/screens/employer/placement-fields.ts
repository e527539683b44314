import type { components } from '../../api/schema';

export type Placement = components['schemas']['PlacementAnswer'];
export type SkillLevel = NonNullable<components['schemas']['PostPlacementDto']['minLevel']>;

/** The levels and the code forms the board and the workspace check before asking the server (it checks them again). */
export { OCCUPATION_CODE, REGION_CODE, SKILL_LEVELS } from '@skills/domain-kernel';

/**
 * What a placement's status says to its employer: open (taking hires), filled (every opening taken; an
 * employment that ends does not free one) or closed (by the employer, openings left). The API's status is
 * `closed` for both of the last two (list-placements: closed or filled), so openings left tells them apart;
 * a placement filled and closed too shows filled, since the API says no more of it.
 */
export type PlacementState = 'open' | 'filled' | 'closed';

export const placementState = (placement: Placement): PlacementState => (placement.status === 'open' ? 'open' : placement.openingsLeft === 0 ? 'filled' : 'closed');
