import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** RFC 7009 revocation request, as JSON or as a form (application/x-www-form-urlencoded). */
export class RevokeTokenDto {
  @ApiProperty({ description: 'The refresh token whose session ends (an access token, a JWT, is taken and changes nothing)', maxLength: 4096 })
  @IsString()
  @Length(1, 4096)
  token: string;

  @ApiPropertyOptional({ description: 'refresh_token or access_token: a hint only (RFC 7009 section 2.1); an access token lives out its minutes' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  token_type_hint?: string;

  @ApiPropertyOptional({ description: 'What a public client sends with it (RFC 7009 section 2.1): not needed, the token is the authority; ignored' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  client_id?: string;
}
