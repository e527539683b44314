import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { TRANSPORT_CONFIG, TransportConfig } from '@skills/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { Public } from '../auth/permissions';
import { backupHealth } from '../backup-status';
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

  /**
   * Ready when every service's database answers; reports the outbox backlog. A broker that does not
   * answer makes the answer `degraded` (naming `broker`), but still 200: commands go on being accepted
   * into the outbox and delivered once it is back, and the broker is shared, so a 503 would take every
   * replica out of its load balancer and turn an outage the outbox rides through into a whole one.
   * A projection with parked events makes the answer `degraded`, naming it, but still 200 too:
   * readiness decides whether a load balancer sends requests here, and the parked events are in the
   * shared database, so every replica would say the same: 503 would take them all out and turn one
   * stale read model into a whole outage that no restart heals. The other routes still answer rightly;
   * operators learn of it here, from `projection_parked_events` and in /admin/projections. Dead letters
   * of a consumer (messages it could not apply) degrade it the same way, for the same reason, naming the
   * consumer; `consumer_dead_letters` and /admin/dead-letters show them.
   */
  @Get('ready')
  @Public()
  async ready() {
    const checks: Record<string, unknown> = {};
    const degraded: string[] = [];
    let ok = this.registry.services.size > 0;
    for (const service of this.registry.services.values()) {
      try {
        await service.database.query('SELECT 1');
        const parked = (await service.projections.status()).filter((status) => status.parkedEvents > 0);
        const deadLetters = await service.deadLetters.counts();
        degraded.push(...parked.map((status) => `${service.name}/${status.projection}`), ...deadLetters.map((letters) => `${service.name}/${letters.consumer}`));
        checks[service.name] = {
          database: 'up',
          outboxBacklog: await service.relay.backlog(),
          ...(parked.length > 0 ? { parkedEvents: Object.fromEntries(parked.map((status) => [status.projection, status.parkedEvents])) } : {}),
          ...(deadLetters.length > 0 ? { deadLetters: Object.fromEntries(deadLetters.map((letters) => [letters.consumer, letters.count])) } : {}),
        };
      } catch (error) {
        ok = false;
        checks[service.name] = { database: 'down', error: (error as Error).message };
      }
    }
    if (this.transport.transport === 'kafka') {
      checks.broker = (await this.brokerUp()) ? 'up' : 'down';
      if (checks.broker === 'down') degraded.push('broker');
    }
    if (!ok) throw new ServiceUnavailableException({ message: 'not ready', checks });
    // The scheduled backup (all-in-one, BACKUP_DIR): when the last good one was taken, and the last failure.
    // A failed backup does not make the process unready: it still serves rightly, and taking it out of a
    // load balancer would not bring the backup back; operators alert on `backup_last_success_timestamp_seconds`.
    const backup = backupHealth();
    const answer = { checks, ...(backup ? { backup } : {}) };
    return degraded.length > 0 ? { status: 'degraded', degraded, ...answer } : { status: 'ok', ...answer };
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
