/** Plain-fetch calls to the demo services (app/_server/demo-services.ts), as the official tests' ServiceClient makes them. */

import type { ChatMessage } from "@/app/_server/chat-history";

export type { ChatMessage };

async function postJson<T>(url: string, body: unknown, headers: HeadersInit = {}): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export class DemoServices {
  constructor(
    readonly baseUrl: string,
    private readonly adminToken: string,
  ) {}

  /** `POST /api/PostChatToChannel`; returns the ChatMessage. */
  postChat(from: string, message: string, channel = "*", selector?: string): Promise<ChatMessage> {
    return postJson(`${this.baseUrl}/api/PostChatToChannel`, {
      from,
      message,
      channel,
      ...(selector === undefined ? {} : { selector }),
    });
  }

  /**
   * `POST /api/PostChatToChannel` with `toUserId`: a private chat to that user's subscriptions,
   * the sender's subscription getting the `@name: …` echo. Returns the ChatMessage.
   */
  postChatToUser(
    from: string,
    toUserId: string,
    message: string,
    channel = "*",
  ): Promise<ChatMessage> {
    return postJson(`${this.baseUrl}/api/PostChatToChannel`, { from, toUserId, message, channel });
  }

  /**
   * `POST /api/PostRawToChannel`: `message` (a string or null) as JSON with `selector`, to the
   * channel or, with `toUserId`, to that user's subscriptions.
   */
  postRaw(
    from: string,
    selector: string,
    message: string | null,
    channel = "*",
    toUserId?: string,
  ): Promise<unknown> {
    return postJson(`${this.baseUrl}/api/PostRawToChannel`, {
      from,
      selector,
      message,
      channel,
      ...(toUserId === undefined ? {} : { toUserId }),
    });
  }

  /**
   * `POST /api/PostObjectToChannel` as subscription `from`: each object field becomes `cmd.{Field}`
   * unless `selector` is given.
   */
  postObject(
    request: Record<string, unknown> & { from: string; channel?: string },
  ): Promise<unknown> {
    return postJson(`${this.baseUrl}/api/PostObjectToChannel`, { channel: "*", ...request });
  }

  /** `POST /api/ResetServerEvents` with the operator token (the official test sends none). */
  reset(): Promise<unknown> {
    return postJson(
      `${this.baseUrl}/api/ResetServerEvents`,
      {},
      { Authorization: `Bearer ${this.adminToken}` },
    );
  }

  /** `GET /api/GetEventSubscribers?channels=…` (Meta objects). */
  async getEventSubscribers(channels: string[]): Promise<Record<string, string>[]> {
    const response = await fetch(
      `${this.baseUrl}/api/GetEventSubscribers?channels=${encodeURIComponent(channels.join(","))}`,
    );
    if (!response.ok) throw new Error(`GetEventSubscribers: ${response.status}`);
    return (await response.json()) as Record<string, string>[];
  }
}
