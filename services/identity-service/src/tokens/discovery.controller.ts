import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { CurrentCaller, Permission, Public, UuidParam } from '@skills/service-runtime';
import { AccessTokens } from './access-tokens';
import { SigningKeys } from './signing-keys';
import { DiscoveryAnswer, JwksAnswer, SigningKeyAnswer, SigningKeysAnswer, SigningKeyStateAnswer } from '../identity-answers';

/** The issuer as OpenID Connect discovery describes it, and its public keys. */
@ApiTags('identity')
@Controller()
export class DiscoveryController {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly keys: SigningKeys,
  ) {}

  @Get('.well-known/openid-configuration')
  @ApiOperation({ summary: 'OpenID discovery', description: 'The issuer\'s metadata (RFC 8414): token endpoint, key set, grants.' })
  @Public()
  @ApiOkResponse({ type: DiscoveryAnswer, description: 'The discovery document (RFC 8414 / OpenID Connect Discovery)' })
  configuration() {
    const issuer = this.tokens.issuer;
    return {
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['password', 'refresh_token', 'client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      id_token_signing_alg_values_supported: ['ES256'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      claims_supported: ['sub', 'username', 'role', 'org', 'orgKind', 'orgAdmin', 'trainee', 'via', 'auth_time', 'sessions_ended'],
    };
  }

  @Get('.well-known/jwks.json')
  @ApiOperation({ summary: 'Signing keys', description: 'The public keys (JWKS) access tokens are signed with.' })
  @Public()
  @ApiOkResponse({ type: JwksAnswer, description: 'The public keys access tokens are verified with: the signing key, and those it superseded in the last hour (and two minutes) unless retired' })
  jwks() {
    return this.keys.jwks();
  }

  /** A new signing key; tokens signed with the previous ones stay valid until they expire. */
  @Post('admin/identity/signing-keys/rotate')
  @ApiOperation({
    summary: 'Rotate the signing key',
    description: 'Creates a new signing key; the one it supersedes stays published for an hour and two minutes (the longest an access token lives, and clocks apart), so tokens it signed stay valid until they expire. Retire it at once if it leaked.',
  })
  @HttpCode(200)
  @Permission('signing-keys:rotate')
  @ApiOkResponse({ type: SigningKeyAnswer, description: '{kid} of the new signing key' })
  rotate(@CurrentCaller() caller: Caller) {
    return this.keys.rotate(caller);
  }

  @Get('admin/identity/signing-keys')
  @ApiOperation({ summary: 'Signing keys', description: 'Every signing key of the issuer, newest first: the one that signs, those still published and those retired.' })
  @Permission('signing-keys:rotate')
  @ApiOkResponse({ type: SigningKeysAnswer })
  async list(): Promise<SigningKeysAnswer> {
    return { items: await this.keys.list() };
  }

  /** A key that leaked: tokens it signed stop working (a client signs in again with its refresh token, which is not signed). */
  @Post('admin/identity/signing-keys/:kid/retire')
  @ApiOperation({
    summary: 'Retire a signing key',
    description: 'Tokens the key signed stop verifying: at once in this process, within a minute in the others. Clients renew theirs with their refresh tokens. The signing key is retired by rotating first.',
  })
  @HttpCode(200)
  @Permission('signing-keys:rotate')
  @ApiOkResponse({ type: SigningKeyStateAnswer, description: 'The key, retired' })
  @ApiNotFoundResponse({ description: 'No signing key with this kid' })
  @ApiConflictResponse({ description: 'signing_key_in_use: it signs the tokens issued now (rotate first); signing_key_already_retired' })
  retire(@UuidParam('kid') kid: string, @CurrentCaller() caller: Caller): Promise<SigningKeyStateAnswer> {
    return this.keys.retire(kid, caller);
  }
}
