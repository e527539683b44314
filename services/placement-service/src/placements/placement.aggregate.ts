import { Actor, FactsPosition } from '@skills/contracts';
import { assertNever, businessDateOf, DomainRefusal, existing, FieldRefusal, MINIMUM_WORKING_AGE, NotPermitted, rankOf, refuseFutureDate, SkillLevel, UnknownEntity } from '@skills/domain-kernel';

// One stream per placement (job posting): its openings and the employments it made.

// ---- events ---------------------------------------------------------------------------------

export interface PlacementPosted {
  type: 'PlacementPosted';
  data: {
    placementId: string;
    employerId: string;
    employerCreditCode: string;
    employerIndustryCode: string;
    /**
     * The employer's region as registered when the placement was posted: hires count by it (domain.md
     * section 6), while `regionCode` is where the work is. Absent on events recorded before it was added.
     */
    employerRegionCode?: string;
    title: string;
    occupationCode: string;
    industryCode: string;
    openings: number;
    minLevel?: SkillLevel;
    wageMin: number;
    wageMax: number;
    regionCode: string;
    postedOn: string;
  };
}

export interface PlacementClosed {
  type: 'PlacementClosed';
  data: { placementId: string; closedOn: string };
}

export interface TraineeHired {
  type: 'TraineeHired';
  data: { employmentId: string; placementId: string; traineeId: string; startDate: string; monthlyWage: number; basedOnFacts?: FactsPosition };
}

export interface EmploymentEnded {
  type: 'EmploymentEnded';
  data: { employmentId: string; placementId: string; traineeId: string; startDate: string; endDate: string; reason: string };
}

/**
 * A hire recorded in error (the wrong person, the wrong placement), ended or not: as if it had never been
 * recorded. Its opening is free again; the reason stays in this log alone (free text, it may name people).
 */
export interface EmploymentVoided {
  type: 'EmploymentVoided';
  data: { employmentId: string; placementId: string; traineeId: string; startDate: string; voidedOn: string; reason: string };
}

export type PlacementEvent = PlacementPosted | PlacementClosed | TraineeHired | EmploymentEnded | EmploymentVoided;

// ---- commands -------------------------------------------------------------------------------
// `by` is who asks: only `employer_staff` of the placement's employer post, close, hire, and end or void
// employments there (domain.md section 9); a platform admin does none of it.

/** Posted today (by the pipeline's clock), on a new stream (mustNotExist). */
export interface PostPlacement {
  type: 'PostPlacement';
  placement: Omit<PlacementPosted['data'], 'postedOn'>;
  /** Staff of `placement.employerId`. */
  by: Actor;
}

/** Closed today (by the pipeline's clock). */
export interface ClosePlacement {
  type: 'ClosePlacement';
  by: Actor;
}

export interface HireTrainee {
  type: 'HireTrainee';
  employmentId: string;
  traineeId: string;
  startDate: string;
  monthlyWage: number;
  /**
   * The trainee's level in the placement's occupation for `startDate`, from certification events: the
   * highest certificate dated on or before it that stands now (one revoked since, even after the start
   * date, counts for nothing: TraineeLevels.forDecisionOn).
   */
  traineeLevel: SkillLevel | null;
  /**
   * An employment of the trainee at this employer (any placement) that overlaps the new one, which is
   * open-ended from `startDate`: one with no end, or ending after `startDate`. null: none.
   */
  overlappingAtEmployer: OverlappingEmployment | null;
  /** Under 16 on the start date, as trainee-service tells it (its replica, or its answer for that date); never a birth date. */
  underWorkingAge: boolean;
  /** How far certification's facts had reached when `traineeLevel` was read (only for a placement with a minimum level). */
  basedOnFacts?: FactsPosition;
  by: Actor;
}

/** The employment's placement is found by its index (employment_index), so it holds the employment. */
export interface EndEmployment {
  type: 'EndEmployment';
  employmentId: string;
  /** Not in the future. */
  endDate: string;
  reason: string;
  by: Actor;
}

/** Voided today (by the pipeline's clock); found by the employment index as EndEmployment is. */
export interface VoidEmployment {
  type: 'VoidEmployment';
  employmentId: string;
  reason: string;
  by: Actor;
}

export type PlacementCommand = PostPlacement | ClosePlacement | HireTrainee | EndEmployment | VoidEmployment;

