import { CodeReading, isRealDate, isValidCreditCode, identityCheckCharacter, readIdentityNumber, readIndustryCode, readOccupationCode, readRegionCode } from '@skills/domain-kernel';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, IsUUID, MaxLength, ValidateBy, ValidationOptions } from 'class-validator';
import { canonicalId } from './validation';

/** Field rules shared by every service's request bodies; the decorator name is the rule's name. */

/**
 * An id in a body or query: a UUID (class-validator's: versions 1 to 8, nil and max) in any case, taken in
 * the lower-case form ids are stored and keyed in, as UuidPipe takes a path's. An id in capitals would
 * otherwise name another stream: a second seat, a second certificate of one level.
 */
export function IsId(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => canonicalId(value)),
    IsUUID(undefined, options),
  );
}

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
  return codeRule('isRegionCode', readRegionCode, 'a region code is 6 digits (GB/T 2260), e.g. 430200', options);
}

/**
 * A GB/T 4754-2017 industry: a section letter and one of that section's divisions (C37, not C99). A
 * brand's industry that no employer can have would never count anyone employed.
 */
export function IsIndustryCode(options?: ValidationOptions): PropertyDecorator {
  return codeRule('isIndustryCode', readIndustryCode, 'an industry code is a GB/T 4754 section letter and division, e.g. C37', options);
}

/** An occupation code of the national classification (D-DD-DD-DD), its major group 1–8 (not 0-00-00-00). */
export function IsOccupationCode(options?: ValidationOptions): PropertyDecorator {
  return codeRule('isOccupationCode', (code) => readOccupationCode(code), 'an occupation code looks like D-DD-DD-DD, e.g. 6-18-02-04', options);
}

/** A code the domain kernel reads, refused with the kernel's own words for what is wrong (`notText`: for a value that is no string). */
function codeRule(name: string, read: (code: string) => CodeReading<unknown>, notText: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value) => typeof value === 'string' && read(value).ok,
        defaultMessage: (args) => {
          // With `each`, the value is the whole array: the first code of it that is wrong is said.
          const values: unknown[] = Array.isArray(args?.value) ? args.value : [args?.value];
          const reading = values.map((value) => (typeof value === 'string' ? read(value) : undefined)).find((each) => !each?.ok);
          return `${args?.property}: ${reading && !reading.ok ? reading.problem : notText}`;
        },
      },
    },
    options,
  );
}

/** The oldest business date any record may carry; a date before it is a typing slip (1900-01-01, 0001-01-01). */
export const EARLIEST_BUSINESS_DATE = '1950-01-01';
/** The latest one a plan may name (a course's end, a policy's window); facts are also refused after today by their aggregate (date_in_future). */
export const LATEST_BUSINESS_DATE = '2099-12-31';

export function IsBusinessDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBusinessDate',
      validator: {
        validate: (value) => typeof value === 'string' && isRealDate(value) && value >= EARLIEST_BUSINESS_DATE && value <= LATEST_BUSINESS_DATE,
        defaultMessage: (args) => `${args?.property} must be a real calendar date YYYY-MM-DD from ${EARLIEST_BUSINESS_DATE} to ${LATEST_BUSINESS_DATE}`,
      },
    },
    options,
  );
}

/** Whitespace, zero-width spaces and joiners, the word joiner and the byte order mark: a text of only these says nothing. */
const BLANK = /^[\s\u200b-\u200d\u2060\ufeff]*$/;

/**
 * Free text (a name, a title, a reason): trimmed, not blank, at most `maxLength` characters, and none of
 * the characters that make it show as something else (`hidden_characters`): controls other than line
 * breaks and tabs (a reason may run over lines), the bidirectional overrides (a title with U+202E shows
 * reversed on the public board), and a run of more than 10 non-spacing marks (stacked marks spill over the
 * lines around them). Embeddings and isolates, which tools wrap Uyghur or Arabic text in, a Tibetan stack
 * and a Burmese syllable's marks, and the `·` of 买买提·艾力 are text; an embedding or isolate left open is
 * not (it turns the text shown after the field around: the next cell of a row, the rest of a line).
 * NUL and lone surrogates are refused for every string by the validation pipe (invalid_characters).
 */
