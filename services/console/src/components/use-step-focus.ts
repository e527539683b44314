import { useEffect, useRef } from 'react';

/**
 * Keyboard focus for an inline confirmation step, which replaces the button that opened it (so focus
 * would fall to the page's start): on opening, into the step (`into`, its first field or its confirm
 * button); on closing it again (Cancel), back to the button that opened it (`back`).
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
