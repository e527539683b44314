import { Injectable, Logger } from '@nestjs/common';
import { Database, NotificationListener } from '@skills/postgres';
import { disabledUsersChannel } from './disabled-users.schema';

/**
 * The disabled users this process knows of, for the AuthGuard of a process without the identity module
 * (Authentication). The guard runs on every request, so the answer is a lookup in an in-memory Set, not
 * a database read. The set stays small (disabled users only) and only grows: there is no way back for
 * a disabled user. It is filled from each service's `disabled_users` at start and read again whenever a
 * consumer records one there: the NOTIFY goes out only after that commit, and reaches every replica of
 * the service (a Kafka message reaches just one replica of a consumer group, so the consumer cannot
 * simply add to its own process's set). A listener that reconnects reads again, so nothing is missed.
 */
@Injectable()
export class DisabledUsers {
  private readonly logger = new Logger(DisabledUsers.name);
  private readonly users = new Set<string>();

  has(userId: string): boolean {
    return this.users.has(userId);
  }

  /** Reads a service's `disabled_users` now and after every change; stop the listener at shutdown. */
  async follow(database: Database): Promise<NotificationListener> {
    const read = async () => {
      const { rows } = await database.query<{ user_id: string }>('SELECT user_id FROM disabled_users');
      for (const row of rows) this.users.add(row.user_id);
    };
    await read();
    const listener = new NotificationListener(database.options.url, [disabledUsersChannel(database.schema)], () =>
      read().catch((error: unknown) => this.logger.warn(`${database.schema}: disabled users not read: ${error instanceof Error ? error.message : String(error)}`)),
    );
    await listener.start();
    return listener;
  }
}
