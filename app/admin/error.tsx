"use client";

import { PageError } from "@/app/_components/page-error";

/** A report the dashboard could not render takes only this page down, not the nav. */
export default function AdminError(props: { error: unknown; retry: () => void }) {
  return (
    <PageError
      {...props}
      logTag="admin"
      title="The dashboard hit a snag"
      detail="A report could not be shown. Subscriptions and channels are unaffected."
    />
  );
}
