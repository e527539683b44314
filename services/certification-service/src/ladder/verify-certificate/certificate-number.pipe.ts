import { Injectable, PipeTransform } from '@nestjs/common';
import { readRecordedCertificateNumber } from '@skills/domain-kernel';
import { InvalidInput } from '@skills/service-runtime';

/**
 * A number a certificate may carry (the current format, or an earlier one an import kept as issued);
 * a malformed one in the path is a 400 naming the rule, not a 404 or a 500.
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
