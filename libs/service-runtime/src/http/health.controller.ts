import { Controller, Get, HttpCode, Inject, Logger, Optional, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { describeFailure } from '@skills/event-sourcing';
import { BROKER_LINK, BrokerLink, TRANSPORT_CONFIG, TransportConfig } from '@skills/messaging';
import { Kafka, logLevel } from 'kafkajs';
import { Public } from '../auth/permissions';
import { backupHealth } from '../backup-status';
import { ServiceRegistry } from '../service-registry';

/**
 * How long readiness waits for the broker to answer: well inside a probe's timeout (3 s in k8s/, 2 s
 * where the gateway and the launcher ask), so a broker that accepts connections but never answers makes
 * the answer `degraded` rather than no answer at all, which a probe would count as unready.
 */
export const BROKER_CHECK_TIMEOUT_MS = 1000;
/** How long one look at the broker stands: the probes of a replica (and anyone's GETs) share it rather than each opening a client. */
export const BROKER_CHECK_REUSE_MS = 5000;

@ApiExcludeController()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  /** The last look at the broker, while it runs and for BROKER_CHECK_REUSE_MS after it began. */
  private brokerCheck?: { startedAt: number; up: Promise<boolean> };

  constructor(
    private readonly registry: ServiceRegistry,
    @Inject(TRANSPORT_CONFIG) private readonly transport: TransportConfig,
    @Optional() @Inject(BROKER_LINK) private readonly link?: BrokerLink,
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
   * consumer; `consumer_dead_letters` and /admin/dead-letters show them. A broker that answers while
   * this host has not yet made its link to it (BrokerLink: it started during an outage, and tries again
   * with backoff) is `connecting`, and degrades the answer as well.
   */
  @Get('ready')
  @Public()
  async ready() {
    const checks: Record<string, unknown> = {};
    const degraded: string[] = [];
    let ok = this.registry.services.size > 0;
    // Asked while the databases are: readiness answers within the broker's bound plus theirs, not the sum.
    const broker = this.transport.transport === 'kafka' ? this.brokerUp() : undefined;
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
        // The driver's words name hosts, users and databases: kept for the log, not for anyone who asks.
        this.logger.warn(`${service.name}: database check failed: ${describeFailure(error)}`);
        checks[service.name] = { database: 'down', error: 'the database did not answer' };
      }
    }
    if (broker) {
      checks.broker = !(await broker) ? 'down' : this.link && !this.link.connected ? 'connecting' : 'up';
      if (checks.broker !== 'up') degraded.push('broker');
    }
    if (!ok) throw new ServiceUnavailableException({ message: 'not ready', checks });
    // The scheduled backup (all-in-one, BACKUP_DIR): when the last good one was taken, and the last failure.
    // A failed backup does not make the process unready: it still serves rightly, and taking it out of a
    // load balancer would not bring the backup back; operators alert on `backup_last_success_timestamp_seconds`.
    const backup = backupHealth();
    const answer = { checks, ...(backup ? { backup } : {}) };
    return degraded.length > 0 ? { status: 'degraded', degraded, ...answer } : { status: 'ok', ...answer };
  }

  /** One look at a time, reused for a few seconds: probes arriving together never pile up clients on a broker that hangs. */
  private brokerUp(): Promise<boolean> {
    const now = Date.now();
    if (!this.brokerCheck || now - this.brokerCheck.startedAt >= BROKER_CHECK_REUSE_MS) {
      this.brokerCheck = { startedAt: now, up: brokerAnswers(this.transport.kafkaBrokers, BROKER_CHECK_TIMEOUT_MS) };
    }
    return this.brokerCheck.up;
  }
}

/**
 * Whether the broker answers within `timeoutMs`: connected and described, with kafkajs's own timeouts at
 * that bound (its request timeout is 30 s by default) and a timer besides, so no answer counts as down.
 * The client is always disconnected, also when the timer won and its attempt ends later.
 */
export async function brokerAnswers(brokers: string[], timeoutMs: number): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'health',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  }).admin();
  const disconnect = () => admin.disconnect().catch(() => undefined);
  const attempt = (async () => {
    await admin.connect();
    await admin.describeCluster();
    return true;
  })().catch(() => false);
  void attempt.then(disconnect);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const up = await Promise.race([attempt, timedOut]);
    if (!up) void disconnect();
    return up;
  } finally {
    clearTimeout(timer);
  }
}