export function IsText({ maxLength }: { maxLength: number }): PropertyDecorator {
  return freeText(maxLength, {
    name: 'hidden_characters',
    forbidden: (text) => HIDDEN_CHARACTER.test(text) || leavesDirectionOpen(text),
    says: 'must not hold control characters (other than line breaks and tabs), direction overrides (U+202D, U+202E), an embedding or isolate left open (U+202A, U+202B, U+2066 to U+2068 without its U+202C or U+2069) or stacks of more than 10 combining marks',
  });
}

/**
 * A person's name (a trainee's: registered, corrected, read from an import's row): a text as IsText says,
 * without any control or format character. A line break, a bell or a bidirectional override (U+202E) in a
 * name is stored, printed on certificates and shown reversed or broken on every list; no name holds one.
 * The middle dot of 买买提·艾力 is punctuation (Po), not a format character.
 */
export function IsPersonName({ maxLength }: { maxLength: number }): PropertyDecorator {
  return freeText(maxLength, {
    name: 'control_characters',
    forbidden: (text) => CONTROL_CHARACTER.test(text),
    says: 'must not hold control or format characters (line breaks, tabs, direction marks, zero-width characters)',
  });
}

/** Trimmed, not blank, none of `forbidden` (one rule), at most `maxLength`: one rule per fault, so a blank text is `blank` alone. */
function freeText(maxLength: number, characters: { name: string; forbidden: (text: string) => boolean; says: string }): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    ValidateBy({
      name: 'blank',
      validator: {
        validate: (value) => typeof value !== 'string' || !BLANK.test(value),
        defaultMessage: (args) => `${args?.property} must not be empty or only whitespace`,
      },
    }),
    ValidateBy({
      name: characters.name,
      validator: {
        validate: (value) => typeof value !== 'string' || BLANK.test(value) || !characters.forbidden(value),
        defaultMessage: (args) => `${args?.property} ${characters.says}`,
      },
    }),
    // Empty is `blank` above: one rule per fault, not two.
    MaxLength(maxLength),
  );
}

/** C0 and C1 controls but tab, line feed and carriage return; the two bidirectional overrides; more than 10 non-spacing or enclosing marks in a row. */
const HIDDEN_CHARACTER = /(?![\t\n\r])\p{Cc}|[\u202d\u202e]|[\p{Mn}\p{Me}]{11,}/u;

/**
 * Whether an embedding (U+202A, U+202B) or an isolate (U+2066 to U+2068) is still open at the end, as the
 * bidirectional algorithm (UAX #9) pairs them: U+202C closes the innermost embedding, U+2069 the innermost
 * isolate and every embedding inside it. A closer with nothing to close is ignored, as the algorithm does.
 */
function leavesDirectionOpen(text: string): boolean {
  const open: Array<'embedding' | 'isolate'> = [];
  // Counted apart, so that a closer with no isolate to close is judged at once: linear in the text, however it is made.
  let isolates = 0;
  for (const character of text) {
    if (character === '\u202a' || character === '\u202b') open.push('embedding');
    else if (character >= '\u2066' && character <= '\u2068') {
      open.push('isolate');
      isolates++;
    } else if (character === '\u202c' && open.at(-1) === 'embedding') open.pop();
    else if (character === '\u2069' && isolates > 0) {
      // Each pushed once, popped once.
      while (open.pop() !== 'isolate');
      isolates--;
    }
  }
  return open.length > 0;
}

/** Unicode Cc (C0 and C1 controls: line breaks, tabs, bell) and Cf (bidirectional marks and overrides, zero-width characters, the soft hyphen), and the line and paragraph separators. */
const CONTROL_CHARACTER = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** A text without the characters a person's name may not hold (CONTROL_CHARACTER): what a list shows of a name not validated (a file's). */
export const withoutControlCharacters = (text: string): string => text.replace(new RegExp(CONTROL_CHARACTER.source, 'gu'), '');

/**
 * Free text kept with a record for good (a revocation's or a void's reason, a direct certification's
 * justification, an employment's ending reason): an erasure of a person's data never reaches it
 * (domain.md section 7), so it may hold no identity number and no mobile number, the personal data a
 * clerk is likeliest to paste into it. Refused as `personal_data_in_text` naming the field; the message
 * never repeats the text (a problem is logged and shown). Names cannot be told from other words and are
 * left to the hint the console shows beside such a field.
 */
