// Sign up and log in. Field errors come from the API's 422 answer and sit next to their fields.
import { useState } from "react";
import type { FormEvent } from "react";
import { ApiError } from "../../api/client";
import type { Session } from "../../api/types";
import { Link, useRouter } from "../../app/router";
import { useAuth } from "../../lib/AuthContext";
import { Field } from "../../components/Field";
import { useTitle } from "../../lib/hooks";
import { Callout } from "../../components/Status";

type Mode = "login" | "signup";

/** Where to go after signing in: the `next` the visitor came from, if it is a path of this app. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function AuthPage({ mode }: { mode: Mode }) {
  const { api, signIn } = useAuth();
  const { location, navigate } = useRouter();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const signup = mode === "signup";
  useTitle(signup ? "Sign up" : "Log in");

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session: Session = signup
        ? await api.signup({ name, email, password })
        : await api.login({ email, password });
      signIn(session);
      navigate(nextPath(location.search), { replace: true });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, "That did not work. Please try again."));
      setBusy(false);
    }
  };

  // A 409 on sign-up is about the email; other messages without a field go above the form.
  const emailError = error?.fieldMessage("email") ?? (signup && error?.status === 409 ? error.message : undefined);
  const formError = error && error.fieldErrors.length === 0 && !(signup && error.status === 409)
    ? (error.status === 401 ? "That email and password do not match an account." : error.message)
    : null;
  const other = `${signup ? "/login" : "/signup"}${location.search}`;

  return (
    <section className="auth">
      <h1>{signup ? "Create your account" : "Welcome back"}</h1>
      <p className="muted">{signup ? "Sign up to hold and book seats." : "Log in to book seats and see your bookings."}</p>
      {formError && <Callout kind="error">{formError}</Callout>}
      <form className="panel form" onSubmit={(event) => { void submit(event); }} noValidate>
        {signup && (
          <Field id="name" label="Name" autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} error={error?.fieldMessage("name")} />
        )}
        <Field id="email" label="Email" type="email" autoComplete="email" value={email} onChange={(event) => setEmail(event.target.value)} error={emailError} />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete={signup ? "new-password" : "current-password"}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={error?.fieldMessage("password")}
          hint={signup ? "At least 8 characters." : undefined}
        />
        <button type="submit" className="button button-primary button-wide" disabled={busy}>{signup ? "Sign up" : "Log in"}</button>
      </form>
      <p className="switch">
        {signup ? "Already have an account? " : "New to Marquee? "}
        <Link to={other}>{signup ? "Log in instead" : "Create an account"}</Link>
      </p>
    </section>
  );
}
