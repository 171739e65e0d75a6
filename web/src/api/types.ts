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
  availableSeats: number;
  createdAt: string;
}

export interface ShowDetail extends Show {
  /** Confirmed and unexpired held seats, sorted. */
  takenSeats: number[];
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
  status: BookingStatus;
  createdAt: string;
  /** Set while the booking is a PENDING hold. */
  expiresAt: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}