export interface OverlappingEmployment {
  employmentId: string;
  startDate: string;
  endDate: string | null;
}

// ---- state ----------------------------------------------------------------------------------

export interface Employment {
  traineeId: string;
  startDate: string;
  endDate?: string;
}

export interface PostedPlacement {
  status: 'open' | 'closed';
  /** The day it was closed: a hire that started before it was made while the placement was open. */
  closedOn?: string;
  placement: PlacementPosted['data'];
  employments: Map<string, Employment>;
}

export type Placement = { status: 'unknown' } | PostedPlacement;

export const placementStreamId = (placementId: string) => `placement-${placementId}`;

/** Openings are filled by hires; an employment that ends later does not reopen its opening, a voided one does (it leaves `employments`). */
export const openingsLeft = (placement: PostedPlacement) => placement.placement.openings - placement.employments.size;

export const placementAggregate = {
  initialState: (): Placement => ({ status: 'unknown' }),

  evolve(state: Placement, event: PlacementEvent): Placement {
    switch (event.type) {
      case 'PlacementPosted':
        return { status: 'open', placement: event.data, employments: new Map() };
      case 'PlacementClosed':
        return { ...existing(state, 'placement'), status: 'closed', closedOn: event.data.closedOn };
      case 'TraineeHired': {
        const placement = existing(state, 'placement');
        const { employmentId, traineeId, startDate } = event.data;
        return { ...placement, employments: new Map(placement.employments).set(employmentId, { traineeId, startDate }) };
      }
      case 'EmploymentEnded': {
        const placement = existing(state, 'placement');
        const employment = placement.employments.get(event.data.employmentId)!;
        return { ...placement, employments: new Map(placement.employments).set(event.data.employmentId, { ...employment, endDate: event.data.endDate }) };
      }
      case 'EmploymentVoided': {
        const placement = existing(state, 'placement');
        const employments = new Map(placement.employments);
        employments.delete(event.data.employmentId);
        return { ...placement, employments };
      }
      default:
        return assertNever(event);
    }
  },

  /** PostPlacement goes to a new stream (mustNotExist); every other command to a posted one (mustExist). */
  decide(command: PlacementCommand, state: Placement, now: Date): PlacementEvent[] {
    switch (command.type) {
      case 'PostPlacement':
        mustBeStaffOf(command.placement.employerId, command.by, 'placements:post');
        return [post(command, now)];
      case 'ClosePlacement': {
        const placement = existing(state, 'placement');
        mustBeStaffOf(placement.placement.employerId, command.by, 'placements:close');
        if (placement.status === 'closed') throw new DomainRefusal('placement_already_closed', 'the placement is already closed');
        return [{ type: 'PlacementClosed', data: { placementId: placement.placement.placementId, closedOn: businessDateOf(now) } }];
      }
      case 'HireTrainee': {
        const placement = existing(state, 'placement');
        mustBeStaffOf(placement.placement.employerId, command.by, 'placements:hire');
        return [hire(command, placement, now)];
      }
      case 'EndEmployment': {
        const placement = existing(state, 'placement');
        mustBeStaffOf(placement.placement.employerId, command.by, 'employments:end');
        return [end(command, placement, now)];
      }
      case 'VoidEmployment': {
        const placement = existing(state, 'placement');
        mustBeStaffOf(placement.placement.employerId, command.by, 'employments:end');
        return [voidOf(command, placement, now)];
      }
      default:
        return assertNever(command);
    }
  },
};

/** Another employer's staff (or anyone not an employer's staff) may not act on this employer's placements. */
export function mustBeStaffOf(employerId: string, by: Actor, permission: string): void {
  if (by.role !== 'employer_staff' || by.organisationId !== employerId) {
    throw new NotPermitted(permission, `only staff of employer ${employerId} may do this; the caller acts for ${by.organisationId ?? 'no organisation'}`);
  }
}

function post(command: PostPlacement, now: Date): PlacementPosted {
  const { wageMin, wageMax, openings } = command.placement;
  if (!(wageMin > 0)) throw new FieldRefusal('wageMin', 'wage_must_be_positive', `wageMin must be positive (got ${wageMin})`, { wageMin });
  if (wageMin > wageMax) throw new DomainRefusal('wage_range_inverted', `wageMin ${wageMin} is above wageMax ${wageMax}`, { wageMin, wageMax });
  if (!Number.isInteger(openings) || openings < 1) throw new FieldRefusal('openings', 'openings_must_be_positive', `openings must be at least 1 (got ${openings})`, { openings });
  return { type: 'PlacementPosted', data: { ...command.placement, postedOn: businessDateOf(now) } };
}

