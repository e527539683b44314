import type { ReactNode } from 'react';
import type { Problem } from '../api/client';
import { hasMessage, useI18n } from '../i18n/i18n';
import { fieldRuleWords, fieldWords } from './rule-words';

/**
 * Rules whose detail says nothing the reader can use: idempotency_key_reused's is about the request's key,
 * which the console never shows (its own sentence says what happened in the form's terms).
 */
const DETAIL_LEFT_OUT = new Set(['idempotency_key_reused']);

/**
 * Field rules whose words are general ("compare the header row with the template") while the server's message
 * says the specifics (which columns are missing, which row has cells past the last column, after which row a
 * CSV cannot be read): the message is shown beneath the words. Only rules whose messages name columns, rows
 * and limits, never a cell's value (trainee-service ImportFileRefused, read-import-file.ts): a message that
 * could quote what was sent (unsupported_file_type names the file's extension) stays out.
 */
const MESSAGE_SHOWN = new Set(['missing_columns', 'too_many_columns', 'unreadable_file', 'cell_too_long']);

/**
 * A server's refusal in words: the rule's own sentence when the catalogue has one (`rule.course_full`),
 * else the kind of answer by its status, else the console's own sentence, else that it failed (never the
 * server's English title); each field error with its field and rule (and its specifics: MESSAGE_SHOWN); what the screen reads from the refusal
 * itself (`children`: a brand certification's unmet criteria), inside the same alert; and the server's
 * detail, which carries the actual values, beneath.
 */
export function ProblemMessage({ problem, children }: { problem: Problem | null; children?: ReactNode }) {
  const { t } = useI18n();
  if (!problem) return null;
  const ruleKey = `rule.${problem.rule ?? ''}`;
  const statusKey = `status.${problem.status ?? ''}`;
  const heading = hasMessage(ruleKey) ? t(ruleKey) : hasMessage(statusKey) ? t(statusKey) : (problem.message ?? t('common.failed'));
  return (
    <div role="alert" className="problem">
      <p>
        <strong>{heading}</strong>
      </p>
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((error, index) => {
            const words = fieldRuleWords(error.rule, t);
            return (
              <li key={index}>
                {error.field ? `${fieldWords(error.field, t)}: ` : ''}
                {words ?? error.message ?? error.rule}
                {words && error.message && MESSAGE_SHOWN.has(error.rule ?? '') ? (
                  <>
                    <br />
                    {/* The server's own words, in English: said as such. */}
                    <span className="small" lang="en">
                      {error.message}
                    </span>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {children}
      {problem.correlationId ? (
        <p className="small">
          {t('problem.reference')} <span lang="en">{problem.correlationId}</span>
        </p>
      ) : null}
      {/* A 500's detail only says it was logged: its reference above says what to quote. */}
      {problem.detail && !problem.errors?.length && !problem.correlationId && !DETAIL_LEFT_OUT.has(problem.rule ?? '') ? (
        <p className="small">
          {t('problem.detail')} <span lang="en">{problem.detail}</span>
        </p>
      ) : null}
    </div>
  );
}
