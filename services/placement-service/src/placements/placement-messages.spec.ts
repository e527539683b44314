import { PLACEMENT_TOPIC, PlacementIntegrationEvent } from '@skills/contracts';
import { RecordedEvent } from '@skills/event-sourcing';
import { Placement, placementAggregate, PlacementEvent, PlacementPosted, TraineeHired } from './placement.aggregate';
import { placementIntegrationEvents } from './placement-messages';

const posted: PlacementPosted = {
  type: 'PlacementPosted',
  data: {
    placementId: 'p-1',
    employerId: 'e-1',
    employerCreditCode: '91430200MA4L00001P',
    employerIndustryCode: 'C37',
    employerRegionCode: '430200',
    title: '铆焊工',
    occupationCode: '6-18-02-04',
    industryCode: 'C37',
    openings: 2,
    wageMin: 7000,
    wageMax: 9000,
    regionCode: '430202',
    postedOn: '2021-03-01',
  },
};

const hired: TraineeHired = {
  type: 'TraineeHired',
  data: { employmentId: 'emp-1', placementId: 'p-1', traineeId: 't-1', startDate: '2021-04-01', monthlyWage: 8000 },
};

let version = 0;
const recorded = (event: PlacementEvent): RecordedEvent<PlacementEvent> => ({
  ...event,
  eventId: `ev-${++version}`,
  streamId: 'placement-p-1',
  streamVersion: version,
  schemaVersion: 1,
  position: { transactionId: '1', globalPosition: String(version) },
  metadata: { correlationId: 'corr-1' },
  recordedAt: '2025-03-03T01:00:00.000Z',
});

/** The envelopes the placement publishes for these events, in the state after them. */
function publish(...events: PlacementEvent[]) {
  const state = events.reduce<Placement>(placementAggregate.evolve, placementAggregate.initialState());
  return placementIntegrationEvents(events.map(recorded), state).map((message) => {
    expect(message.topic).toBe(PLACEMENT_TOPIC);
    return message.envelope as PlacementIntegrationEvent;
  });
}

describe('the placement as other contexts see it', () => {
  it("publishes a hire with the employer's region as registered when the placement was posted, beside the placement's own", () => {
    const [, hire] = publish(posted, hired);
    expect(hire).toMatchObject({ type: 'TraineeHired', occurredAt: '2021-04-01' });
    expect(hire.payload).toEqual({
      ...hired.data,
      employerId: 'e-1',
      employerCreditCode: '91430200MA4L00001P',
      employerIndustryCode: 'C37',
      industryCode: 'C37',
      occupationCode: '6-18-02-04',
      regionCode: '430202',
      employerRegionCode: '430200',
    });
  });

  it("leaves the employer's region out of a hire into a placement posted before it was stamped", () => {
    const { employerRegionCode: _employerRegionCode, ...older } = posted.data;
    const [, hire] = publish({ type: 'PlacementPosted', data: older }, hired);
    expect(hire.payload).not.toHaveProperty('employerRegionCode');
    expect(hire.payload).toMatchObject({ regionCode: '430202' });
  });

  it('keeps PlacementPostedV1 as it is: the posting carries no employer region', () => {
    const [posting] = publish(posted);
    const { employerRegionCode: _employerRegionCode, ...published } = posted.data;
    expect(posting).toMatchObject({ type: 'PlacementPosted', occurredAt: '2021-03-01' });
    expect(posting.payload).toEqual(published);
  });
});
