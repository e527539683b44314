import { PickType } from '@nestjs/swagger';
import { OCCUPATION_EDITIONS } from '@skills/domain-kernel';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { CertifyDto } from '../certify/certify.dto';
import { IsCertificateNumber } from '../verify-certificate/is-certificate-number';

/**
 * A row of a `certificates` import (api.md, Imports): the holder, occupation, level and date checked by
 * the certification's own rules (CertifyDto), the number by verification's, so a refused row names the
 * field and rule the API's 400 would. No route: an imported certificate is recorded as it was issued.
 */
export class ImportedCertificateDto extends PickType(CertifyDto, ['traineeId', 'occupationCode', 'level', 'certifiedOn'] as const) {
  /** The current format (its evaluator code must be the importing evaluator's), or an earlier one kept as given. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsString()
  @IsCertificateNumber()
  certificateNumber: string;

  /** The classification edition the occupation code is from; 2022 (the current one) unless the file says. */
  @IsOptional()
  @IsIn(OCCUPATION_EDITIONS)
  occupationEdition?: (typeof OCCUPATION_EDITIONS)[number];
}
