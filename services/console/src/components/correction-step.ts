import { useRef, useState } from 'react';
import { useKeptReasonStep } from './kept-reason-step';
import { useWordsAtFields } from './use-words-at-fields';

/**
 * What a step correcting a record's details (a course, a brand) holds beyond a kept-reason step: the values
 * typed, their words said at the fields, and the reason's input (focused when it is missing). `start` opens it
 * on the record's values as they stand, nothing said wrong and no refusal left from before.
 */
export function useCorrectionStep<Field extends string, Values extends Record<Field, string>>(formId: string, fields: readonly Field[], valuesNow: () => Values) {
  const step = useKeptReasonStep();
  const [values, setValues] = useState<Values>(valuesNow);
  const words = useWordsAtFields<Field>(formId, fields);
  const reasonInput = useRef<HTMLInputElement>(null);
  const start = () => {
    setValues(valuesNow());
    words.sayAtFields({});
    step.setProblem(null);
    step.setConfirming(true);
  };
  return { ...step, values, setValues, words, reasonInput, start };
}
