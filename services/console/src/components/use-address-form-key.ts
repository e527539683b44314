import { useEffect, useRef, useState } from 'react';

/**
 * The key of a filter form whose fields start from the address (`defaultValue`s read once): it changes,
 * and the form is rebuilt with the fields read again, when the address changes from elsewhere (back and
 * forward, a link, a picker beside the form); not when the form's own submit wrote it, since rebuilding
 * would take away the submit button the keyboard's focus is on and drop it to the page (docs/console.md
 * "every action reachable by keyboard"). `submitting(address)` is told the address a submit is about to write.
 */
export function useAddressFormKey(address: string): { key: string; submitting(next: string): void } {
  // Counted, not the address itself: going back to the address the form was built from must rebuild it too.
  const [builds, setBuilds] = useState(0);
  const shown = useRef(address);
  const own = useRef<string | null>(null);
  useEffect(() => {
    if (address === shown.current) return;
    shown.current = address;
    if (address !== own.current) setBuilds((count) => count + 1);
    own.current = null;
  }, [address]);
  return {
    key: String(builds),
    submitting: (next) => {
      // The same address again writes nothing: nothing to keep from rebuilding.
      own.current = next === address ? null : next;
    },
  };
}
