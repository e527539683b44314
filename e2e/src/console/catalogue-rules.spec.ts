// Every rule a service can refuse with has words in both of the console's catalogues: a clerk reads why
// in their own language, never the server's English. The rules are read from the services themselves,
// so a rule added later fails here until the catalogues say it.
import 'reflect-metadata';
import '@skills/brand-service';
import '@skills/certification-service';
import '@skills/identity-service';
import '@skills/placement-service';
import '@skills/trainee-service';
import '@skills/training-service';
import { en, zhCN } from '@skills/console';
import { BODY_RULES, UPLOAD_RULES } from '@skills/service-runtime';
import { refusalRulesOf } from '@skills/testing';
import { getMetadataStorage } from 'class-validator';
import path from 'node:path';
import { matched, repoRoot, services } from './service-source';

/**
 * The rules a field is refused by outside the constraints: `new FieldRefusal(field, 'rule', …)` (a
 * search's too short a number, a date in the future), and each `{ field, rule: 'rule' }` a controller
 * or pipe answers itself (a span of dates the wrong way round, a file too large), or an import's upload
 * (`invalid(field, 'rule', …)`).
 */
function fieldRefusalRules(): string[] {
  return [
    ...matched(/new FieldRefusal\(\s*[^,]+,\s*'([a-z0-9_]+)'/g),
    ...matched(/\{\s*field(?:: [^,]+)?,\s*rule: '([A-Za-z0-9_]+)'/g),
    ...matched(/\binvalid\(\s*'[^']+',\s*'([a-z0-9_]+)'/g),
  ];
}

/** The rules of the claims a command makes (a username, a credit code, one user per trainee): a 409 when taken. */
const claimRules = () => matched(/holder: \{[^\n]*\},\s*rule: '([a-z0-9_]+)'/g);

/**
 * The rules raised outside the aggregates, which refusalRulesOf (aggregates only, as other specs need it)
 * does not read: each `new DomainRefusal('rule', …)` and `refuse('rule', …)` of any file of the services
 * and libraries (a signing key in use, an activation code used, an import that cannot run, a stream that
 * exists already); each refusal class's `new TokenRefused('rule')` (not FieldRefusal, whose first
 * argument is the field); and each `rule: 'rule'` of an answer written in place (an HttpException's
 * body: too many sign-ins, facts not caught up; an import row's outcome).
 */
const otherRefusalRules = () => [
  ...matched(/new DomainRefusal\(\s*'([a-z0-9_]+)'/g),
  ...matched(/\brefuse\(\s*'([a-z0-9_]+)'/g),
  ...matched(/new (?!FieldRefusal\b)\w*Refus\w*\(\s*'([a-z0-9_]+)'/g),
  ...matched(/\brule: '([a-z0-9_]+)'/g),
];

/** The constraints of every request body and query the services declare (class-validator's names, as the 400's errors carry them). */
function validationRules(): string[] {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<unknown, Array<{ type: string; constraintCls: unknown }>>;
    getTargetValidatorConstraints(target: unknown): Array<{ name: string }>;
  };
  const rules = new Set<string>();
  for (const metadatas of storage.validationMetadatas.values()) {
    for (const metadata of metadatas) {
      if (metadata.type === 'customValidation') for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) rules.add(constraint.name);
      // A nested object (a brand's policy) that is no object is refused by the type's own name.
      if (metadata.type === 'nestedValidation') rules.add('nestedValidation');
    }
  }
  return [...rules];
}

/**
 * The rules the validation pipe itself names (validation.ts): an unknown field, a NUL, a body that is no
 * object, a path id that is no UUID; and those of a body the parser refuses (not JSON, too deep, too large).
 */
const PIPE_RULES = ['unknown_field', 'invalid_characters', 'must_be_object', 'isUUID', ...Object.values(BODY_RULES), ...Object.values(UPLOAD_RULES)];

const words = (key: string) => [(zhCN as Record<string, string>)[key], (en as Record<string, string>)[key]];
const sayable = (family: 'rule' | 'fieldRule', rule: string) => words(`${family}.${rule}`).every((text) => typeof text === 'string' && text.trim().length > 0);

describe("the console's catalogues say every rule the services refuse with", () => {
  it('each business rule of an aggregate or a claim, as a refusal (rule.*) or a field refused (fieldRule.*)', () => {
    const claims = claimRules();
    expect(claims).toEqual(expect.arrayContaining(['username_taken', 'credit_code_registered', 'trainee_has_user']));
    const rules = [...new Set([...services.flatMap((name) => refusalRulesOf(path.join(repoRoot, 'services', name, 'src'))), ...claims])];
    expect(rules.length).toBeGreaterThan(30);
    expect(rules.filter((rule) => !sayable('rule', rule) && !sayable('fieldRule', rule))).toEqual([]);
  });

  it('each rule raised outside an aggregate: by a handler, a library, an answer written in place', () => {
    const rules = [...new Set(otherRefusalRules())];
    // One of each way a rule is found: a pattern that stops matching fails here, not silently.
    expect(rules).toEqual(expect.arrayContaining(['signing_key_in_use', 'activation_code_used', 'refused_rows', 'stream_exists', 'invalid_grant', 'file_too_large', 'too_many_sign_ins', 'facts_not_caught_up']));
    expect(rules.filter((rule) => !sayable('rule', rule) && !sayable('fieldRule', rule)).sort()).toEqual([]);
  });

  it('each rule a field is refused by: the pipe, the constraints of every body and query, and the commands that refuse one field', () => {
    const validation = validationRules();
    expect(validation).toEqual(expect.arrayContaining(['isString', 'matches', 'isBusinessDate', 'isRegionCode']));
    const refused = fieldRefusalRules();
    // One of each way a field is refused, found: a pattern that stops matching fails here, not silently.
    expect(refused).toEqual(expect.arrayContaining(['date_in_future', 'from_after_to', 'too_large', 'only_with_enrolments_and_results', 'idempotency_key']));
    const rules = [...new Set([...PIPE_RULES, ...validation, ...refused])];
    // A field's rule may have the words of the same business rule (identity_number_registered): ProblemMessage falls back to them.
    expect(rules.filter((rule) => !sayable('fieldRule', rule) && !sayable('rule', rule))).toEqual([]);
  });
});
