import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
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

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(registry: ServiceRegistry) {
    const services = () => [...registry.services.values()];
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
  }

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics() {
    return metricsRegistry.metrics();
  }
}
