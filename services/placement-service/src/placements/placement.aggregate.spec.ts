import { Actor } from '@skills/contracts';
import { businessDateOf, UnknownEntity } from '@skills/domain-kernel';
import { aggregateSpec, SPEC_NOW } from '@skills/testing';
import { EmploymentEnded, EmploymentVoided, EndEmployment, HireTrainee, placementAggregate, PlacementClosed, PlacementPosted, PostPlacement, TraineeHired } from './placement.aggregate';

const given = aggregateSpec(placementAggregate);

/** Staff of the placement's employer (e-1), who post, close, hire and end there. */
const staff: Actor = { userId: 'u-1', role: 'employer_staff', organisationId: 'e-1', via: 'token' };
/** Staff of another employer. */
const foreign: Actor = { ...staff, userId: 'u-2', organisationId: 'e-2' };

const posted: PlacementPosted = {
  type: 'PlacementPosted',
  data: {
    placementId: 'p-1',
    employerId: 'e-1',
    employerCreditCode: '91430200MA4L00001P',
    employerIndustryCode: 'C37',
    title: '铆焊工',
    occupationCode: '6-18-02-04',
    industryCode: 'C37',
    openings: 2,
    minLevel: 'intermediate',
    wageMin: 7000,
    wageMax: 9000,
    regionCode: '430200',
    postedOn: '2021-03-01',
  },
};
/** The business date a posting or a closing gets: the spec's clock. */
const today = businessDateOf(SPEC_NOW);
const { postedOn: _postedOn, ...posting } = posted.data;
const post = (change: Partial<PostPlacement['placement']> = {}, by = staff): PostPlacement => ({ type: 'PostPlacement', placement: { ...posting, ...change }, by });
const close = (by = staff) => ({ type: 'ClosePlacement' as const, by });
const closed: PlacementClosed = { type: 'PlacementClosed', data: { placementId: 'p-1', closedOn: '2021-06-01' } };
const hire = (traineeId: string, change: Partial<HireTrainee> = {}): HireTrainee => ({
  type: 'HireTrainee',
  employmentId: `emp-${traineeId}`,
  traineeId,
  startDate: '2021-04-01',
  monthlyWage: 8000,
  traineeLevel: 'senior',
  overlappingAtEmployer: null,
  underWorkingAge: false,
  by: staff,
  ...change,
});
const hired = (traineeId: string): TraineeHired => ({
  type: 'TraineeHired',
  data: { employmentId: `emp-${traineeId}`, placementId: 'p-1', traineeId, startDate: '2021-04-01', monthlyWage: 8000 },
});
const ended = (traineeId: string, endDate = '2022-04-01'): EmploymentEnded => ({
  type: 'EmploymentEnded',
  data: { employmentId: `emp-${traineeId}`, placementId: 'p-1', traineeId, startDate: '2021-04-01', endDate, reason: '合同期满' },
});
const end = (traineeId: string, endDate = '2022-04-01', by = staff): EndEmployment => ({ type: 'EndEmployment', employmentId: `emp-${traineeId}`, endDate, reason: '合同期满', by });
const voidOf = (traineeId: string, by = staff) => ({ type: 'VoidEmployment' as const, employmentId: `emp-${traineeId}`, reason: '录错了人', by });
const voided = (traineeId: string): EmploymentVoided => ({
  type: 'EmploymentVoided',
  data: { employmentId: `emp-${traineeId}`, placementId: 'p-1', traineeId, startDate: '2021-04-01', voidedOn: today, reason: '录错了人' },
});

describe('posting a placement', () => {
  it('posts it, today', () => {
    given().when(post()).then([{ ...posted, data: { ...posted.data, postedOn: today } }]);
  });
  it('refuses a wage range whose minimum is above its maximum', () => {
    given().when(post({ wageMin: 9500 })).thenRefuses('wage_range_inverted');
  });
  it('refuses a wage that is not positive, and no openings, naming the field', () => {
    expect(given().when(post({ wageMin: 0 })).thenRefuses('wage_must_be_positive')).toMatchObject({ field: 'wageMin' });
    expect(given().when(post({ openings: 0 })).thenRefuses('openings_must_be_positive')).toMatchObject({ field: 'openings' });
  });
  it("refuses a placement for an employer other than the caller's organisation", () => {
    given().when(post({}, foreign)).thenForbids('placements:post');
    given().when(post({}, { ...staff, role: 'platform_admin', organisationId: null })).thenForbids('placements:post');
  });
  it('accepts a single wage (minimum equal to maximum)', () => {
    given().when(post({ wageMin: 8000, wageMax: 8000 })).then([{ type: 'PlacementPosted', data: { ...posted.data, wageMin: 8000, wageMax: 8000, postedOn: today } }]);
  });
});

