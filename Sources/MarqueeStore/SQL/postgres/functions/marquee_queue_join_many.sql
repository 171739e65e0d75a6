-- Joins of one show's queue in one transaction and one commit, each decided by
-- marquee_queue_join exactly as it would be alone, in the order given (so ranks follow that
-- order). A commit per join bound a flood of joins to the disk's flush rate, as a commit per
-- booking did: 83 joins a second on this VM, measured. One row per join: its 1-based
-- position, then marquee_queue_join's answer. When the pre-queue must be drawn first, every
-- join answers 'unranked' and nothing is written.
CREATE OR REPLACE FUNCTION marquee_queue_join_many(p_show uuid, p_entries uuid[], p_users uuid[], p_now timestamptz)
RETURNS TABLE (result_index int, result_outcome text, entry_id uuid, entry_rank int, entry_joined_at timestamptz,
               entry_admitted_at timestamptz, entry_used boolean)
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1 .. coalesce(cardinality(p_users), 0) LOOP
        RETURN QUERY SELECT i, j.* FROM marquee_queue_join(p_entries[i], p_show, p_users[i], p_now) AS j;
    END LOOP;
END;
$$;
