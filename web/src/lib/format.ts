// Words and times as people read them, in the visitor's own locale.

/** "Saturday, 1 March 2031 at 20:00" in the visitor's locale and time zone. */
export function formatShowTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "Date to be announced";
  return new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short" }).format(date);
}

/** "20:05" in the visitor's locale: for times later today, like a hold's end. */
export function formatClock(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(locale, { timeStyle: "short" }).format(date);
}

/** "1 seat", "3 seats". */
export function countSeats(count: number): string {
  return `${count} ${count === 1 ? "seat" : "seats"}`;
}

/** "seat 4", "seats 3, 4 and 7". */
export function listSeats(seats: readonly number[]): string {
  const sorted = [...seats].sort((a, b) => a - b);
  if (sorted.length === 1) return `seat ${sorted[0]}`;
  return `seats ${sorted.slice(0, -1).join(", ")} and ${sorted[sorted.length - 1]}`;
}

/** Row labels as in a theatre, from 0: A…Z, then AA, AB, … */
export function rowLabel(rowIndex: number): string {
  let label = "";
  let n = rowIndex;
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

/** "A", "A and B", "A, B and C". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * A booking's seats for a sentence: by their labels on a venue ("Stalls, Row A, Seat 3 and
 * Stalls, Row A, Seat 4"), else by number ("seats 3 and 4").
 */
export function bookedSeats(booking: { seats: readonly number[]; seatLabels?: readonly string[] }): string {
  const labels = booking.seatLabels ?? [];
  const plain = labels.length !== booking.seats.length || labels.every((label, i) => label === `Seat ${booking.seats[i]}`);
  return plain ? listSeats(booking.seats) : listNames(labels);
}

/** The text with a capital first letter, to start a sentence. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Seat 4 is" / "Seats 3 and 4 are", followed by `rest`: the start of most booking messages. */
export function seatsSentence(seats: readonly number[], singular: string, plural: string): string {
  return `${capitalize(listSeats(seats))} ${seats.length === 1 ? singular : plural}`;
}

/** "Sold out" or "12 seats left". */
export function seatsLeft(available: number): string {
  return available <= 0 ? "Sold out" : `${countSeats(available)} left`;
}

/** Now, as the API wants it: RFC 3339 in UTC, whole seconds. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
