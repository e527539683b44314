// GET /api/v1/trainees/{id}?consistent=true: an employer that has just hired someone, whose hire has not been
// applied to trainee-service's relations yet, is not told "no such trainee" for good. trainee-service alone,
// in one process: the hire that would relate the employer waits as a dead letter of the relations' consumer
// (parked as the consumer parks it), the one state in which the facts cannot catch up here; then applied as a
// retry leaves it (the message in the inbox, the relation recorded).
import { PLACEMENT_TOPIC } from '@skills/contracts';
import { auditLines, bearer, http, parkDeadLetter, ServiceSpec, startServiceSpec, testIdentityNumber, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TraineeModule } from '../../trainee.module';

const RELATIONS_CONSUMER = 'trainee.trainee-relations';
const { module: AuditLinesModule, lines: audited } = auditLines();

describe('reading a trainee with ?consistent=true: the caller judged on caught-up relating facts', () => {
  let service: ServiceSpec;
  let sql: Client;
  const school = randomUUID();
  let registrar: Record<string, string>;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule, AuditLinesModule], service: 'trainee' });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=trainee' });
    await sql.connect();
    registrar = bearer(await service.issuer.token({ role: 'school_staff', organisationId: school }));
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  let person = 7400;
  const register = async (): Promise<string> => {
    const answer = await http(service.host.baseUrl, 'POST', '/api/v1/trainees', { name: '钱七', idNumber: testIdentityNumber(person++), phone: '13800000000' }, registrar);
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  };
  const read = (traineeId: string, headers: Record<string, string>, query = '') => http(service.host.baseUrl, 'GET', `/api/v1/trainees/${traineeId}${query}`, undefined, headers);
  const readsOf = (traineeId: string) =>
    audited.filter((line) => line.type === 'PersonalDataRead' && (line.payload as { resource: string }).resource === `trainee-${traineeId}` && (line.payload as { action: string }).action === 'trainees:read');

  /** The employer's hire of the trainee, as the relations' consumer parks one it could not apply; its event id. */
  // Placement's messages are keyed by the employment, not the trainee.
  const parkHire = (traineeId: string, employerId: string): Promise<string> =>
    parkDeadLetter(sql, RELATIONS_CONSUMER, PLACEMENT_TOPIC, { type: 'TraineeHired', aggregateId: randomUUID(), payload: { traineeId, employmentId: randomUUID(), employerId } });

  it('answers an employer whose hire is not applied yet 404 plainly, 503 (not 404) with ?consistent=true, and 200 to both once it is applied, audited as any read', async () => {
    const traineeId = await register();
    const employer = randomUUID();
    const staff = bearer(await service.issuer.token({ role: 'employer_staff', organisationId: employer }));
    const letter = await parkHire(traineeId, employer);

    // Without the parameter, as before: judged on what this service knows now.
    expect(await read(traineeId, staff)).toMatchObject({ status: 404, body: { entity: 'trainee' } });
    const waiting = await read(traineeId, staff, '?consistent=true');
    expect(waiting).toMatchObject({ status: 503, body: { rule: 'facts_not_caught_up' } });
    expect(waiting.headers.get('retry-after')).toBe('60');
    // Only the letter about this trainee holds a caller up: an organisation related to nobody is refused
    // once the facts have caught up, one already related (the registrant) waits for nothing.
    const stranger = bearer(await service.issuer.token({ role: 'employer_staff', organisationId: randomUUID() }));
    expect(await read(await register(), stranger, '?consistent=true')).toMatchObject({ status: 404, body: { entity: 'trainee' } });
    expect(await read(traineeId, registrar, '?consistent=true')).toMatchObject({ status: 200, body: { id: traineeId, name: '钱七' } });
    // Refusals show nothing of the person, so audit no read (the registrant's read is the one line).
    await waitFor(() => readsOf(traineeId).length === 1, { description: "the registrant's read audited" });

    await sql.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2)', [RELATIONS_CONSUMER, letter]);
    await sql.query('INSERT INTO trainee_relations (trainee_id, organisation_id) VALUES ($1, $2)', [traineeId, employer]);
    expect(await read(traineeId, staff, '?consistent=true')).toMatchObject({ status: 200, body: { id: traineeId, name: '钱七' } });
    expect(await read(traineeId, staff)).toMatchObject({ status: 200, body: { id: traineeId, name: '钱七' } });
    await waitFor(() => readsOf(traineeId).length === 3, { description: 'an audit line for each read answered' });
  });

  it('refuses a consistent that is neither true nor false, naming the field', async () => {
    const answer = await read(await register(), registrar, '?consistent=yes');
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('consistent');
  });
});
