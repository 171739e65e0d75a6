// The shapes of shared/API.md, as the server sends them.

export type Role = "customer" | "admin";

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface Session {
  token: string;
  user: User;
}

export interface Show {
  id: string;
  name: string;
  startTime: string;
  totalSeats: number;
  /** Seats neither taken, held nor blocked. */
  availableSeats: number;
  createdAt: string;
  /** The venue whose seating plan the show uses; null for numbered seats only. */
  venueId: string | null;
  /** When booking opens; null when it was on sale from the start. */
  onSaleAt: string | null;
  /** The show's waiting room for its on-sale, if it has one. */
  queue: ShowQueue | null;
}

export type QueueState = "scheduled" | "open" | "paused" | "closed";

export interface ShowQueue {
  state: QueueState;
  admitPerMinute: number;
  passSeconds: number;
}

export interface CreateQueueRequest {
  admitPerMinute: number;
  passSeconds?: number;
}

export interface WaitEstimate {
  low: number;
  high: number;
}

/** The caller's place in a show's queue (GET /api/shows/{id}/queue/me). */
export interface QueueEntry {
  id: string;
  showId: string;
  /** Null until onSaleAt for those who joined before it. */
  rank: number | null;
  state: "waiting" | "admitted" | "done" | "expired" | "closed";
  aheadOfYou: number;
  estimatedWaitSeconds: WaitEstimate | null;
  likelySoldOut: boolean;
  /** While admitted: send as the Queue-Pass header when booking. */
  pass: string | null;
  passExpiresAt: string | null;
  joinedAt: string;
}

/** A queue's public status, also sent live as the `queue` event. */
export interface QueueStatus {
  showId: string;
  state: QueueState;
  onSaleAt: string;
  admitPerMinute: number;
  waiting: number;
  admitted: number;
  serving: number;
  shuffleCommitment: string;
  seed: string | null;
}

export interface QueueOrder {
  seed: string;
  entries: string[];
}

export interface UpdateQueueRequest {
  state?: "open" | "paused";
  admitPerMinute?: number;
}

export interface ShowSection {
  key: string;
  label: string;
  totalSeats: number;
  availableSeats: number;
}

export interface ShowDetail extends Show {
  /** Confirmed and unexpired held seats, sorted. */
  takenSeats: number[];
  /** Seats that are not for sale (house seats, broken seats), sorted. */
  blockedSeats: number[];
  /** The venue's sections in plan order; empty without a venue. */
  sections: ShowSection[];
}

export interface VenueSummary {
  id: string;
  name: string;
  totalSeats: number;
  createdAt: string;
}

export interface Venue extends VenueSummary {
  layout: Layout;
}

/** A venue's seating plan (API.md, "Seating plans"). */
export interface Layout {
  version: number;
  stage?: LayoutStage;
  categories?: LayoutCategory[];
  sections: LayoutSection[];
}

export interface LayoutStage {
  x: number;
  y: number;
  label?: string;
}

export interface LayoutCategory {
  key: string;
  label: string;
  /** "#RRGGBB". */
  color: string;
}

export interface LayoutSection {
  key: string;
  label: string;
  /** Front (nearest the stage) to back. */
  rows: LayoutRow[];
}

export interface LayoutRow {
  label: string;
  /** Left to right. */
  seats: LayoutSeat[];
}

export interface LayoutSeat {
  n: number;
  label: string;
  x?: number;
  y?: number;
  category?: string;
  accessible?: boolean;
  companion?: boolean;
  aisleBefore?: boolean;
}

export interface ShowPage {
  items: Show[];
  nextCursor: string | null;
}

export type BookingStatus = "PENDING" | "CONFIRMED" | "CANCELLED" | "EXPIRED";

export interface Booking {
  id: string;
  showId: string;
  userId: string;
  userName: string;
  seats: number[];
  /** One per seat, in the same order: "Stalls, Row A, Seat 3", or "Seat 12" without a venue. */
  seatLabels: string[];
  status: BookingStatus;
  createdAt: string;
  /** Set while the booking is a PENDING hold. */
  expiresAt: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}
