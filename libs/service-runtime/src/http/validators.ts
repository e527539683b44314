import { businessDateOf, isRealDate, isValidCreditCode, readIdentityNumber } from '@skills/domain-kernel';
import { ValidateBy, ValidationOptions } from 'class-validator';

/** Field rules shared by every service's request bodies; the decorator name is the rule's name. */

export function IsIdentityNumber(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIdentityNumber',
      validator: {
        validate: (value) => typeof value === 'string' && readIdentityNumber(value, businessDateOf(new Date())).ok,
        defaultMessage: (args) => {
          const result = typeof args?.value === 'string' ? readIdentityNumber(args.value, businessDateOf(new Date())) : undefined;
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

/** Dates of facts that cannot have happened yet (assessments, certifications, decisions). */
export function IsNotFutureDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotFutureDate',
      validator: {
        validate: (value) => typeof value === 'string' && (!isRealDate(value) || value <= businessDateOf(new Date())),
        defaultMessage: (args) => `${args?.property} must not lie in the future`,
      },
    },
    options,
  );
}
