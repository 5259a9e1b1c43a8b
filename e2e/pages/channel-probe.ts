import type { Page } from "@playwright/test";

/**
 * Opens a stream in the page as its person, then tries `channel` three ways: a stream on it,
 * adding it to the live subscription, publishing `selector` to it. Returns the three statuses.
 */
export function tryChannel(page: Page, channel: string, selector: string): Promise<number[]> {
  return page.evaluate(
    async ([channel, selector]) => {
      const statusOf = (response: Response) => response.status;
      const direct = await fetch(`/event-stream?channels=${channel}`).then(statusOf);
      const stream = await fetch("/event-stream?channels=lobby");
      const reader = stream.body!.getReader();
      let text = "";
      while (!text.includes("cmd.onConnect"))
        text += new TextDecoder().decode((await reader.read()).value);
      const { id } = JSON.parse(text.slice(text.indexOf("{"), text.indexOf("}\n") + 1)) as {
        id: string;
      };
      const post = (url: string, body: object) =>
        fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }).then(statusOf);
      const subscribe = await post(`/event-subscribers/${id}`, { subscribeChannels: [channel] });
      const publish = await post(`/channels/${channel}/raw`, {
        from: id,
        selector,
        message: "forged",
      });
      await reader.cancel();
      return [direct, subscribe, publish];
    },
    [channel, selector] as const,
  );
}
