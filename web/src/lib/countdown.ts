// Time left on a hold, against the server's clock.

/** Milliseconds until `expiresAt`, never below zero. `serverOffsetMs` is the server's clock minus this one. */
export function remainingMs(expiresAt: string, nowMs: number, serverOffsetMs = 0): number {
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, end - (nowMs + serverOffsetMs));
}

/** "1:05" for 65 s; a partial second counts as a whole one, so "0:00" means it is over. */
export function formatRemaining(ms: number): string {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The same in words, for screen readers: "1 minute 5 seconds". */
export function describeRemaining(ms: number): string {
  const seconds = Math.ceil(Math.max(0, ms) / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts: string[] = [];
  if (minutes > 0) parts.push(`${minutes} ${minutes === 1 ? "minute" : "minutes"}`);
  if (rest > 0 || minutes === 0) parts.push(`${rest} ${rest === 1 ? "second" : "seconds"}`);
  return parts.join(" ");
}
