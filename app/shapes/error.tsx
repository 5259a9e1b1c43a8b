"use client";

import { PageError } from "@/app/_components/page-error";

/** If a canvas fails to render, the page says so; the rest of the app stays. */
export default function ShapesError(props: { error: unknown; retry: () => void }) {
  return (
    <PageError
      {...props}
      logTag="shapes"
      title="Shapes hit a snag"
      detail="A drawing could not be shown."
    />
  );
}