export function IsKeptText({ maxLength }: { maxLength: number }): PropertyDecorator {
  return applyDecorators(
    IsText({ maxLength }),
    ValidateBy({
      name: 'personal_data_in_text',
      validator: {
        validate: (value) => typeof value !== 'string' || !holdsPersonalData(value),
        defaultMessage: (args) =>
          `${args?.property} is kept with the record for good, beyond any erasure: it must not hold an identity number or a mobile phone number (describe what happened, not the person)`,
      },
    }),
  );
}

/** What may stand between the digit groups of a number written to be read: a space, a hyphen, a dot. */
const SEPARATOR = '[\\s.-]?';

/**
 * A GB 11643 identity number's first 17 digits (region, birth date, sequence) whose region and birth date
 * read as one's, written whole or in its groups (430202 19900101 1233, 430202-19900101-1233), with its check
 * character, a wrong one (a number mistyped in its last place) or none (the check character is computed from
 * the 17: they are the whole number). Not part of a longer run of digits: most certificate numbers hold a
 * longer run (S000143430200215000024: 21 digits), and a run of 18 that is no identity number
 * (Y00A143430200214000017's) fails its birth date.
 */
const IDENTITY_NUMBER_IN_TEXT = new RegExp(`(?<!\\d)\\d{6}${SEPARATOR}\\d{8}${SEPARATOR}\\d{3}[\\dXx]?(?![\\dXx])`, 'g');
/**
 * A mobile number as the platform takes one (MOBILE_NUMBER: 1 and ten digits), written whole or in its
 * groups (138 1234 5678, 138-1234-5678), with or without the country code (+86, 0086, 86), not a slice of a
 * longer number. Only the groups' own places take a separator: numbers side by side do not merge into one.
 */
const MOBILE_NUMBER_IN_TEXT = new RegExp(`(?<![\\d+])(?:(?:\\+|00)?86${SEPARATOR})?1\\d{2}${SEPARATOR}\\d{4}${SEPARATOR}\\d{4}(?!\\d)`);

/**
 * Whether a text holds an identity number or a mobile number (IsKeptText's rule; a file's name kept).
 * Full-width digits (１３８…) are folded first (NFKC): they are the same number to whoever reads it.
 */
export function holdsPersonalData(text: string): boolean {
  const folded = text.normalize('NFKC');
  if (MOBILE_NUMBER_IN_TEXT.test(folded)) return true;
  return Array.from(folded.matchAll(IDENTITY_NUMBER_IN_TEXT)).some(([candidate]) => namesAPerson(candidate.replace(/[\s.-]/g, '').slice(0, 17)));
}

/** Whether 17 digits are an identity number's, its check character put back: their region and birth date read. */
function namesAPerson(first17Digits: string): boolean {
  return readIdentityNumber(first17Digits + identityCheckCharacter(first17Digits)).ok;
}

/**
 * A number judged by its value, whatever its JSON spelling (`85.0`, `8.55e1`, `1e-7`): within
 * [min, max] and with at most `decimals` decimal places. class-validator's maxDecimalPlaces reads the
 * spelling instead (it passes `1e-7`).
 */
export function IsDecimal({ min, max, decimals }: { min: number; max: number; decimals: number }, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDecimal',
      validator: {
        validate: (value) => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && hasAtMostDecimals(value, decimals),
        defaultMessage: (args) => `${args?.property} must be a number from ${min} to ${max} with at most ${decimals} decimal places`,
      },
    },
    options,
  );
}

/**
 * Whether `value` is the number a decimal of at most `decimals` places reads as: exactly the double nearest to
 * it, as JSON.parse makes of `86.57` (86.57 * 100 is 8657.000000000001 in binary floating point, so the scaled
 * value is rounded, and divided back: a division of an integer is correctly rounded, to that same double).
 * No tolerance: the next double after 86.5 (`86.50000000000001`) or `99.999999999` is not such a number, and
 * would be stored as sent.
 */
function hasAtMostDecimals(value: number, decimals: number): boolean {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale === value;
}
