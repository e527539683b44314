import type { InputHTMLAttributes, RefObject } from 'react';
import type { WordsAtFields } from './use-words-at-fields';

interface StepFieldProps<Field extends string> extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'value' | 'onChange'> {
  id: string;
  name: Field;
  label: string;
  value: string;
  words: WordsAtFields<Field>;
  /** What the field is heard with besides its words (the step's explanation, on its first field). */
  describedBy?: string;
  /** The step's first field: where its focus goes when it opens (useStepFocus's `into`). */
  focusInto?: RefObject<HTMLInputElement | null>;
  /** The value typed, once the words said at the field are taken back (they held for the value judged). */
  onEdit(value: string): void;
}

/**
 * One field of a step that corrects a record (a course, a brand): the step is no form, so its fields stand as a
 * form's would, each label above its field (styles.css), and its words are said under it as in the forms
 * (useWordsAtFields: invalid while said wrong, described by them, focused when first wrong).
 */
export function StepField<Field extends string>({ id, name, label, value, words, describedBy, focusInto, onEdit, ...input }: StepFieldProps<Field>) {
  const { ref, onChange: edited, ...said } = words.inputProps(name, describedBy);
  return (
    <div className="step-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={(element) => {
          ref(element);
          if (focusInto) focusInto.current = element;
        }}
        required
        value={value}
        onChange={(event) => {
          edited();
          onEdit(event.target.value);
        }}
        {...said}
        {...input}
      />
      {words.wordsAt(name)}
    </div>
  );
}
