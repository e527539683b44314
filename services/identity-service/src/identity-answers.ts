// What identity-service's routes answer, for the OpenAPI document (the handlers' own types say the same).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORGANISATION_KINDS, ROLES } from '@skills/contracts';
import { REGION_CODE } from '@skills/domain-kernel';
import { patternOf } from '@skills/service-runtime';
import { LOCALES } from './users/user.aggregate';

export class TokenAnswerDoc {
  @ApiProperty({ example: 'eyJhbGciOiJFUzI1NiIsImtpZCI6…' })
  access_token: string;
  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';
  @ApiProperty({ example: 300, description: 'Seconds the access token is valid (ACCESS_TOKEN_SECONDS, 300 by default)' })
  expires_in: number;
  @ApiPropertyOptional({ description: 'For the password and refresh_token grants; used once. None with a token for enrolling a second factor' })
  refresh_token?: string;
  @ApiPropertyOptional({ enum: ['totp_enrolment'], description: 'On a token that only enrols and confirms a second factor (scope totp_enrolment asked)' })
  scope?: 'totp_enrolment';
}

export class DiscoveryAnswer {
  @ApiProperty({ example: 'https://skills.zhuzhou.example.cn' })
  issuer: string;
  @ApiProperty()
  token_endpoint: string;
  @ApiProperty()
  jwks_uri: string;
  @ApiProperty({ type: [String], example: ['password', 'refresh_token', 'client_credentials'] })
  grant_types_supported: string[];
}

export class JwksAnswer {
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'Public JWKs (ES256), every unretired key' })
  keys: object[];
}

export class SigningKeyAnswer {
  @ApiProperty({ example: 'k-2021-06-01' })
  kid: string;
}

export class SigningKeyStateAnswer {
  @ApiProperty({ example: '6f1c2a9e-3d7b-4c55-9a0e-2b8f4e1d7c30' })
  kid: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({
    enum: ['signing', 'published', 'retired'],
    description: '`signing`: signs the tokens issued now; `published`: superseded, tokens it signed still verify (until `until`); `retired`: tokens it signed no longer verify',
  })
  state: 'signing' | 'published' | 'retired';
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it stopped (retired) or stops (published) verifying tokens; null for the signing key' })
  until: string | null;
}

export class SigningKeysAnswer {
  @ApiProperty({ type: [SigningKeyStateAnswer], description: 'Every signing key, newest first' })
  items: SigningKeyStateAnswer[];
}

export class PreferencesAnswer {
  @ApiProperty({ enum: LOCALES, example: 'zh-CN', description: "The console's language" })
  locale: string;
  @ApiProperty({ description: 'Larger type and simpler screens' })
  elderMode: boolean;
}

export class MeAnswer {
  @ApiProperty({ format: 'uuid' })
  userId: string;
  @ApiProperty({ example: 'zz-school-admin' })
  username: string;
  @ApiProperty({ enum: ROLES })
  role: string;
  @ApiProperty()
  orgAdmin: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  organisationId: string | null;
  @ApiProperty({ enum: ORGANISATION_KINDS, nullable: true })
  organisationKind: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  traineeId: string | null;
  @ApiProperty({ type: String, nullable: true, pattern: patternOf(REGION_CODE), example: '430200' })
  regionCode: string | null;
  @ApiProperty({ type: PreferencesAnswer, description: 'As GET /api/v1/me/preferences answers' })
  preferences: PreferencesAnswer;
  @ApiProperty({ description: 'Whether the user ever saved their preferences; false while `preferences` are the defaults nobody chose' })
  preferencesChosen: boolean;
  @ApiProperty({
    description:
      'Whether the password was set by someone else and must be changed first (the token says so): until then every other operation answers 403 `password_change_required`, but for reading and changing one’s preferences and POST /api/v1/users/{own id}/password. With the enrolment-only token (scope totp_enrolment), as the user’s state says: the password is changed once signed in with the second factor',
  })
  passwordChangeRequired: boolean;
}

export class DisabledUserAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: ['disabled'] })
  status: 'disabled';
}

export class TotpEnrolmentAnswer {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXP', description: 'Base32, shown this once' })
  secret: string;
  @ApiProperty({ example: 'otpauth://totp/skills:zz-school-admin?secret=JBSWY3DPEHPK3PXP&issuer=skills' })
  otpauthUri: string;
}

export class TotpConfirmedAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: ['confirmed'] })
  totp: 'confirmed';
}

export class TotpResetAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: ['none'] })
  totp: 'none';
}

export class ApiKeyAnswer {
  @ApiProperty({ example: 'key_Xq3vT9bLw2mZ8kPa' })
  clientId: string;
  @ApiProperty({ description: 'Shown this once' })
  clientSecret: string;
}

export class OrganisationAnswer {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: ORGANISATION_KINDS })
  kind: string;
  @ApiProperty({ example: '株洲市职业技术培训学校' })
  name: string;
  @ApiProperty({ type: String, nullable: true, example: '91430200MA4L00001P', description: 'null for a bureau' })
  creditCode: string | null;
  @ApiProperty({ pattern: patternOf(REGION_CODE), example: '430200' })
  regionCode: string;
}

export class OrganisationsPage {
  @ApiProperty({ type: [OrganisationAnswer] })
  items: OrganisationAnswer[];
  @ApiProperty({ type: String, nullable: true, description: 'null on the last page' })
  nextCursor: string | null;
}
