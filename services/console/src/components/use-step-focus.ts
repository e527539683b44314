import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Keyboard focus for an inline confirmation step, which replaces the button that opened it (so focus
 * would fall to the page's start): on opening, into the step (`into`, its first field or its confirm
 * button); on closing it again (Cancel), back to the button that opened it (`back`). Once the step has
 * succeeded it goes for good: its page sends focus on with useFocusAfterSuccess.
 */
export function useStepFocus<Into extends HTMLElement>(open: boolean) {
  const into = useRef<Into>(null);
  const back = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (open) into.current?.focus();
    else if (wasOpen.current) back.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return { into, back };
}

/**
 * Keyboard focus after a success that removes the focused control (a step or form that closes) or disables
 * it (a cleared form's submit), which drops it to <body>: `focusTarget()` focuses `target` (a status line
 * or heading with tabIndex={-1}, or the button that opens the form again) once that render is committed, so a
 * status line it shows is there, and after the effects inside it (a closing step's return to its own button).
 * `onlyIfLost`: for work the user may go on from meanwhile (a grid's save, while the clerk types in
 * another cell), only if the focus was lost by then; otherwise at once, before what goes with the success
 * (a list read again) takes the focused control away.
 */
export function useFocusAfterSuccess<Target extends HTMLElement>({ onlyIfLost = false }: { onlyIfLost?: boolean } = {}) {
  const target = useRef<Target>(null);
  const [successes, setSuccesses] = useState(0);
  useEffect(() => {
    if (successes > 0 && (!onlyIfLost || focusLost())) target.current?.focus();
  }, [successes, onlyIfLost]);
  const focusTarget = useCallback(() => setSuccesses((count) => count + 1), []);
  return { target, focusTarget };
}

/** Whether nothing the user can act on holds the keyboard's focus (it fell to the page, or stays on a control now disabled). */
export function focusLost(): boolean {
  const focused = document.activeElement;
  return !focused || focused === document.body || !focused.isConnected || (focused as HTMLButtonElement).disabled === true;
}
