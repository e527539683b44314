import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DomainRefusal } from '@skills/domain-kernel';
import { CommandPipeline, mustNotExist } from '@skills/event-sourcing';
import { LocalIssuer } from '@skills/service-runtime';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { SigningKeys } from '../tokens/signing-keys';
import { hashPassword } from './passwords';
import { userAggregate, userStreamId } from './user.aggregate';
import { usernameClaim, Users } from './users';

/** Where the generated password of the first admin is written (mode 600), when ADMIN_PASSWORD is unset. */
export const ADMIN_PASSWORD_FILE = Symbol('ADMIN_PASSWORD_FILE');

/**
 * On a fresh identity schema: the user `admin` (platform_admin) with ADMIN_PASSWORD, or a generated
 * password printed once and written to the admin-password file (api.md "Identity and access"). Also
 * registers this process's issuer, so services in the same process verify tokens without HTTP.
 */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('identity');

  constructor(
    private readonly users: Users,
    private readonly commands: CommandPipeline,
    private readonly keys: SigningKeys,
    private readonly local: LocalIssuer,
    @Inject(ADMIN_PASSWORD_FILE) private readonly passwordFile: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.local.register({ jwks: () => this.keys.jwks(), isActive: (userId) => this.users.isActive(userId) });
    if ((await this.users.count()) > 0) return;
    const given = process.env.ADMIN_PASSWORD;
    const password = given || randomBytes(18).toString('base64url');
    const userId = randomUUID();
    // A generated password was seen by whoever read the log or the file: the admin chooses their own at the first sign-in.
    const temporaryPassword = !given;
    const admin = { userId, role: 'platform_admin' as const, organisationId: null, traineeId: null, orgAdmin: false, passwordHash: await hashPassword(password), temporaryPassword };
    const created = await this.commands.handle({
      stream: mustNotExist(userStreamId(userId)),
      aggregate: userAggregate,
      command: { type: 'CreateUser', user: admin, organisation: null, by: { ...admin, username: 'admin', organisationKind: null, regionCode: null, via: 'system' } },
      claims: [usernameClaim('admin', userId)],
    }).catch((error: unknown) => {
      // Another replica of identity-service created it first: that one printed the password.
      if (!(error instanceof DomainRefusal && error.rule === 'username_taken')) throw error;
      return undefined;
    });
    if (!created) return;
    if (given) return;
    // Printed once, on purpose: the person starting the platform needs it to sign in. Printed whether or not
    // the file can be written (an image's read-only or missing directory): the user exists from now on, and
    // a start that failed here would never create it again, nor say its password.
    const written = (() => {
      try {
        writeFileSync(this.passwordFile, `${password}\n`, { mode: 0o600 });
        return `also in ${this.passwordFile}, mode 600`;
      } catch (error) {
        return `it could not be written to ${this.passwordFile} (${(error as NodeJS.ErrnoException).code ?? 'error'}): this is its only copy`;
      }
    })();
    console.log(`identity: created the user admin with the password ${password} (${written})`);
    this.logger.log('created the first platform admin');
  }
}
