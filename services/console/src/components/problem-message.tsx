import type { Problem } from '../api/client';
import { hasMessage, useI18n } from '../i18n/i18n';

/**
 * A server's refusal in words: the rule's own sentence when the catalogue has one (`rule.course_full`),
 * else the kind of answer by its status, else the console's own sentence, else that it failed (never the
 * server's English title); each field error with its field and rule; and the server's detail, which
 * carries the actual values, beneath.
 */
export function ProblemMessage({ problem }: { problem: Problem | null }) {
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
            const fieldRule = `fieldRule.${error.rule ?? ''}`;
            return (
              <li key={index}>
                {error.field ? `${error.field}: ` : ''}
                {hasMessage(fieldRule) ? t(fieldRule) : (error.message ?? error.rule)}
              </li>
            );
          })}
        </ul>
      ) : null}
      {problem.detail && !problem.errors?.length ? <p className="small">{problem.detail}</p> : null}
    </div>
  );
}