describe('hiring', () => {
  it('hires a trainee holding at least the minimum level', () => {
    given(posted).when(hire('t-1')).then([hired('t-1')]);
    given(posted).when(hire('t-1', { traineeLevel: 'intermediate' })).then([hired('t-1')]);
  });
  it('refuses a trainee below the minimum level, or with no level in the occupation', () => {
    const refusal = given(posted).when(hire('t-1', { traineeLevel: 'junior' })).thenRefuses('level_too_low');
    expect(refusal).toMatchObject({ context: { minLevel: 'intermediate', traineeLevel: 'junior' } });
    given(posted).when(hire('t-1', { traineeLevel: null })).thenRefuses('level_too_low');
  });
  it('hires anyone when the placement sets no minimum level', () => {
    const open = { ...posted, data: { ...posted.data, minLevel: undefined } };
    given(open).when(hire('t-1', { traineeLevel: null })).then([hired('t-1')]);
  });
  it('refuses a hire that starts after today, naming the field', () => {
    const tomorrow = businessDateOf(new Date(SPEC_NOW.getTime() + 24 * 3600_000));
    expect(given(posted).when(hire('t-1', { startDate: tomorrow })).thenRefuses('date_in_future')).toMatchObject({ field: 'startDate' });
  });
  it("refuses another employer's staff to hire into the placement", () => {
    given(posted).when(hire('t-1', { by: foreign })).thenForbids('placements:hire');
  });
  it("refuses another employer's staff to close the placement, before saying it is already closed", () => {
    given(posted).when(close(foreign)).thenForbids('placements:close');
    given(posted, closed).when(close(foreign)).thenForbids('placements:close');
  });
  it('refuses when every opening is filled, even after an employment ended', () => {
    given(posted, hired('t-1'), hired('t-2')).when(hire('t-3')).thenRefuses('no_openings_left');
    given(posted, hired('t-1'), hired('t-2'), ended('t-1')).when(hire('t-3')).thenRefuses('no_openings_left');
  });
  it('refuses a hire that starts on or after the day the placement was closed', () => {
    const refusal = given(posted, closed).when(hire('t-1', { startDate: '2021-06-01' })).thenRefuses('placement_closed');
    expect(refusal).toMatchObject({ context: { closedOn: '2021-06-01', startDate: '2021-06-01' } });
    given(posted, closed).when(hire('t-1', { startDate: '2021-09-01' })).thenRefuses('placement_closed');
  });
  it('hires into a placement closed since, for a start while it was open (a backdated hire)', () => {
    given(posted, closed).when(hire('t-1', { startDate: '2021-05-31' })).then([{ ...hired('t-1'), data: { ...hired('t-1').data, startDate: '2021-05-31' } }]);
  });
  it('refuses an employment at the same employer that overlaps the start, naming it', () => {
    const open = { employmentId: 'emp-0', startDate: '2021-01-04', endDate: null };
    const refusal = given(posted).when(hire('t-1', { overlappingAtEmployer: open })).thenRefuses('already_employed_by_employer');
    expect(refusal).toMatchObject({ context: { traineeId: 't-1', existingId: 'emp-0', existingStartDate: '2021-01-04', existingEndDate: null } });
    const endedLater = { employmentId: 'emp-0', startDate: '2021-01-04', endDate: '2021-06-30' };
    expect(given(posted).when(hire('t-1', { overlappingAtEmployer: endedLater })).thenRefuses('already_employed_by_employer')).toMatchObject({ context: { existingEndDate: '2021-06-30' } });
  });
  it('closes it today, and refuses to close twice', () => {
    given(posted).when(close()).then([{ ...closed, data: { ...closed.data, closedOn: today } }]);
    given(posted, closed).when(close()).thenRefuses('placement_already_closed');
  });
});

describe('ending an employment', () => {
  it('ends it with a date and a reason, also on its first day', () => {
    given(posted, hired('t-1')).when(end('t-1')).then([ended('t-1')]);
    given(posted, hired('t-1')).when(end('t-1', '2021-04-01')).then([ended('t-1', '2021-04-01')]);
  });
  it('refuses an end before the start', () => {
    given(posted, hired('t-1')).when(end('t-1', '2021-03-31')).thenRefuses('ended_before_start');
  });
  it('ends it today, and refuses an end date after today, naming the field', () => {
    given(posted, hired('t-1')).when(end('t-1', today)).then([ended('t-1', today)]);
    expect(given(posted, hired('t-1')).when(end('t-1', '2025-03-04')).thenRefuses('date_in_future')).toMatchObject({ field: 'endDate' });
  });
  it('refuses to end twice', () => {
    given(posted, hired('t-1'), ended('t-1')).when(end('t-1')).thenRefuses('employment_already_ended');
  });
  it("refuses another employer's staff to end the employment", () => {
    given(posted, hired('t-1')).when(end('t-1', '2022-04-01', foreign)).thenForbids('employments:end');
    given(posted, hired('t-1'), ended('t-1')).when(end('t-1', '2022-04-01', foreign)).thenForbids('employments:end');
  });
  // An employment of another placement cannot be named: the employment index finds its placement
  // (the pipeline answers 404 for an unknown one).
});

describe('voiding an employment recorded in error', () => {
  it('voids it today, ended or not, and frees its opening', () => {
    given(posted, hired('t-1')).when(voidOf('t-1')).then([voided('t-1')]);
    given(posted, hired('t-1'), ended('t-1')).when(voidOf('t-1')).then([voided('t-1')]);
    given(posted, hired('t-1'), hired('t-2')).when(hire('t-3')).thenRefuses('no_openings_left');
    given(posted, hired('t-1'), hired('t-2'), voided('t-1')).when(hire('t-3')).then([hired('t-3')]);
  });
  it('knows a voided employment no more: neither voided again nor ended (a void beside the end, after the index was read)', () => {
    expect(() => given(posted, hired('t-1'), voided('t-1')).when(voidOf('t-1')).then([])).toThrow(UnknownEntity);
    expect(() => given(posted, hired('t-1'), voided('t-1')).when(end('t-1')).then([])).toThrow(UnknownEntity);
  });
  it("refuses another employer's staff", () => {
    given(posted, hired('t-1')).when(voidOf('t-1', foreign)).thenForbids('employments:end');
  });
});
