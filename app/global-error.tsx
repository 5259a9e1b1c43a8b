"use client";

import { useEffect } from "react";

/**
 * Replaces the root layout when it fails. It renders its own document without the app's
 * stylesheet, hence the inline styles.
 */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error("[app] the page failed to render", error);
  }, [error]);
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", textAlign: "center", marginTop: "4rem" }}>
        <title>Something went wrong · Server Events</title>
        <h1>Something went wrong</h1>
        <p>The page could not be shown.</p>
        <button type="button" onClick={retry} style={{ padding: "0.5rem 1rem" }}>
          Try again
        </button>
      </body>
    </html>
  );
}
