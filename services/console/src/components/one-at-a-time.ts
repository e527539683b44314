import { useCallback, useRef, useState } from 'react';

/**
 * A form's request sent one at a time: a second Enter or click while it is on its way does nothing
 * (a course scheduled twice, two API keys of which one secret is never seen). `busy` is for the button's
 * aria-disabled: it stays focusable, which a disabled button would not.
 */
export function useOneAtATime() {
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const once = useCallback(async (work: () => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    try {
      await work();
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, once };
}
