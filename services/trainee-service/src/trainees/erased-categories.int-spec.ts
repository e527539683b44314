// A trainee's categories tell of health or hardship (disabled, registered poor): sensitive personal
// information under PIPL, which an erasure takes out of every answer, as it does the name and the phone,
// and out of the log (the registration keeps them in clear) and the directory. The TraineeRegistered
// message already published keeps them (the topic is the record, kept for ever).
import { startServiceSpec, ServiceSpec, testIdentityNumber, waitFor } from '@skills/testing';
import { Client } from 'pg';
import { TraineeModule } from '../trainee.module';
import { traineeStreamId } from './trainee.aggregate';

describe('the categories of an erased trainee', () => {
  let service: ServiceSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TraineeModule], service: 'trainee', token: { role: 'platform_admin' } });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('answers them while the personal data is there, and none once it is erased, in the trainee and in the archive; the log and the directory forget them', async () => {
    const registered = await service.spec
      .when('POST', '/api/v1/trainees', { name: '类别检查', idNumber: testIdentityNumber(7810), phone: '13800000000', categories: ['disabled', 'poverty_registered'] })
      .then(201);
    const id = registered.body.id as string;
    await service.spec.when('GET', `/api/v1/trainees/${id}`).then(200, [], { categories: ['disabled', 'poverty_registered'], personalDataErased: false });

    await service.spec.when('DELETE', `/api/v1/trainees/${id}/personal-data`).then(204);

    const trainee = await service.spec.when('GET', `/api/v1/trainees/${id}`).then(200, [], { personalDataErased: true, name: null });
    expect(trainee.body.categories).toEqual([]);
    const archive = await service.spec.when('GET', `/api/v1/trainees/${id}/archive`).then(200, [], { trainee: { personalDataErased: true } });
    expect(archive.body.trainee.categories).toEqual([]);

    const sql = new Client({ connectionString: service.database.url, options: '-c search_path=trainee' });
    await sql.connect();
    try {
      const logged = await sql.query(`SELECT data->'categories' AS categories FROM events WHERE stream_id = $1 AND event_type = 'TraineeRegistered'`, [traineeStreamId(id)]);
      expect(logged.rows).toEqual([{ categories: [] }]);
      const listed = async () => (await sql.query<{ categories: string[] }>('SELECT categories FROM trainee_directory WHERE trainee_id = $1', [id])).rows[0]?.categories;
      expect(await waitFor(async () => ((await listed())?.length === 0 ? true : undefined), { description: 'the directory to forget the categories' })).toBe(true);
    } finally {
      await sql.end();
    }
  });
});
