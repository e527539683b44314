import { useEffect, useRef, useState } from 'react';
import type { Problem } from '../api/client';
import { refusalAtFields } from './field-refusals';
import { hasMessage, type Translate } from '../i18n/i18n';

type WrongAt<Field extends string> = Partial<Record<Field, string>>;

/**
 * What a form's fields were said wrong for: by the console's own check on sending, or by the server's 400,
 * each at its field (under the form's own label), the focus going to the first wrong field where a screen
 * reader reads its words; until that field is edited. `formId` keeps the words' element ids apart.
 */
export function useWordsAtFields<Field extends string>(formId: string, fields: readonly Field[]) {
  const [wrongAt, setWrongAt] = useState<WrongAt<Field>>({});
  // The first wrong field of the latest saying (a new object each time, so the same field is focused again).
  const [firstWrong, setFirstWrong] = useState<{ field: Field } | null>(null);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const errorId = (field: Field) => `${formId}-${field}-error`;

  // After the render that ties the words to the field (aria-invalid, aria-describedby), so they are read with it.
  useEffect(() => {
    const input = firstWrong && inputs.current[firstWrong.field];
    if (input) focusAnew(input);
  }, [firstWrong]);

  /** Says each field's words at it and focuses the first wrong one; whether any was wrong. */
  const sayAtFields = (atFields: WrongAt<Field>): boolean => {
    setWrongAt(atFields);
    const first = fields.find((field) => atFields[field]);
    setFirstWrong(first ? { field: first } : null);
    return first !== undefined;
  };

  /**
   * A server's refusal: its errors about the form's fields at them, and what is left (a rule about no field,
   * an error about a field the form has not) for the form's problem above its button, or null.
   */
  const sayRefusal = (refusal: Problem, t: Translate): Problem | null => {
    const errors = refusal.errors ?? [];
    const elsewhere = errors.filter((fieldError) => !fields.includes(fieldError.field as Field));
    sayAtFields(refusalAtFields(refusal, fields, t));
    if (errors.length && !elsewhere.length) return null;
    return errors.length ? { ...refusal, errors: elsewhere } : refusal;
  };

  /** A refusal about one field's value though it names none (409 username_taken, credit_code_registered): its rule's words at that field. */
  const sayAt = (field: Field, refusal: Problem, t: Translate): null => {
    const key = `rule.${refusal.rule ?? ''}`;
    sayAtFields({ [field]: hasMessage(key) ? t(key) : (refusal.message ?? t('common.failed')) } as WrongAt<Field>);
    return null;
  };

  // The words hold for the value judged: once the field is edited, it is not said wrong any more.
  const edited = (field: Field) =>
    setWrongAt((current) => {
      const others = { ...current };
      delete others[field];
      return others;
    });

  /** The props that tie an input to its words: its element, invalid while said wrong, described by its hint and words. */
  const inputProps = (field: Field, hintId?: string) => ({
    ref: (input: HTMLInputElement | null) => {
      inputs.current[field] = input;
    },
    'aria-invalid': wrongAt[field] ? true : undefined,
    'aria-describedby': [hintId ?? '', wrongAt[field] ? errorId(field) : ''].filter(Boolean).join(' ') || undefined,
    onChange: () => edited(field),
  });

  /** The field's words, where the form puts them (after its hint). */
  const wordsAt = (field: Field) =>
    wrongAt[field] ? (
      <p id={errorId(field)} className="field-error">
        {wrongAt[field]}
      </p>
    ) : null;

  return { sayAtFields, sayRefusal, sayAt, inputProps, wordsAt };
}

/**
 * Focuses a field said wrong so that a screen reader reads it with its words. One focused already (Enter
 * pressed in it) would be read no more: a screen reader speaks on a change of focus, not of a description,
 * so the focus leaves it for a moment and comes back.
 */
function focusAnew(input: HTMLElement): void {
  if (document.activeElement === input) input.blur();
  input.focus();
}
