import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '@skills/service-runtime';
import { Transform } from 'class-transformer';
import { IsString } from 'class-validator';
import { CERTIFICATE_NUMBER_EXAMPLE, RECORDED_CERTIFICATE_NUMBER_DESCRIPTION, RECORDED_CERTIFICATE_NUMBER_PATTERN } from '../../certification-answers';
import { IsCertificateNumber } from './is-certificate-number';

/**
 * The national lookup's question, in a body so the holder's name never stands in a URL (which proxies,
 * ingresses and browser histories keep).
 */
export class VerifyByNameDto {
  @ApiProperty({ pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE, description: RECORDED_CERTIFICATE_NUMBER_DESCRIPTION })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @IsCertificateNumber()
  number: string;

  @ApiProperty({
    example: '王建国',
    maxLength: 100,
    description: "The holder's full name: when it is not the holder's (compared as people type it: spaces, width and such aside), the answer is 404 as for an unknown number",
  })
  @IsText({ maxLength: 100 })
  holderName: string;
}
