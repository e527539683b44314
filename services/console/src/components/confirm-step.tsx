import type { ReactNode, Ref } from 'react';
import type { Problem } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { ProblemMessage } from './problem-message';

/**
 * An inline confirmation step, opened in place of the button that starts something hard to undo (a
 * revocation, a withdrawal, a key retired): it says what is about to happen, holds the fields the act needs
 * (`children`), the server's refusal (`problem`, when it belongs inside the step), the confirming button and
 * Cancel. The confirming button stays focusable while its request is on its way (`busy`: aria-disabled).
 * `confirmRef` is for a step without fields, whose focus goes to its confirming button (useStepFocus).
 */
export function ConfirmStep({
  title,
  label = title,
  children,
  problem,
  confirmText,
  tone = 'danger',
  confirmRef,
  busy,
  onConfirm,
  onCancel,
}: {
  /** What is about to happen, said at the step's start. */
  title: string;
  /** The step's name to those who hear it, when it is shorter than the title. */
  label?: string;
  children?: ReactNode;
  problem?: Problem | null;
  confirmText: string;
  tone?: 'danger' | 'primary';
  confirmRef?: Ref<HTMLButtonElement>;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  return (
    <div className="confirm-step" role="group" aria-label={label}>
      <p>{title}</p>
      {children}
      {problem !== undefined && <ProblemMessage problem={problem} />}
      <button type="button" className={tone} ref={confirmRef} aria-disabled={busy} onClick={onConfirm}>
        {confirmText}
      </button>
      <button type="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
