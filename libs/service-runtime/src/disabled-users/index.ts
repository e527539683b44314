import { Provider, Type } from '@nestjs/common';
import { DISABLED_USERS_CONSUMER, DisabledUsersConsumer } from './disabled-users.consumer';

export { DisabledUsers } from './disabled-users';
export { DisabledUsersSchema } from './disabled-users.schema';

/** What ServiceRuntimeModule adds to every service to learn of disabled users; the inbox name is `<service>.disabled-users`. */
export function disabledUsersFor(service: string): { controllers: Type[]; providers: Provider[] } {
  return {
    controllers: [DisabledUsersConsumer],
    providers: [{ provide: DISABLED_USERS_CONSUMER, useValue: `${service}.disabled-users` }],
  };
}
