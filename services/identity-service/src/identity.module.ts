import { Module } from '@nestjs/common';
import { organisationReplicaFor, ServiceRuntimeModule } from '@skills/service-runtime';
import { join } from 'node:path';
import { ActivationCodes } from './activation-codes/activation-codes';
import { TraineeAccountsConsumer } from './activation-codes/trainee-accounts.consumer';
import { ApiKeys } from './api-keys/api-keys';
import { CreateApiKeyController } from './api-keys/create-api-key/create-api-key.controller';
import { CreateApiKeyHandler } from './api-keys/create-api-key/create-api-key.handler';
import { ListApiKeysController } from './api-keys/list-api-keys/list-api-keys.controller';
import { RevokeApiKeyController } from './api-keys/revoke-api-key/revoke-api-key.controller';
import { RevokeApiKeyHandler } from './api-keys/revoke-api-key/revoke-api-key.handler';
import { AuditEntriesConsumer } from './audit/audit-entries.consumer';
import { ListAuditEntriesController } from './audit/list-audit-entries.controller';
import { identityMigrations } from './identity.migrations';
import { ChangePreferencesController } from './me/change-preferences/change-preferences.controller';
import { ChangePreferencesHandler } from './me/change-preferences/change-preferences.handler';
import { GetMeController } from './me/get-me.controller';
import { GetPreferencesController } from './me/get-preferences.controller';
import { ListOrganisationsController } from './organisations/list-organisations.controller';
import { AccessTokens } from './tokens/access-tokens';
import { DiscoveryController } from './tokens/discovery.controller';
import { IssueTokenController } from './tokens/issue-token/issue-token.controller';
import { RevokeTokenController } from './tokens/revoke-token/revoke-token.controller';
import { IssueTokenHandler } from './tokens/issue-token/issue-token.handler';
import { RefreshTokens } from './tokens/refresh-tokens';
import { SignInLimits } from './tokens/sign-in-limits';
import { SigningKeys } from './tokens/signing-keys';
import { ActivateUserController } from './users/activate-user/activate-user.controller';
import { ActivateUserHandler } from './users/activate-user/activate-user.handler';
import { ChangePasswordController } from './users/change-password/change-password.controller';
import { ChangePasswordHandler } from './users/change-password/change-password.handler';
import { ConfirmTotpController } from './users/confirm-totp/confirm-totp.controller';
import { ConfirmTotpHandler } from './users/confirm-totp/confirm-totp.handler';
import { ResetTotpController } from './users/reset-totp/reset-totp.controller';
import { ResetTotpHandler } from './users/reset-totp/reset-totp.handler';
import { CreateUserController } from './users/create-user/create-user.controller';
import { CreateUserHandler } from './users/create-user/create-user.handler';
import { DisableUserController } from './users/disable-user/disable-user.controller';
import { DisableUserHandler } from './users/disable-user/disable-user.handler';
import { EnrolTotpController } from './users/enrol-totp/enrol-totp.controller';
import { EnrolTotpHandler } from './users/enrol-totp/enrol-totp.handler';
import { ListUsersController } from './users/list-users/list-users.controller';
import { userDirectory } from './users/list-users/user-directory.projection';
import { ADMIN_PASSWORD_FILE, FirstAdmin } from './users/first-admin';
import { REQUIRE_TOTP_ROLES, requiredTotpRoles, Totps } from './users/totps';
import { CurrentPasswords } from './users/current-passwords';
import { Users } from './users/users';

const organisations = organisationReplicaFor('identity');

/**
 * Users, sign-in (with an optional TOTP second factor), tokens and their keys, API keys: the platform as
 * its own token issuer; and the public register of organisations, kept from their registration events.
 */
@Module({
  imports: [ServiceRuntimeModule.forService({ name: 'identity', migrations: identityMigrations, projections: [userDirectory] })],
  controllers: [
    IssueTokenController,
    RevokeTokenController,
    DiscoveryController,
    GetMeController,
    GetPreferencesController,
    ChangePreferencesController,
    CreateUserController,
    ListUsersController,
    ActivateUserController,
    DisableUserController,
    ChangePasswordController,
    EnrolTotpController,
    ConfirmTotpController,
    ResetTotpController,
    CreateApiKeyController,
    ListApiKeysController,
    RevokeApiKeyController,
    ListOrganisationsController,
    ...organisations.controllers,
    TraineeAccountsConsumer,
    ListAuditEntriesController,
    AuditEntriesConsumer,
  ],
  providers: [
    Users,
    CurrentPasswords,
    ...organisations.providers,
    SigningKeys,
    AccessTokens,
    RefreshTokens,
    SignInLimits,
    ApiKeys,
    IssueTokenHandler,
    CreateUserHandler,
    ActivateUserHandler,
    ActivationCodes,
    DisableUserHandler,
    ChangePasswordHandler,
    ChangePreferencesHandler,
    Totps,
    EnrolTotpHandler,
    ConfirmTotpHandler,
    ResetTotpHandler,
    CreateApiKeyHandler,
    RevokeApiKeyHandler,
    FirstAdmin,
    { provide: REQUIRE_TOTP_ROLES, useFactory: () => requiredTotpRoles(process.env.REQUIRE_TOTP_ROLES) },
    { provide: ADMIN_PASSWORD_FILE, useFactory: () => process.env.ADMIN_PASSWORD_FILE ?? join(process.cwd(), '.data', 'admin-password') },
  ],
})
export class IdentityModule {}
