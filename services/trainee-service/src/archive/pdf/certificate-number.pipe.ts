import { Injectable, PipeTransform } from '@nestjs/common';
import { readRecordedCertificateNumber } from '@skills/domain-kernel';
import { InvalidInput } from '@skills/service-runtime';

/**
 * As certification-service reads the number of its verification URL (the current format, or an earlier
 * one an import kept as issued): a malformed one is a 400 naming the rule.
 */
@Injectable()
export class CertificateNumberPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const number = value.toUpperCase();
    const reading = readRecordedCertificateNumber(number);
    if (!reading.ok) throw new InvalidInput([{ field: 'number', rule: 'isCertificateNumber', message: reading.problem }]);
    return number;
  }
}
