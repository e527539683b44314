import { Controller, Get, Header, OnModuleDestroy } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { Permission } from '../auth/permissions';
import { backupStatus } from '../backup-status';
import { ServiceRegistry } from '../service-registry';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpLatency = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

/** Every host in this process (tests start several); the gauges below collect from all of them. */
const liveRegistries = new Set<ServiceRegistry>();
const services = () => [...liveRegistries].flatMap((registry) => [...registry.services.values()]);

new Gauge({
  name: 'outbox_backlog',
  help: 'Integration events written but not yet published',
  labelNames: ['service'],
  registers: [metricsRegistry],
  async collect() {
    for (const service of services()) this.set({ service: service.name }, await service.relay.backlog());
  },
});

new Gauge({
  name: 'projection_lag_events',
  help: 'Events in the log not yet applied by a projection',
  labelNames: ['service', 'projection'],
  registers: [metricsRegistry],
  async collect() {
    for (const service of services())
      for (const status of await service.projections.status()) this.set({ service: service.name, projection: status.projection }, status.lag);
  },
});

new Gauge({
  name: 'projection_parked_events',
  help: 'Events a projection could not apply and moved past; retried through /admin/projections',
  labelNames: ['service', 'projection'],
  registers: [metricsRegistry],
  async collect() {
    for (const service of services())
      for (const status of await service.projections.status()) this.set({ service: service.name, projection: status.projection }, status.parkedEvents);
  },
});

new Gauge({
  name: 'consumer_dead_letters',
  help: 'Messages a consumer could not apply and parked as dead letters; retried through /admin/dead-letters',
  labelNames: ['service', 'consumer'],
  registers: [metricsRegistry],
  async collect() {
    // Only consumers with letters are known: a retried letter's series goes rather than staying at its last count.
    this.reset();
    for (const service of services())
      for (const { consumer, count } of await service.deadLetters.counts()) this.set({ service: service.name, consumer }, count);
  },
});

// The scheduled backup (all-in-one, BACKUP_DIR): absent until one was taken or failed, so an alert on
// `time() - backup_last_success_timestamp_seconds > …` also fires when none ever succeeded (absent()).
for (const [name, help, at] of [
  ['backup_last_success_timestamp_seconds', 'When the last scheduled backup that completed was taken (Unix time)', () => backupStatus.lastSuccessAt],
  ['backup_last_failure_timestamp_seconds', 'When the last scheduled backup failed (Unix time)', () => backupStatus.lastFailureAt],
  ['backup_last_prune_failure_timestamp_seconds', 'When older scheduled backups could not be deleted after a good one (Unix time)', () => backupStatus.lastPruneFailureAt],
  ['erasure_ledger_last_failure_timestamp_seconds', 'When an erasure could not be written into the erasure ledger beside the backups (Unix time)', () => backupStatus.erasureLedgerFailureAt],
] as const) {
  new Gauge({
    name,
    help,
    registers: [metricsRegistry],
    collect() {
      this.reset();
      const time = at();
      if (time) this.set(time.getTime() / 1000);
    },
  });
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController implements OnModuleDestroy {
  constructor(private readonly registry: ServiceRegistry) {
    liveRegistries.add(registry);
  }

  onModuleDestroy(): void {
    liveRegistries.delete(this.registry);
  }

  @Get()
  @Permission('admin:operate')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics() {
    return metricsRegistry.metrics();
  }
}
