"use client";

import { PageError } from "@/app/_components/page-error";

/** The chat's last line of defence: whatever a message managed to break, only this page goes. */
export default function ChatError(props: { error: unknown; retry: () => void }) {
  return (
    <PageError
      {...props}
      logTag="chat"
      title="The chat hit a snag"
      detail="Something in the conversation could not be shown. Your messages are safe on the server."
    />
  );
}
