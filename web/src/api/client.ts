// The one module that talks to the server. Every failure becomes an ApiError that carries
// what the screens need (a sentence for people, field errors, conflicting seats) and
// never the raw body.
import type {
  Booking, CreateQueueRequest, FieldError, Layout, QueueEntry, QueueOrder, QueueStatus, Session, Show, ShowDetail, ShowPage,
  UpdateQueueRequest, User, Venue, VenueSummary,
} from "./types";

/** A failed call: an HTTP error answer, or no answer at all (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    readonly conflictingSeats: number[] = [],
    readonly retryAfterSeconds: number | null = null,
    /** The problem's `type`, e.g. "/problems/no-adjacent-seats". */
    readonly type: string | null = null,
    /** With no-adjacent-seats: the largest block of seats free now that matches. */
    readonly largestBlock: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The message for one form field, if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.fieldErrors.find((error) => error.field === field)?.message;
  }
}

const fallbackMessages: Record<number, string> = {
  0: "Marquee cannot be reached. Check your connection and try again.",
  400: "That request could not be read. Please try again.",
  401: "Please log in to continue.",
  403: "Your account is not allowed to do that.",
  404: "That could not be found. It may have been removed.",
  409: "That clashes with something that just changed. Please try again.",
  410: "That is no longer available.",
  413: "That is too large to send.",
  422: "Please check the highlighted fields.",
  429: "Too many attempts. Please wait a moment and try again.",
};

/** A sentence for people, for a status that came without a usable `detail`. */
export function fallbackMessage(status: number): string {
  return fallbackMessages[status] ?? (status >= 500
    ? "Something went wrong on our side. Please try again in a moment."
    : "That did not work. Please try again.");
}

/**
 * Turns an error answer into an ApiError. Problem details (RFC 9457) give the message,
 * the field errors and the conflicting seats; any other body is never shown.
 */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let problem: Record<string, unknown> = {};
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) {
    try {
      const body: unknown = await response.json();
      if (body && typeof body === "object" && !Array.isArray(body)) problem = body as Record<string, unknown>;
    } catch {
      // An unreadable body: the status alone decides the message.
    }
  }
  const detail = typeof problem.detail === "string" && response.status < 500 ? problem.detail : "";
  const fieldErrors = Array.isArray(problem.errors)
    ? problem.errors.filter(isFieldError)
    : [];
  const conflictingSeats = Array.isArray(problem.conflictingSeats)
    ? problem.conflictingSeats.filter((seat): seat is number => Number.isInteger(seat))
    : [];
  const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  return new ApiError(
    response.status,
    detail || fallbackMessage(response.status),
    fieldErrors,
    conflictingSeats,
    Number.isFinite(retryAfter) ? retryAfter : null,
    typeof problem.type === "string" ? problem.type : null,
    Number.isInteger(problem.largestBlock) ? (problem.largestBlock as number) : null,
  );
}

function isFieldError(value: unknown): value is FieldError {
  if (!value || typeof value !== "object") return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.field === "string" && typeof candidate.message === "string";
}

export interface ApiClientOptions {
  /** The bearer token to send, read at each call. */
  token: () => string | null;
  /** Called when the server refuses the token that was sent (401). */
  onUnauthorized: () => void;
  fetch?: typeof fetch;
}

/** Seats by number, or the best available that fit a request (a show on a venue only). */
export type NewBooking =
  | { showId: string; seats: number[]; hold: boolean }
  | { showId: string; quantity: number; section?: string; category?: string; accessible?: boolean; hold: boolean };

/** Numbered seats, or a venue whose plan gives the seats; optionally an on-sale time and a queue. */
export type NewShow = { name: string; startTime: string; onSaleAt?: string; queue?: CreateQueueRequest }
  & ({ totalSeats: number } | { venueId: string });

/**
 * Orders two `Marquee-Consistency` tokens (WAL positions, `16/B374D848`): negative when `a`
 * is older. A token that does not read as one counts as oldest.
 */
export function compareConsistency(a: string, b: string): number {
  const parse = (token: string) => {
    const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(token);
    return match ? [Number.parseInt(match[1], 16), Number.parseInt(match[2], 16)] : [-1, -1];
  };
  const [x, y] = [parse(a), parse(b)];
  return x[0] !== y[0] ? x[0] - y[0] : x[1] - y[1];
}

/** Typed calls to the Marquee API (shared/API.md). */
export class ApiClient {
  /** Server clock minus this browser's, in ms, when they differ by more than 2 s. */
  serverOffsetMs = 0;
  /**
   * The newest `Marquee-Consistency` a write answered with, sent back with every read, so a
   * read served by a replica still shows this visitor's own bookings.
   */
  consistency: string | null = null;

  constructor(private readonly options: ApiClientOptions) {}

  signup(body: { name: string; email: string; password: string }): Promise<Session> {
    return this.request("POST", "/api/auth/signup", body);
  }

  login(body: { email: string; password: string }): Promise<Session> {
    return this.request("POST", "/api/auth/login", body);
  }

  me(): Promise<User> {
    return this.request("GET", "/api/auth/me");
  }

  /**
   * Ends the session `token` names on the server, so the token is refused from then on
   * wherever it was copied. Sent with that token even when the app has already let go of it.
   */
  logout(token: string): Promise<void> {
    return this.request("POST", "/api/auth/logout", undefined, {}, token);
  }

