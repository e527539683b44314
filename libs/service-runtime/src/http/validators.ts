import { isRealDate, isValidCreditCode, readIdentityNumber, readRegionCode } from '@skills/domain-kernel';
import { ValidateBy, ValidationOptions } from 'class-validator';

/** Field rules shared by every service's request bodies; the decorator name is the rule's name. */

/** The number itself; a birth date after today is the trainee aggregate's rule (it knows the clock). */
export function IsIdentityNumber(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIdentityNumber',
      validator: {
        validate: (value) => typeof value === 'string' && readIdentityNumber(value).ok,
        defaultMessage: (args) => {
          const result = typeof args?.value === 'string' ? readIdentityNumber(args.value) : undefined;
          const problem = result && !result.ok ? result.problem : 'format';
          return `${args?.property} must be an 18-character resident identity number (GB 11643); problem: ${problem}`;
        },
      },
    },
    options,
  );
}

export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCreditCode',
      validator: {
        validate: (value) => typeof value === 'string' && isValidCreditCode(value),
        defaultMessage: (args) => `${args?.property} must be an 18-character unified social credit code with a valid check character (GB 32100)`,
      },
    },
    options,
  );
}

/** A GB/T 2260 code of a real province: certificate numbers and region filters are built from it. */
export function IsRegionCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRegionCode',
      validator: {
        validate: (value) => typeof value === 'string' && readRegionCode(value).ok,
        defaultMessage: (args) => {
          const reading = typeof args?.value === 'string' ? readRegionCode(args.value) : undefined;
          return `${args?.property}: ${reading && !reading.ok ? reading.problem : 'a region code is 6 digits (GB/T 2260), e.g. 430200'}`;
        },
      },
    },
    options,
  );
}

export function IsBusinessDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBusinessDate',
      validator: {
        validate: (value) => typeof value === 'string' && isRealDate(value),
        defaultMessage: (args) => `${args?.property} must be a real calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
}
