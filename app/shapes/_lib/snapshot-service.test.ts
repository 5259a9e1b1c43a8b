import { describe, expect, it } from "vitest";
import type { HandlerContext } from "@/lib/server-events";
import { createSnapshotHandler } from "./snapshot-service";

// The body is refused before the context is ever asked for anything.
const handle = createSnapshotHandler({} as HandlerContext);
const url = "http://app.test/shapes/api/snapshot";

async function failure(response: Response): Promise<string> {
  const { responseStatus } = (await response.json()) as { responseStatus: { errorCode: string } };
  return `${response.status} ${responseStatus.errorCode}`;
}

describe("POST /shapes/api/snapshot", () => {
  it("refuses a body past 64 KB with 413, and stops reading a stream soon after the cap", async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 30 * 1024 * 1024) return controller.close();
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    const streamed = await handle(
      new Request(url, {
        method: "POST",
        body: endless,
        headers: { "content-type": "application/json" },
        duplex: "half",
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(256 * 1024);

    const whole = await handle(
      new Request(url, { method: "POST", body: `{"shapes":"${"x".repeat(70_000)}"}` }),
    );
    expect(await failure(whole)).toMatch(/^413 /u);
  });
});
