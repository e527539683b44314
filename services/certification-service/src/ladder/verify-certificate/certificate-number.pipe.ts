import { Injectable, PipeTransform } from '@nestjs/common';
import { readCertificateNumber } from '@skills/domain-kernel';
import { InvalidInput } from '@skills/service-runtime';

/** A malformed number in the path is a 400 naming the rule, not a 404 or a 500. */
@Injectable()
export class CertificateNumberPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const number = value.toUpperCase();
    const reading = readCertificateNumber(number);
    if (!reading.ok) throw new InvalidInput([{ field: 'number', rule: 'isCertificateNumber', message: reading.problem }]);
    return number;
  }
}
