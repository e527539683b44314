import { fieldKeyOf } from '../i18n/field-key';
import { hasMessage, type Translate } from '../i18n/i18n';

/**
 * A field as the API names it, in the reader's words (enrolledOn → 报名日期); every field the API accepts has
 * its words (e2e/src/console/catalogue-fields.spec.ts), so the API's name shows only for one the spec cannot see.
 */
export const fieldWords = (field: string, t: Translate): string => {
  const key = fieldKeyOf(field);
  return hasMessage(key) ? t(key) : field;
};

/**
 * A field's rule in the reader's words: its own (`fieldRule.*`), else the business rule's of the same name
 * (`rule.*`); null when the catalogue has none (catalogue-rules.spec.ts sees that every rule a service
 * answers has one), for the caller to fall back on what the server said.
 */
export const fieldRuleWords = (rule: string | undefined, t: Translate): string | null => {
  const fieldRule = `fieldRule.${rule ?? ''}`;
  const sameRule = `rule.${rule ?? ''}`;
  return hasMessage(fieldRule) ? t(fieldRule) : hasMessage(sameRule) ? t(sameRule) : null;
};
