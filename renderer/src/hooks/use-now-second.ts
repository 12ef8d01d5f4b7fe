/** The current epoch second, updated once a second while mounted. */
import { useEffect, useState } from 'react';

export function useNowSecond(): number {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  useEffect(() => {
    const tick = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => clearInterval(tick);
  }, []);
  return now;
}
