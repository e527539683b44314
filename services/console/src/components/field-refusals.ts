import type { Problem } from '../api/client';
import type { Translate } from '../i18n/i18n';
import { fieldRuleWords } from './rule-words';

/**
 * A refusal's errors about the form's own fields, in words, each at its field (the rule's words as ProblemMessage
 * says them, fieldRuleWords, else the server's message): for a form that says the server's refusals where the local rules are said. Errors about
 * other fields are left to the form's problem above its button.
 */
export function refusalAtFields<Field extends string>(refusal: Problem, fields: readonly Field[], t: Translate): Partial<Record<Field, string>> {
  const atFields: Partial<Record<Field, string>> = {};
  for (const fieldError of refusal.errors ?? []) {
    const field = fieldError.field as Field | undefined;
    if (!field || !fields.includes(field)) continue;
    atFields[field] = fieldRuleWords(fieldError.rule, t) ?? fieldError.message ?? t('common.failed');
  }
  return atFields;
}
