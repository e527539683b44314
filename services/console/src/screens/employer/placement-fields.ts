import type { components } from '../../api/schema';

export type Placement = components['schemas']['PlacementAnswer'];
export type SkillLevel = NonNullable<components['schemas']['PostPlacementDto']['minLevel']>;

/** The levels and the code forms the board and the workspace check before asking the server (it checks them again). */
export { OCCUPATION_CODE, REGION_CODE, SKILL_LEVELS } from '@skills/domain-kernel';
