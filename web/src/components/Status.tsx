// The loading, empty and error states every screen uses, so none is ever blank.
import type { ReactNode } from "react";

export function Loading({ label }: { label: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorMessage({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="callout callout-error" role="alert">
      <p>{message}</p>
      {onRetry && <button type="button" className="button button-secondary" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

export function Callout({ kind, children }: { kind: "success" | "info" | "warning" | "error"; children: ReactNode }) {
  return (
    <div className={`callout callout-${kind}`} role={kind === "error" || kind === "warning" ? "alert" : "status"}>
      <div className="callout-body">{children}</div>
    </div>
  );
}
