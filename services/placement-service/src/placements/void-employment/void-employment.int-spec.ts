// POST /api/v1/employments/{id}/void: a hire recorded in error leaves placement-service as if never recorded
// (real Postgres, HTTP): EmploymentVoided on the placement's stream, its opening free again on the board, off
// the employer's list, the trainee free to be hired there again from any date, and EmploymentVoided published
// for the other services without the reason; refused to another employer's staff, for an unknown or voided
// employment, and for a reason empty, overlong or holding a mobile number.
import { fixedClock } from '@skills/domain-kernel';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { MESSAGE_PUBLISHER } from '@skills/messaging';
import { ServiceRegistry } from '@skills/service-runtime';
import { ApiSpec, bearer, http, ServiceSpec, startServiceSpec, testIssuer, traineeRegisteredFact, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { EMPLOYER_CREDIT_CODE, placementStream, postedPlacement } from '../../placement-fixtures';
import { PlacementModule } from '../../placement.module';
import { PlacementPosted } from '../placement.aggregate';

const clock = fixedClock('2021-10-15T02:00:00.000Z');

const staffOf = async (employerId: string) => bearer(await (await testIssuer()).token({ role: 'employer_staff', organisationId: employerId }));

describe('placement: voiding a hire recorded in error', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;
  const published: OutboxMessage[] = [];

  const caughtUp = () => service.host.app.get(ServiceRegistry).get('placement')?.projections.caughtUp();
  const voidIt = (employmentId: string, headers: Record<string, string>, reason: unknown = '录错了人') => spec.when('POST', `/api/v1/employments/${employmentId}/void`, { reason }, headers);

  /** A placement of `openings` with one trainee hired on 2021-07-01, and its employer's staff. */
  const hiredInto = async (openings = 2) => {
    const placement = postedPlacement({ openings });
    const traineeId = randomUUID();
    const staff = await staffOf(placement.data.employerId);
    const { body } = await spec
      .given(placementStream(placement), traineeRegisteredFact(traineeId))
      .when('POST', `/api/v1/placements/${placement.data.placementId}/hires`, { traineeId, startDate: '2021-07-01', monthlyWage: 8000 }, staff)
      .then(201, [{ type: 'TraineeHired' }]);
    return { placement, traineeId, staff, employmentId: body.employmentId as string };
  };
  const onBoard = async (placement: PlacementPosted) => {
    await caughtUp();
    const { body } = await http(service.host.baseUrl, 'GET', `/api/v1/placements?employerId=${placement.data.employerId}`);
    return body.items.find((item: { id: string }) => item.id === placement.data.placementId);
  };
  const listed = async (placement: PlacementPosted, staff: Record<string, string>) =>
    (await http(service.host.baseUrl, 'GET', '/api/v1/employments?consistent=true', undefined, staff)).body.items.map((item: { id: string }) => item.id);

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [PlacementModule], service: 'placement', replicaWaitMs: 200, clock });
    spec = service.spec;
    const publisher = service.host.app.get<MessagePublisher>(MESSAGE_PUBLISHER, { strict: false });
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (messages, stopping) => {
      published.push(...messages);
      return publish(messages, stopping);
    };
  });

  afterAll(() => service?.close());

  it('frees its opening, takes it off the list, frees the trainee for a hire at the employer and tells the other services without the reason', async () => {
    const { placement, traineeId, staff, employmentId } = await hiredInto(1);
    // Filled by the hire.
    expect(await onBoard(placement)).toMatchObject({ openingsLeft: 0, status: 'closed' });
    expect(await listed(placement, staff)).toEqual([employmentId]);

    await voidIt(employmentId, staff).then(200, [{ type: 'EmploymentVoided', data: { employmentId, traineeId, placementId: placement.data.placementId, startDate: '2021-07-01', voidedOn: '2021-10-15', reason: '录错了人' } }], {
      employmentId,
      status: 'voided',
    });

    expect(await onBoard(placement)).toMatchObject({ openingsLeft: 1, status: 'open' });
    expect(await listed(placement, staff)).toEqual([]);
    const voided = await waitFor(() => published.find((message) => message.envelope.type === 'EmploymentVoided' && (message.envelope.payload as { employmentId: string }).employmentId === employmentId));
    expect(voided).toMatchObject({
      key: traineeId,
      envelope: {
        occurredAt: '2021-10-15',
        payload: { employmentId, traineeId, placementId: placement.data.placementId, employerId: placement.data.employerId, employerCreditCode: EMPLOYER_CREDIT_CODE, occupationCode: '6-18-02-04', regionCode: '430200', startDate: '2021-07-01', voidedOn: '2021-10-15' },
      },
    });
    expect(voided.envelope.payload).not.toHaveProperty('reason');
    // Voided once: a second void, or an end after it, finds no employment.
    await voidIt(employmentId, staff).then(404, []);
    await spec.when('POST', `/api/v1/employments/${employmentId}/end`, { endDate: '2021-09-01', reason: '合同期满' }, staff).then(404, []);
    // The opening it held takes the trainee's right hire, dated before the voided one's start too.
    await spec.when('POST', `/api/v1/placements/${placement.data.placementId}/hires`, { traineeId, startDate: '2021-06-15', monthlyWage: 8000 }, staff).then(201, [{ type: 'TraineeHired' }]);
  });

  it('voids an ended employment too; a closed placement stays closed with the opening back', async () => {
    const { placement, staff, employmentId } = await hiredInto();
    await spec.when('POST', `/api/v1/employments/${employmentId}/end`, { endDate: '2021-09-01', reason: '合同期满' }, staff).then(200);
    await spec.when('POST', `/api/v1/placements/${placement.data.placementId}/close`, undefined, staff).then(200);
    await voidIt(employmentId, staff).then(200, [{ type: 'EmploymentVoided' }], { employmentId, status: 'voided' });
    expect(await onBoard(placement)).toMatchObject({ openingsLeft: 2, status: 'closed', closedOn: '2021-10-15' });
    expect(await listed(placement, staff)).toEqual([]);
  });

  it("refuses another employer's staff, an unknown employment, and a reason empty, overlong or holding a mobile number", async () => {
    const { placement, staff, employmentId } = await hiredInto();
    await voidIt(employmentId, await staffOf(randomUUID())).then(403, [], { permission: 'employments:end', rule: 'permission_denied' });
    await voidIt(employmentId, bearer(await (await testIssuer()).token({ role: 'platform_admin' }))).then(403, []);
    await voidIt(randomUUID(), staff).then(404, []);
    const fieldsOf = (body: { errors: { field: string; rule: string }[] }) => body.errors.map(({ field, rule }) => ({ field, rule }));
    expect(fieldsOf((await voidIt(employmentId, staff, '').then(400, [])).body)).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect(fieldsOf((await voidIt(employmentId, staff, '错'.repeat(501)).then(400, [])).body)).toEqual([expect.objectContaining({ field: 'reason' })]);
    const personal = await voidIt(employmentId, staff, '本人手机 13812345678 录错').then(400, []);
    expect(fieldsOf(personal.body)).toEqual([{ field: 'reason', rule: 'personal_data_in_text' }]);
    expect(JSON.stringify(personal.body)).not.toContain('13812345678');
    // Nothing voided by any of them.
    expect(await listed(placement, staff)).toEqual([employmentId]);
  });
});
