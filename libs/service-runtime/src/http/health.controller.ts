import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { TRANSPORT_CONFIG, TransportConfig } from '@skills/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { Public } from '../auth/permissions';
import { ServiceRegistry } from '../service-registry';

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly registry: ServiceRegistry,
    @Inject(TRANSPORT_CONFIG) private readonly transport: TransportConfig,
  ) {}

  @Get('live')
  @Public()
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Ready when every service's database answers and, on Kafka, the broker does; reports the outbox backlog. */
  @Get('ready')
  @Public()
  async ready() {
    const checks: Record<string, unknown> = {};
    let ok = this.registry.services.size > 0;
    for (const service of this.registry.services.values()) {
      try {
        await service.database.query('SELECT 1');
        checks[service.name] = { database: 'up', outboxBacklog: await service.relay.backlog() };
      } catch (error) {
        ok = false;
        checks[service.name] = { database: 'down', error: (error as Error).message };
      }
    }
    if (this.transport.transport === 'kafka') checks.broker = (await this.brokerUp()) ? 'up' : ((ok = false), 'down');
    if (!ok) throw new ServiceUnavailableException({ message: 'not ready', checks });
    return { status: 'ok', checks };
  }

  private async brokerUp(): Promise<boolean> {
    const admin = new Kafka({ clientId: 'health', brokers: this.transport.kafkaBrokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
