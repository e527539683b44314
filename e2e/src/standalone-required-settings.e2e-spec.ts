// certification-service, placement-service and training-service deployed on their own ask trainee-service a person's age on
// a date (training: an enrolment's) and whether a registration still stands (TraineeAges): without TRAINEE_SERVICE_URL they would
// ask nobody, and those rules would judge nothing. So each refuses to start without it, saying why.
import { runServiceMain } from '@skills/testing';

describe('a service whose rules ask trainee-service refuses to start on its own without TRAINEE_SERVICE_URL', () => {
  it.each(['certification-service', 'placement-service', 'training-service'])('%s exits at once, naming the setting and why', async (service) => {
    const started = await runServiceMain(service, { DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' });
    expect(started).toEqual({ code: 1, output: expect.stringContaining('TRAINEE_SERVICE_URL is required: trainee-service') });
    expect(started.output).toContain('without it those rules would judge nothing');
  }, 90_000);
});
