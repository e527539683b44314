import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permission, Public } from '@skills/service-runtime';
import { AccessTokens } from './access-tokens';
import { SigningKeys } from './signing-keys';
import { DiscoveryAnswer, JwksAnswer, SigningKeyAnswer } from '../identity-answers';

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
      claims_supported: ['sub', 'username', 'role', 'org', 'orgKind', 'orgAdmin', 'trainee', 'via'],
    };
  }

  @Get('.well-known/jwks.json')
  @ApiOperation({ summary: 'Signing keys', description: 'The public keys (JWKS) access tokens are signed with.' })
  @Public()
  @ApiOkResponse({ type: JwksAnswer, description: 'The public keys access tokens are signed with (every unretired key)' })
  jwks() {
    return this.keys.jwks();
  }

  /** A new signing key; tokens signed with the previous ones stay valid until they expire. */
  @Post('admin/identity/signing-keys/rotate')
  @ApiOperation({ summary: 'Rotate the signing key', description: 'Creates a new signing key; tokens signed with the older ones stay valid until they expire.' })
  @HttpCode(200)
  @Permission('signing-keys:rotate')
  @ApiOkResponse({ type: SigningKeyAnswer, description: '{kid} of the new signing key' })
  rotate() {
    return this.keys.rotate();
  }
}
