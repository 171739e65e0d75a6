// Small timers shared by the screens.
import { useEffect, useRef, useState } from "react";

/** The current time, updated every `intervalMs` while `active`. */
export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs, active]);
  return now;
}

/**
 * Calls `refresh` every `intervalMs` while the page is visible, and at once when it becomes
 * visible again, so a map left open in a background tab catches up as soon as it is looked at.
 */
export function usePolling(refresh: () => void, intervalMs: number, active = true) {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    if (!active) return undefined;
    const tick = () => { if (document.visibilityState === "visible") latest.current(); };
    const timer = window.setInterval(tick, intervalMs);
    document.addEventListener("visibilitychange", tick);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [intervalMs, active]);
}

/** Sets the document title for as long as a screen is shown. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Marquee` : "Marquee";
  }, [title]);
}
