// trainee-service knows every fact of its relations (TraineeRelatingFactsFromTheLog): each pair a void leaves
// related by nothing it announces on its topic (TraineeUnrelated, keyed by the trainee), so that a service that
// does not know the facts of its relations of before (certification-service) takes the relation back too. Once,
// however often the void is delivered. Over trainee-service alone, placement's messages given as facts.
import { EmploymentVoidedV1, IntegrationEnvelope, PLACEMENT_TOPIC, TRAINEE_TOPIC, TraineeHiredV1 } from '@skills/contracts';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { MESSAGE_PUBLISHER } from '@skills/messaging';
import { Database } from '@skills/postgres';
import { bearer, fact, http, publishFacts, ServiceSpec, startServiceSpec, testIdentityNumber, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeModule } from './trainee.module';

describe('trainee-service announces the relations a void takes back', () => {
  let service: ServiceSpec;
  let database: Database;
  /** What the host's bus carried on the trainee topic: its own outbox's messages among them. */
  const carried: OutboxMessage[] = [];

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee' });
    database = new Database({ url: service.database.url, schema: 'trainee' });
    const publisher = service.host.app.get<MessagePublisher>(MESSAGE_PUBLISHER, { strict: false });
    const publish = publisher.publish.bind(publisher);
    publisher.publish = (messages, stopping) => (carried.push(...messages.filter((message) => message.topic === TRAINEE_TOPIC)), publish(messages, stopping));
  });

  afterAll(async () => {
    await database?.close();
    await service?.close();
  });

  const hire = (traineeId: string, employerId: string) => {
    const job = { employmentId: randomUUID(), placementId: randomUUID(), traineeId, employerId, employerCreditCode: '91430200MA4L000002', employerIndustryCode: 'C', industryCode: 'C', occupationCode: '6-18-02-04', regionCode: '430202', startDate: '2022-03-01' };
    const hired: TraineeHiredV1 = { ...job, monthlyWage: 6000 };
    const voided: EmploymentVoidedV1 = { ...job, voidedOn: '2022-09-01' };
    return { id: job.employmentId, hired: fact(PLACEMENT_TOPIC, 'TraineeHired', hired, { key: traineeId }), voided: fact(PLACEMENT_TOPIC, 'EmploymentVoided', voided, { key: traineeId }) };
  };
  const announcedAbout = (traineeId: string) => carried.map((message) => message.envelope as IntegrationEnvelope<string, { traineeId: string }>).filter((envelope) => envelope.type === 'TraineeUnrelated' && envelope.payload.traineeId === traineeId);
  const related = async (traineeId: string, organisationId: string) =>
    (await database.query('SELECT 1 FROM trainee_relations WHERE trainee_id = $1 AND organisation_id = $2', [traineeId, organisationId])).rowCount === 1;

  it('announces the employer a voided hire alone related, keyed by the trainee, once however often the void comes', async () => {
    const admin = bearer(await service.issuer.token({ role: 'platform_admin' }));
    const registered = await http(service.host.baseUrl, 'POST', '/api/v1/trainees', { name: '王五', idNumber: testIdentityNumber(8801), phone: '13800000000' }, admin);
    expect(registered.status).toBe(201);
    const worker: string = registered.body.id;
    const employer = randomUUID();
    const mistaken = hire(worker, employer);
    await publishFacts(service.host, [mistaken.hired]);
    expect(await related(worker, employer)).toBe(true);

    await publishFacts(service.host, [mistaken.voided]);
    expect(await related(worker, employer)).toBe(false);
    const [announcement] = await waitFor(() => (announcedAbout(worker).length > 0 ? announcedAbout(worker) : undefined), { description: 'TraineeUnrelated on the trainee topic' });
    expect(carried.find((message) => message.envelope === announcement)).toMatchObject({ topic: TRAINEE_TOPIC, key: worker });
    expect(announcement).toMatchObject({ type: 'TraineeUnrelated', schemaVersion: 1, payload: { traineeId: worker, organisationId: employer, voidedFacts: [{ kind: 'employment', id: mistaken.id }] } });

    // The void again, the same message and a copy under another id: the outbox drained, nothing more announced.
    await publishFacts(service.host, [mistaken.voided, { ...mistaken.voided, envelope: { ...mistaken.voided.envelope, eventId: randomUUID() } }]);
    await waitFor(async () => (await database.query('SELECT 1 FROM outbox')).rowCount === 0, { description: 'the outbox drained' });
    expect(announcedAbout(worker)).toHaveLength(1);
    // Its own announcement is not applied to its relations (no inbox claim for it).
    expect((await database.query("SELECT 1 FROM inbox WHERE consumer = 'trainee.trainee-relations' AND message_id = $1", [announcement.eventId])).rowCount).toBe(0);
  });
});
