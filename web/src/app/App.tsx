// The frame every screen shares (header, session notice) and the choice of screen.
import { useEffect, useRef } from "react";
import { useAuth } from "../lib/AuthContext";
import { AccountPage } from "../features/account/AccountPage";
import { AuthPage } from "../features/auth/AuthPage";
import { NewShowPage } from "../features/admin/NewShowPage";
import { VenueBuilderPage } from "../features/admin/VenueBuilderPage";
import { MyBookingsPage } from "../features/my-bookings/MyBookingsPage";
import { ShowPage } from "../features/booking/ShowPage";
import { ShowsPage } from "../features/shows/ShowsPage";
import { useTitle } from "../lib/hooks";
import { Empty } from "../components/Status";
import { Link, matchSegment, useRouter } from "./router";

export function App() {
  const { location } = useRouter();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a change of screen, reading starts at the new screen, not at the old button.
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <Header />
      <main id="main" ref={main} tabIndex={-1}>
        <SessionNotice />
        <Screen pathname={location.pathname} />
      </main>
      <footer className="footer">Marquee · every seat sold once</footer>
    </>
  );
}

function Screen({ pathname }: { pathname: string }) {
  const showId = matchSegment(pathname, "/shows");
  if (pathname === "/") return <ShowsPage />;
  if (showId) return <ShowPage key={showId} showId={showId} />;
  if (pathname === "/bookings") return <MyBookingsPage />;
  if (pathname === "/account") return <AccountPage />;
  if (pathname === "/login") return <AuthPage key="login" mode="login" />;
  if (pathname === "/signup") return <AuthPage key="signup" mode="signup" />;
  if (pathname === "/admin/shows/new") return <NewShowPage />;
  if (pathname === "/admin/venues/new") return <VenueBuilderPage />;
  return <NotFound />;
}

function Header() {
  const { user, signOut } = useAuth();
  const { location } = useRouter();
  const here = (path: string) => (location.pathname === path ? "page" : undefined);
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to="/" className="brand" aria-label="Marquee, all shows">
          <span className="brand-mark" aria-hidden="true" />Marquee
        </Link>
        <nav aria-label="Main">
          <Link to="/" aria-current={here("/")}>Shows</Link>
          {user && <Link to="/bookings" aria-current={here("/bookings")}>My bookings</Link>}
          {user?.role === "admin" && <Link to="/admin/shows/new" aria-current={here("/admin/shows/new")}>New show</Link>}
          {user?.role === "admin" && <Link to="/admin/venues/new" aria-current={here("/admin/venues/new")}>New venue</Link>}
        </nav>
        <div className="account">
          {user ? (
            <>
              <Link to="/account" className="account-name" title={`${user.email}: account and sessions`} aria-current={here("/account")}>
                {user.name}{user.role === "admin" ? " (admin)" : ""}
              </Link>
              <button type="button" className="button button-ghost" onClick={signOut}>Log out</button>
            </>
          ) : (
            <>
              <Link to={`/login?next=${encodeURIComponent(location.pathname)}`} className="button button-ghost">Log in</Link>
              <Link to={`/signup?next=${encodeURIComponent(location.pathname)}`} className="button button-primary">Sign up</Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

function SessionNotice() {
  const { user, sessionEnded, dismissSessionEnded } = useAuth();
  const { location } = useRouter();
  if (!sessionEnded || user) return null;
  return (
    <div className="callout callout-warning notice" role="alert">
      <p>
        Your session has ended, so you have been logged out.{" "}
        <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in again</Link> to carry on where you were.
      </p>
      <button type="button" className="link-button" onClick={dismissSessionEnded}>Dismiss</button>
    </div>
  );
}

function NotFound() {
  useTitle("Not found");
  return (
    <Empty title="This page does not exist">
      <p><Link to="/">See all shows</Link></p>
    </Empty>
  );
}
