import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** RFC 7009 revocation request, as JSON or as a form (application/x-www-form-urlencoded). */
export class RevokeTokenDto {
  @ApiProperty({ description: 'The refresh token whose session ends' })
  @IsString()
  @Length(1, 200)
  token: string;

  @ApiPropertyOptional({ description: 'refresh_token or access_token: a hint only (RFC 7009 section 2.1); an access token lives out its minutes' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  token_type_hint?: string;
}
