// CatchUp.lookUp with a broker that cannot be asked (nothing listens at its address): the id is still
// looked for, and taken when it comes; one that never comes is FactsNotCaughtUp (503), never "unknown".
import { TransportConfig } from '@skills/messaging';
import { RuntimeConfig } from '../runtime-config';
import { ServiceRegistry } from '../service-registry';
import { CatchUp, FactsNotCaughtUp } from './catch-up';

describe('CatchUp.lookUp, the broker unreachable', () => {
  let catchUp: CatchUp;

  beforeAll(() => {
    const transport = { transport: 'kafka', clientId: 'catch-up-spec', kafkaBrokers: ['127.0.0.1:1'] } as TransportConfig;
    catchUp = new CatchUp(transport, { catchUpWaitMs: 1500 } as RuntimeConfig, new ServiceRegistry());
  });

  afterAll(() => catchUp.onApplicationShutdown());

  it('takes an id that arrives while the broker cannot say how far this service has come', async () => {
    let looks = 0;
    expect(await catchUp.lookUp(['skills.trainee.events.v1'], async () => (++looks >= 3 ? { traineeId: 't' } : undefined))).toEqual({ traineeId: 't' });
  });

  it('answers FactsNotCaughtUp, not unknown, for one that never arrives', async () => {
    await expect(catchUp.lookUp(['skills.trainee.events.v1'], async () => undefined)).rejects.toBeInstanceOf(FactsNotCaughtUp);
  });
});
