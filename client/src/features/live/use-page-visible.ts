import { useEffect, useState } from 'react';

/**
 * Whether the page is on screen; it stays true for `graceMs` after the tab was hidden, so a quick
 * look at another tab keeps the live stream. A tab left in the background gives its connection back
 * (browsers allow only six per site over HTTP/1.1, shared by every tab) and catches up when shown.
 */
export function usePageVisible(graceMs = 30_000): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onChange = () => {
      clearTimeout(timer);
      if (document.visibilityState === 'visible') setVisible(true);
      else timer = setTimeout(() => setVisible(false), graceMs);
    };
    document.addEventListener('visibilitychange', onChange);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onChange);
    };
  }, [graceMs]);
  return visible;
}
