// Upcoming shows from now on, a page at a time.
import { useCallback, useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import type { Show } from "../../api/types";
import { useAuth } from "../../lib/AuthContext";
import { rfc3339 } from "../../lib/format";

const pageSize = 24;

export function useShowList() {
  const { api } = useAuth();
  const [shows, setShows] = useState<Show[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [from] = useState(() => rfc3339(new Date()));

  const load = useCallback(async (after: string | null) => {
    setError(null);
    if (after) setLoadingMore(true);
    try {
      const page = await api.listShows({ limit: pageSize, cursor: after, from });
      setShows((current) => (after && current ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "The shows could not be loaded.");
    } finally {
      setLoadingMore(false);
    }
  }, [api, from]);

  useEffect(() => { void load(null); }, [load]);

  return { shows, cursor, error, loadingMore, load };
}
