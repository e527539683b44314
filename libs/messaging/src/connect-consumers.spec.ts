// How a host's message handlers are wired (connectConsumers), on a real Nest app and the in-process bus:
// a handler's error reaches the transport as thrown (its chunk decides on it), and the app's global
// interceptors, which are for HTTP, are not run for messages.
import { CallHandler, Controller, ExecutionContext, INestApplication, Module, NestInterceptor } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { IntegrationEnvelope } from '@skills/contracts';
import { InProcessTransport } from './in-process-transport';
import { connectConsumers, MESSAGE_PUBLISHER, MessagingModule } from './messaging.module';

const TOPIC = 'skills.probe.events.v1';
/** What the probe's handler does with the next message of each type. */
const behaviour = new Map<string, () => void>();
let handled = 0;
let intercepted = 0;

@Controller()
class ProbeConsumer {
  @EventPattern(TOPIC)
  onProbe(@Payload() envelope: IntegrationEnvelope): void {
    handled++;
    behaviour.get(envelope.type)?.();
  }
}

@Module({ imports: [MessagingModule.forRoot({ transport: 'in-process', kafkaBrokers: [], clientId: 'probe' })], controllers: [ProbeConsumer] })
class ProbeModule {}

class Counting implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    intercepted++;
    return next.handle();
  }
}

const message = (type: string) => ({
  topic: TOPIC,
  key: 'a-1',
  envelope: { eventId: randomUUID(), type, schemaVersion: 1, aggregateId: 'a-1', aggregateVersion: 1, occurredAt: '2026-01-01', recordedAt: '2026-01-01T00:00:00Z', correlationId: 'probe', payload: {} },
});

describe('connectConsumers: the handlers of a Nest host on its bus', () => {
  let app: INestApplication;
  let bus: InProcessTransport;

  beforeAll(async () => {
    app = await NestFactory.create(ProbeModule, { logger: false });
    app.useGlobalInterceptors(new Counting());
    connectConsumers(app);
    await app.startAllMicroservices();
    await app.init();
    bus = app.get<InProcessTransport>(MESSAGE_PUBLISHER);
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    handled = 0;
    intercepted = 0;
  });

  it("hands a handler's error to the transport as it was thrown, not as Nest's generic 'Internal server error'", async () => {
    const refusal = new Error('probe refuses this message');
    behaviour.set('Refused', () => {
      throw refusal;
    });
    await expect(bus.publish([message('Refused')])).rejects.toBe(refusal);
  });

  it("lets the chunk see a transient database error for what it is: the chunk is applied again, and the message's effect taken", async () => {
    let deadlocks = 1;
    behaviour.set('Deadlocked', () => {
      if (deadlocks-- > 0) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    });
    await bus.publish([message('Deadlocked')]);
    expect(handled).toBe(2);
  });

  it('runs none of the app’s global interceptors for a message', async () => {
    await bus.publish([message('Plain')]);
    expect({ handled, intercepted }).toEqual({ handled: 1, intercepted: 0 });
  });
});
