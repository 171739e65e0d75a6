-- Shows on a venue (API.md, "Seating plans"), and blocked seats. A show's venue is set when
-- the show is made and never changes. A blocked seat (a house seat, a broken one) is a seat
-- claim with no booking and no expiry: the same primary key that refuses a double sale
-- refuses a booking of a blocked seat, and a block of a sold one.
ALTER TABLE shows ADD COLUMN venue_id uuid REFERENCES venues (id);
ALTER TABLE seat_claims ALTER COLUMN booking_id DROP NOT NULL;
ALTER TABLE seat_claims ADD CONSTRAINT seat_claims_block_never_lapses
    CHECK (booking_id IS NOT NULL OR expires_at IS NULL);
