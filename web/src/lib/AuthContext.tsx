// Who is signed in, held in one React Context. The token lives in memory and in this tab's
// sessionStorage (see the README for why, and for the XSS trade-off).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import { ApiClient } from "../api/client";
import type { Session, User } from "../api/types";

const storageKey = "marquee.session";

interface AuthValue {
  user: User | null;
  api: ApiClient;
  signIn: (session: Session) => void;
  /** Signs out here at once and ends the session on the server, so the token is dead everywhere. */
  signOut: () => void;
  /** Ends every session of the account on the server (other devices too), then signs out here. */
  signOutEverywhere: () => Promise<void>;
  /** True after the server refused the token and the visitor was signed out. */
  sessionEnded: boolean;
  dismissSessionEnded: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

function storedSession(): Session | null {
  try {
    const text = window.sessionStorage.getItem(storageKey);
    if (!text) return null;
    const session = JSON.parse(text) as Session;
    return typeof session.token === "string" && session.user ? session : null;
  } catch {
    return null;
  }
}

function store(session: Session | null) {
  try {
    if (session) window.sessionStorage.setItem(storageKey, JSON.stringify(session));
    else window.sessionStorage.removeItem(storageKey);
  } catch {
    // Storage can be off (private modes): the session then lasts as long as the page.
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(storedSession);
  const [sessionEnded, setSessionEnded] = useState(false);
  // The client reads the token at each call, so it is made once and never goes stale.
  const tokenRef = useRef<string | null>(session?.token ?? null);

  const update = useCallback((next: Session | null) => {
    tokenRef.current = next?.token ?? null;
    store(next);
    setSession(next);
  }, []);

  const api = useMemo(() => new ApiClient({
    token: () => tokenRef.current,
    onUnauthorized: () => {
      update(null);
      setSessionEnded(true);
    },
  }), [update]);

  const signIn = useCallback((next: Session) => {
    setSessionEnded(false);
    update(next);
  }, [update]);
  const signOut = useCallback(() => {
    const token = tokenRef.current;
    update(null);
    // The screen does not wait for the server; a token it cannot revoke (offline) is still
    // gone from this browser, and expires within the hour.
    if (token) api.logout(token).catch(() => undefined);
  }, [api, update]);
  const signOutEverywhere = useCallback(async () => {
    await api.logoutAll();
    update(null);
  }, [api, update]);
  const dismissSessionEnded = useCallback(() => setSessionEnded(false), []);

  // A stored session may be stale (an expired token, a changed role): ask once on load.
  useEffect(() => {
    if (!tokenRef.current) return;
    const token = tokenRef.current;
    api.me().then(
      (user) => { if (tokenRef.current === token) update({ token, user }); },
      () => { /* a 401 already signed out; a network error keeps the session */ },
    );
  }, [api, update]);

  const value = useMemo(
    () => ({ user: session?.user ?? null, api, signIn, signOut, signOutEverywhere, sessionEnded, dismissSessionEnded }),
    [session, api, signIn, signOut, signOutEverywhere, sessionEnded, dismissSessionEnded],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth needs an AuthProvider");
  return value;
}