function hire(command: HireTrainee, placement: PostedPlacement, now: Date): TraineeHired {
  const { minLevel, placementId, occupationCode } = placement.placement;
  // A hire records an employment that has begun: its start is a business date, not after today.
  refuseFutureDate('startDate', command.startDate, now);
  // Judged on the start date: a backdated hire into a placement closed since is one it was open for.
  if (placement.closedOn !== undefined && command.startDate >= placement.closedOn) {
    throw new DomainRefusal('placement_closed', `the placement was closed on ${placement.closedOn}, on or before the start on ${command.startDate}`, {
      closedOn: placement.closedOn,
      startDate: command.startDate,
    });
  }
  if (openingsLeft(placement) <= 0) {
    throw new DomainRefusal('no_openings_left', `all ${placement.placement.openings} openings are filled`, { openings: placement.placement.openings });
  }
  if (minLevel && (!command.traineeLevel || rankOf(command.traineeLevel) < rankOf(minLevel))) {
    throw new DomainRefusal('level_too_low', `the placement needs at least ${minLevel} in ${occupationCode}; the trainee holds ${command.traineeLevel ?? 'no level'}`, {
      minLevel,
      traineeLevel: command.traineeLevel,
      occupationCode,
    });
  }
  if (command.underWorkingAge) {
    throw new DomainRefusal('under_minimum_age', `the trainee is under ${MINIMUM_WORKING_AGE} on the start date ${command.startDate} (Labour Law, article 15)`, {
      traineeId: command.traineeId,
      startDate: command.startDate,
    });
  }
  const overlapping = command.overlappingAtEmployer;
  if (overlapping) {
    throw new DomainRefusal(
      'already_employed_by_employer',
      `the trainee is employed at this employer from ${overlapping.startDate}${overlapping.endDate ? ` until ${overlapping.endDate}` : ''}, which overlaps a start on ${command.startDate}`,
      { traineeId: command.traineeId, existingId: overlapping.employmentId, existingStartDate: overlapping.startDate, existingEndDate: overlapping.endDate },
    );
  }
  const { basedOnFacts } = command;
  return {
    type: 'TraineeHired',
    data: { employmentId: command.employmentId, placementId, traineeId: command.traineeId, startDate: command.startDate, monthlyWage: command.monthlyWage, ...(basedOnFacts ? { basedOnFacts } : {}) },
  };
}

function end(command: EndEmployment, placement: PostedPlacement, now: Date): EmploymentEnded {
  refuseFutureDate('endDate', command.endDate, now);
  const employment = heldEmployment(placement, command.employmentId);
  if (employment.endDate) throw new DomainRefusal('employment_already_ended', `the employment ended on ${employment.endDate}`, { endDate: employment.endDate });
  if (command.endDate < employment.startDate) {
    throw new DomainRefusal('ended_before_start', `endDate ${command.endDate} is before the start on ${employment.startDate}`, { endDate: command.endDate, startDate: employment.startDate });
  }
  return {
    type: 'EmploymentEnded',
    data: { employmentId: command.employmentId, placementId: placement.placement.placementId, traineeId: employment.traineeId, startDate: employment.startDate, endDate: command.endDate, reason: command.reason },
  };
}

/** Voided whether it has ended or not; a voided employment is none (404), so it is voided once. */
function voidOf(command: VoidEmployment, placement: PostedPlacement, now: Date): EmploymentVoided {
  const { traineeId, startDate } = heldEmployment(placement, command.employmentId);
  return {
    type: 'EmploymentVoided',
    data: { employmentId: command.employmentId, placementId: placement.placement.placementId, traineeId, startDate, voidedOn: businessDateOf(now), reason: command.reason },
  };
}

/**
 * The employment index names the placement that hired it, in the hire's own transaction, and forgets it in
 * the void's: an employment missing here was voided since the index was read (a void beside this command).
 */
function heldEmployment(placement: PostedPlacement, employmentId: string): Employment {
  const employment = placement.employments.get(employmentId);
  if (!employment) throw new UnknownEntity('employment', employmentId);
  return employment;
}
