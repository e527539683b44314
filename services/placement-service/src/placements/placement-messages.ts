import { EmploymentEndedV1, EmploymentVoidedV1, PLACEMENT_TOPIC, PlacementClosedV1, PlacementPostedV1, TraineeHiredV1 } from '@skills/contracts';
import { assertNever } from '@skills/domain-kernel';
import { DecidedEvent, integrationMessage, OutboxMessage } from '@skills/event-sourcing';
import { Placement, PlacementEvent } from './placement.aggregate';

/**
 * What other contexts judge employment by: every hire and end carries the employer's credit code,
 * the industry and occupation of the placement, and the dates (brand figures, direct certification).
 */
export function placementIntegrationEvents(events: DecidedEvent<PlacementEvent>[], state: Placement): OutboxMessage[] {
  if (state.status === 'unknown') return [];
  const placement = state.placement;
  const message = <Payload>(event: DecidedEvent<PlacementEvent>, key: string, payload: Payload, occurredAt: string) =>
    integrationMessage(PLACEMENT_TOPIC, key, event, event.type, payload, occurredAt);
  const employerRegion = placement.employerRegionCode !== undefined ? { employerRegionCode: placement.employerRegionCode } : {};
  const context = { employerId: placement.employerId, employerCreditCode: placement.employerCreditCode, employerIndustryCode: placement.employerIndustryCode, industryCode: placement.industryCode, occupationCode: placement.occupationCode };
  return events.map((event) => {
    switch (event.type) {
      case 'PlacementPosted': {
        // The employer's region is published on each hire (TraineeHiredV1), not in PlacementPostedV1.
        const { employerRegionCode: _employerRegionCode, ...posted } = event.data;
        return message<PlacementPostedV1>(event, placement.placementId, posted, event.data.postedOn);
      }
      case 'PlacementClosed':
        return message<PlacementClosedV1>(event, placement.placementId, event.data, event.data.closedOn);
      // Keyed by trainee: one person's hires, ends and voids stay in order for every consumer.
      case 'TraineeHired':
        return message<TraineeHiredV1>(
          event,
          event.data.traineeId,
          {
            ...event.data,
            ...context,
            regionCode: placement.regionCode,
            ...employerRegion,
          },
          event.data.startDate,
        );
      case 'EmploymentEnded':
        return message<EmploymentEndedV1>(
          event,
          event.data.traineeId,
          { employmentId: event.data.employmentId, traineeId: event.data.traineeId, ...context, startDate: event.data.startDate, endDate: event.data.endDate, reason: event.data.reason },
          event.data.endDate,
        );
      // Without the reason: free text kept in this service's log alone.
      case 'EmploymentVoided': {
        const { reason: _reason, ...voided } = event.data;
        return message<EmploymentVoidedV1>(event, event.data.traineeId, { ...voided, ...context, regionCode: placement.regionCode, ...employerRegion }, event.data.voidedOn);
      }
      default:
        return assertNever(event);
    }
  });
}
