import { ApiProperty } from '@nestjs/swagger';
import { readCertificateNumber } from '@skills/domain-kernel';
import { IsText } from '@skills/service-runtime';
import { Transform } from 'class-transformer';
import { IsString, ValidateBy } from 'class-validator';
import { CERTIFICATE_NUMBER_EXAMPLE, CERTIFICATE_NUMBER_PATTERN } from '../../certification-answers';

/** A certificate number in any case (answered in capitals), refused with the rule the path's number is refused with. */
function IsCertificateNumber(): PropertyDecorator {
  return ValidateBy({
    name: 'isCertificateNumber',
    validator: {
      // Not a string at all is isString's fault alone: one rule per fault.
      validate: (value) => typeof value !== 'string' || readCertificateNumber(value).ok,
      defaultMessage: (args) => {
        const reading = readCertificateNumber(String(args?.value));
        return `${args?.property}: ${reading.ok ? 'not a certificate number' : reading.problem}`;
      },
    },
  });
}

/**
 * The national lookup's question, in a body so the holder's name never stands in a URL (which proxies,
 * ingresses and browser histories keep).
 */
export class VerifyByNameDto {
  @ApiProperty({ pattern: CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE, description: 'A certificate number (domain.md section 1), in any case' })
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
