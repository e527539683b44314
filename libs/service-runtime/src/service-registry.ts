import { Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { OutboxRelay, ProjectionRunner } from '@skills/event-sourcing';
import { DeadLetters } from '@skills/messaging';

export interface RegisteredService {
  name: string;
  database: Database;
  relay: OutboxRelay;
  projections: ProjectionRunner;
  deadLetters: DeadLetters;
}

/** What the health, metrics and admin endpoints look at: every service module in this process. */
@Injectable()
export class ServiceRegistry {
  readonly services = new Map<string, RegisteredService>();

  register(service: RegisteredService): void {
    this.services.set(service.name, service);
  }

  get(name: string): RegisteredService | undefined {
    return this.services.get(name);
  }
}
