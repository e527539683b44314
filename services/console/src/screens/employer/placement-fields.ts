import type { components } from '../../api/schema';

export type Placement = components['schemas']['PlacementAnswer'];
export type SkillLevel = NonNullable<components['schemas']['PostPlacementDto']['minLevel']>;

export const SKILL_LEVELS: SkillLevel[] = ['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician', 'special_technician', 'chief_technician'];

/** What the board and the workspace ask of codes before asking the server (it checks them again). */
export const OCCUPATION_CODE = /^\d-\d{2}-\d{2}-\d{2}$/;
export const REGION_CODE = /^\d{6}$/;