  /** Ends every session of the signed-in account, on every device. */
  logoutAll(): Promise<void> {
    return this.request("POST", "/api/auth/logout-all");
  }

  listShows(query: { limit?: number; cursor?: string | null; from?: string } = {}): Promise<ShowPage> {
    const params = new URLSearchParams();
    if (query.limit) params.set("limit", String(query.limit));
    if (query.cursor) params.set("cursor", query.cursor);
    if (query.from) params.set("from", query.from);
    const search = params.toString();
    return this.request("GET", `/api/shows${search ? `?${search}` : ""}`);
  }

  getShow(id: string): Promise<ShowDetail> {
    return this.request("GET", `/api/shows/${encodeURIComponent(id)}`);
  }

  /** The seating plan of the show's venue; the browser keeps it by its ETag. */
  getShowLayout(id: string): Promise<Layout> {
    return this.request("GET", `/api/shows/${encodeURIComponent(id)}/layout`);
  }

  /** Replaces the show's blocked seats (admins); answers with them, sorted. */
  setBlockedSeats(id: string, seats: number[]): Promise<{ seats: number[] }> {
    return this.request("PUT", `/api/shows/${encodeURIComponent(id)}/blocked-seats`, { seats });
  }

  /** Admins: a venue from a seating plan; 422 names each problem by its member path. */
  createVenue(body: { name: string; layout: Layout }): Promise<Venue> {
    return this.request("POST", "/api/venues", body);
  }

  /** Admins: every venue, newest first, without its plan. */
  listVenues(): Promise<VenueSummary[]> {
    return this.request<{ items: VenueSummary[] }>("GET", "/api/venues").then((page) => page.items);
  }

  createShow(body: NewShow): Promise<Show> {
    return this.request("POST", "/api/shows", body);
  }

  /**
   * `idempotencyKey` makes a retry of the same attempt safe: it never books twice. For a show
   * with a queue, `queuePass` is the pass of the buyer's admitted entry.
   */
  createBooking(body: NewBooking, idempotencyKey: string, queuePass?: string | null): Promise<Booking> {
    const headers: Record<string, string> = { "Idempotency-Key": idempotencyKey };
    if (queuePass) headers["Queue-Pass"] = queuePass;
    return this.request("POST", "/api/bookings", body, headers);
  }

  /** Joins the show's queue; joining again answers with the same entry. */
  joinQueue(showId: string): Promise<QueueEntry> {
    return this.request("POST", `/api/shows/${encodeURIComponent(showId)}/queue`);
  }

  /** The caller's entry in the show's queue; 404 when not in line. */
  getQueueEntry(showId: string): Promise<QueueEntry> {
    return this.request("GET", `/api/shows/${encodeURIComponent(showId)}/queue/me`);
  }

  getQueueStatus(showId: string): Promise<QueueStatus> {
    return this.request("GET", `/api/shows/${encodeURIComponent(showId)}/queue`);
  }

  getQueueOrder(showId: string): Promise<QueueOrder> {
    return this.request("GET", `/api/shows/${encodeURIComponent(showId)}/queue/order`);
  }

  /** Admins: pause, resume or re-pace the queue. */
  updateQueue(showId: string, body: UpdateQueueRequest): Promise<QueueStatus> {
    return this.request("PATCH", `/api/shows/${encodeURIComponent(showId)}/queue`, body);
  }

  listBookings(): Promise<Booking[]> {
    return this.request<{ items: Booking[] }>("GET", "/api/bookings").then((page) => page.items);
  }

  confirmBooking(id: string): Promise<Booking> {
    return this.request("POST", `/api/bookings/${encodeURIComponent(id)}/confirm`);
  }

  cancelBooking(id: string): Promise<Booking> {
    return this.request("POST", `/api/bookings/${encodeURIComponent(id)}/cancel`);
  }

  /** `ownToken` is sent instead of the session's, and its refusal ends no session here. */
  private async request<T>(
    method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}, ownToken?: string,
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", ...extraHeaders };
    const token = ownToken ?? this.options.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method === "GET" && this.consistency) headers["Marquee-Consistency"] = this.consistency;
    const fetchImpl = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await fetchImpl(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, fallbackMessage(0));
    }
    this.noteServerTime(response);
    this.noteConsistency(response);
    if (!response.ok) {
      const error = await errorFromResponse(response);
      // Only a refused token ends the session: a failed login also answers 401.
      if (response.status === 401 && token && ownToken === undefined) this.options.onUnauthorized();
      throw error;
    }
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(response.status, fallbackMessage(500));
    }
  }

  private noteConsistency(response: Response) {
    const token = response.headers.get("Marquee-Consistency");
    if (token && (!this.consistency || compareConsistency(this.consistency, token) < 0)) this.consistency = token;
  }

  private noteServerTime(response: Response) {
    const date = Date.parse(response.headers.get("Date") ?? "");
    if (!Number.isFinite(date)) return;
    // The header has whole seconds: only a clock that is clearly off is corrected.
    const offset = date - Date.now();
    this.serverOffsetMs = Math.abs(offset) > 2000 ? offset : 0;
  }
}
