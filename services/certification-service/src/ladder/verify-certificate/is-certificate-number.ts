import { readRecordedCertificateNumber } from '@skills/domain-kernel';
import { ValidateBy } from 'class-validator';

/**
 * A certificate number in capitals (callers upper-case what people type): the current format or an
 * earlier one an import kept as issued; refused with the rule the path's number is refused with.
 */
export function IsCertificateNumber(): PropertyDecorator {
  return ValidateBy({
    name: 'isCertificateNumber',
    validator: {
      // Not a string at all is isString's fault alone: one rule per fault.
      validate: (value) => typeof value !== 'string' || readRecordedCertificateNumber(value).ok,
      defaultMessage: (args) => {
        const reading = readRecordedCertificateNumber(String(args?.value));
        return `${args?.property}: ${reading.ok ? 'not a certificate number' : reading.problem}`;
      },
    },
  });
}
