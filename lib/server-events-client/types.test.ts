import { describe, expectTypeOf, it } from "vitest";
import { ServerEventsClient } from "./server-events-client";
import type { ServerEventConnect, ServerEventJoin, ServerEventMessage } from "./types";

interface ChatMessage {
  message: string;
}

// Compile-time checks (tsc runs them); the bodies never execute.
describe("handler typing", () => {
  it("types built-in handlers and accepts annotated custom ones", () => {
    const build = () =>
      new ServerEventsClient("http://h", ["home"], {
        handlers: {
          onConnect: (info) => expectTypeOf(info).toEqualTypeOf<ServerEventConnect>(),
          onJoin: (e) => expectTypeOf(e).toEqualTypeOf<ServerEventJoin>(),
          announce: (body) => expectTypeOf(body).toEqualTypeOf<unknown>(),
          chat: (msg: ChatMessage, e: ServerEventMessage) => [msg.message, e.channel],
        },
      });
    expectTypeOf(build).returns.toHaveProperty("registerHandler");
  });

  it("checks registerHandler against declared handlers", () => {
    interface Handlers {
      chat: (msg: ChatMessage, e: ServerEventMessage) => void;
    }
    const register = (client: ServerEventsClient<Handlers>) => {
      client.registerHandler("chat", (msg) => expectTypeOf(msg).toEqualTypeOf<ChatMessage>());
      client.registerHandler("onHeartbeat", (meta) =>
        expectTypeOf(meta).toEqualTypeOf<Record<string, string>>(),
      );
      // @ts-expect-error the declared body is a ChatMessage
      client.registerHandler("chat", (msg: number) => msg);
    };
    expectTypeOf(register).parameter(0).toEqualTypeOf<ServerEventsClient<Handlers>>();
  });
});
