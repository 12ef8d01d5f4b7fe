/**
 * Keeps a scrolling pane at its newest row as rows arrive, and as the pane
 * changes size (a window made smaller), unless the user has scrolled up to
 * read something; scrolling back down re-attaches it.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** How close to the bottom still counts as "at the bottom", in pixels. */
const SLACK_PX = 24;

export interface StickToBottom<T extends HTMLElement> {
  ref: RefObject<T | null>;
  onScroll: () => void;
  /** True while the user has scrolled away from the newest rows. */
  detached: boolean;
  jumpToBottom: () => void;
}

/** `version` changes whenever rows arrive (the newest row's seq, say). */
export function useStickToBottom<T extends HTMLElement>(version: unknown): StickToBottom<T> {
  const ref = useRef<T>(null);
  // A ref, not state: the scroll handler sets it and the layout effect reads it, without a render between.
  const stuck = useRef(true);
  const [detached, setDetached] = useState(false);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK_PX;
    stuck.current = atBottom;
    setDetached(!atBottom);
  }, []);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stuck.current) el.scrollTop = el.scrollHeight;
  }, [version]);

  // A pane that shrinks keeps its scroll offset, which leaves the newest rows below the fold.
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stuck.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const jumpToBottom = useCallback(() => {
    const el = ref.current;
    stuck.current = true;
    setDetached(false);
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  return { ref, onScroll, detached, jumpToBottom };
}
