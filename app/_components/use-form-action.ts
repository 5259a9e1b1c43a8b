"use client";

import { useActionState } from "react";

/**
 * `useActionState` whose every answer is new: `attempt` counts the submissions, so fields keyed
 * by it remount and show their refusal again even when two refusals in a row read the same (a
 * field hides its message once edited, and would otherwise stay silent the second time).
 */
export function useFormAction<State extends object>(
  action: (state: State, formData: FormData) => Promise<State>,
  initial: State,
) {
  type Answered = State & { attempt: number };
  return useActionState<Answered, FormData>(
    async (previous, formData): Promise<Answered> => ({
      ...(await action(previous, formData)),
      attempt: previous.attempt + 1,
    }),
    { ...initial, attempt: 0 } as Awaited<Answered>,
  );
}
