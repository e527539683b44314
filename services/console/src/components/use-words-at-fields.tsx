import { useEffect, useRef, useState } from 'react';
import type { Problem } from '../api/client';
import { refusalAtFields } from './field-refusals';
import { hasMessage, useI18n, type Translate } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-CN';

/**
 * Words said at a field, put in words when they are shown: in the language shown then, so a language switch
 * rewords them (words kept as they were said would stay in the language left).
 */
export type FieldWords = (t: Translate) => string;

/** A catalogue's words (with their values) to say at a field. */
export const fieldWordsOf =
  (key: MessageKey, values?: Record<string, string | number>): FieldWords =>
  (t) =>
    t(key, values);

/** What each field is said wrong for. */
type WrongAt<Field extends string> = Partial<Record<Field, FieldWords>>;

/**
 * What a form's fields were said wrong for: by the console's own check on sending, or by the server's 400,
 * each at its field (under the form's own label), the focus going to the first wrong field where a screen
 * reader reads its words; until that field is edited. `formId` keeps the words' element ids apart.
 */
export function useWordsAtFields<Field extends string>(formId: string, fields: readonly Field[]) {
  const { t } = useI18n();
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
   * an error about a field the form has not) for the form's problem above its button, or null. The refusal
   * is kept, and put in words in the language shown.
   */
  const sayRefusal = (refusal: Problem): Problem | null => {
    const errors = refusal.errors ?? [];
    const elsewhere = errors.filter((fieldError) => !fields.includes(fieldError.field as Field));
    const wrong = fields.filter((field) => errors.some((fieldError) => fieldError.field === field));
    sayAtFields(Object.fromEntries(wrong.map((field) => [field, (shownIn: Translate) => refusalAtFields(refusal, [field], shownIn)[field] ?? shownIn('common.failed')])) as WrongAt<Field>);
    if (errors.length && !elsewhere.length) return null;
    return errors.length ? { ...refusal, errors: elsewhere } : refusal;
  };

  /** A refusal about one field's value though it names none (409 username_taken, credit_code_registered): its rule's words at that field. */
  const sayAt = (field: Field, refusal: Problem): null => {
    const key = `rule.${refusal.rule ?? ''}`;
    const words: FieldWords = (shownIn) => (hasMessage(key) ? shownIn(key) : (refusal.message ?? shownIn('common.failed')));
    sayAtFields({ [field]: words } as WrongAt<Field>);
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

  /** The field's words, where the form puts them (after its hint), in the language shown. */
  const wordsAt = (field: Field) => {
    const words = wrongAt[field];
    return words ? (
      <p id={errorId(field)} className="field-error">
        {words(t)}
      </p>
    ) : null;
  };

  // `edited` as `unsay`: a field judged with another (two dates) is no longer said wrong once the other is edited.
  return { sayAtFields, sayRefusal, sayAt, inputProps, wordsAt, unsay: edited };
}

/** What useWordsAtFields gives a form of these fields. */
export type WordsAtFields<Field extends string> = ReturnType<typeof useWordsAtFields<Field>>;

/**
 * Focuses a field said wrong so that a screen reader reads it with its words. One focused already (Enter
 * pressed in it) would be read no more: a screen reader speaks on a change of focus, not of a description,
 * so the focus leaves it for a moment and comes back.
 */
function focusAnew(input: HTMLElement): void {
  if (document.activeElement === input) input.blur();
  input.focus();
}
