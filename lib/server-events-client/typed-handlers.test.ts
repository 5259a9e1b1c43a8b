import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import { defineMessages } from "../server-events/typed-messages";
import {
  eventually,
  greeting,
  text,
  timestamp,
  type Greeting,
} from "../server-events/testing/standard-schemas";
import { ServerEventsClientError } from "./errors";
import { parseServerEventData } from "./message-parser";
import { ServerEventsClient } from "./server-events-client";
import { createHarness, flush } from "./testing/client-harness";
import { typedHandlers, type TypedHandlers } from "./typed-handlers";
import type { ServerEventHandlers, ServerEventMessage } from "./types";

const catalog = defineMessages({
  "cmd.greet": greeting,
  "cmd.announce": text(10),
  "cmd.tick": timestamp,
  "cmd.slow": eventually,
  "tv.watch": text(),
});

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const frame = (data: string): ServerEventMessage => parseServerEventData(data, 1);

describe("typedHandlers", () => {
  it("calls a declared handler with the schema's output, on the client's stream", async () => {
    const ticks: Date[] = [];
    const greet = vi.fn<(g: Greeting) => void>();
    const { server, errors, connect } = createHarness<TypedHandlers<typeof catalog>>({
      handlers: typedHandlers(catalog, {
        tick: (at) => ticks.push(at),
        greet: (g) => greet(g),
      }),
    });
    await connect();
    server.stream.send(2, "cmd.tick", 0);
    server.stream.send(3, "home@cmd.greet", { to: "bob", text: "hi" });
    await flush();
    expect(ticks).toEqual([new Date(0)]);
    expect(greet).toHaveBeenCalledWith({ to: "bob", text: "hi" });
    expect(errors).toEqual([]);
  });

  it("reports a refused body to onException as invalid-body and does not call the handler", async () => {
    const greet = vi.fn();
    const announce = vi.fn();
    const { server, errors, connect } = createHarness<TypedHandlers<typeof catalog>>({
      handlers: typedHandlers(catalog, { greet, announce }),
    });
    await connect();
    server.stream.send(2, "home@cmd.greet", "hi");
    server.stream.send(3, "cmd.announce", "fine");
    await flush();
    expect(greet).not.toHaveBeenCalled();
    expect(announce).toHaveBeenCalledWith("fine", expect.objectContaining({ eventId: 3 }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ServerEventsClientError);
    expect(errors[0]).toMatchObject({
      code: "invalid-body",
      message: "home@cmd.greet: the body does not match its schema: to: Required; text: Required",
    });
  });

  it("hands a refused body to onInvalid instead, when given", () => {
    const onInvalid = vi.fn<(error: ServerEventsClientError, e: ServerEventMessage) => void>();
    const handlers = typedHandlers(catalog, { announce: vi.fn() }, { onInvalid });
    const e = frame('cmd.announce "longer than ten"');
    handlers.announce?.(e.body as string, e);
    const [error, refusedFrame] = onInvalid.mock.calls[0] ?? [];
    expect(error).toMatchObject({
      code: "invalid-body",
      message: "cmd.announce: the body does not match its schema: At most 10 characters",
    });
    expect(refusedFrame).toBe(e);
  });

  it("refuses a schema that answers asynchronously: waiting would reorder frames", () => {
    const onInvalid = vi.fn();
    const slow = vi.fn();
    const handlers = typedHandlers(catalog, { slow }, { onInvalid });
    const e = frame('cmd.slow "x"');
    handlers.slow?.("x", e);
    expect(slow).not.toHaveBeenCalled();
    expect(onInvalid.mock.calls[0]?.[0]).toMatchObject({
      message: "cmd.slow: its schema validates asynchronously",
    });
  });

  it("keeps built-in handlers as they are and `this` as the dispatcher sets it", () => {
    const onJoin = vi.fn();
    const selves: unknown[] = [];
    const handlers = typedHandlers(catalog, {
      onJoin,
      announce(this: unknown) {
        selves.push(this);
      },
    });
    expect(handlers).toHaveProperty("onJoin", onJoin);
    const element = { id: "top" };
    handlers.announce?.call(element, "hi", frame('cmd.announce "hi"'));
    expect(selves).toEqual([element]);
  });
});

describe("TypedHandlers", () => {
  it("names a handler after each cmd.X of the catalog, typed from the schema's output", () => {
    type H = TypedHandlers<typeof catalog>;
    expectTypeOf<keyof H>().toEqualTypeOf<"greet" | "announce" | "tick" | "slow">();
    expectTypeOf<Parameters<H["tick"]>[0]>().toEqualTypeOf<Date>();
    expectTypeOf<Parameters<H["greet"]>[0]>().toEqualTypeOf<Greeting>();
  });

  it("types unannotated handlers and refuses wrong annotations at compile time", () => {
    const typeChecks = () => {
      typedHandlers(catalog, {
        greet: (g) => expectTypeOf(g).toEqualTypeOf<Greeting>(),
        tick: (at, e) => [expectTypeOf(at).toEqualTypeOf<Date>(), e.channel],
        onJoin: (e) => e.displayName,
      });
      // @ts-expect-error cmd.toggle is not in the catalog: spread the result, then add it
      typedHandlers(catalog, { toggle: () => undefined });
      const all: ServerEventHandlers = {
        ...typedHandlers(catalog, { greet: (g) => g.to }),
        toggle: (body) => expectTypeOf(body).toEqualTypeOf<unknown>(),
      };
      // @ts-expect-error cmd.announce's body is a string
      typedHandlers(catalog, { announce: (n: number) => n });
      const client = new ServerEventsClient<TypedHandlers<typeof catalog>>("/", ["home"], {
        handlers: all,
      });
      // @ts-expect-error cmd.tick's handler gets a Date, not the wire's number
      client.registerHandler("tick", (at: number) => at);
    };
    expectTypeOf(typeChecks).toBeFunction();
  });
});
