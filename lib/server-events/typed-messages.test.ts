import { describe, expect, expectTypeOf, it } from "vitest";
import { ServerEventsError } from "./errors";
import {
  defineMessages,
  validateMessage,
  type MessageInput,
  type MessageOutput,
  type MessageSelector,
} from "./typed-messages";
import { eventually, greeting, text, timestamp, type Greeting } from "./testing/standard-schemas";

const catalog = defineMessages({
  "cmd.greet": greeting,
  "cmd.announce": text(10),
  "clock.tick": timestamp,
  "cmd.slow": eventually,
});

async function refusal(promise: Promise<unknown>): Promise<ServerEventsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServerEventsError);
  return error as ServerEventsError;
}

describe("defineMessages", () => {
  it("returns the catalog frozen, schemas unchanged", () => {
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(catalog["cmd.greet"]).toBe(greeting);
  });

  it.each([
    ["no op.target shape", "chat"],
    ["a space", "cmd.a b"],
    ["a channel prefix", "home@cmd.chat"],
    ["a CSS target", "cmd.toggle$#channels"],
    ["the server's own onConnect", "cmd.onConnect"],
    ["the server's own onjoin, in any case", "cmd.onjoin"],
    ["a client's own onMessage hook", "cmd.onMessage"],
  ])("refuses a selector with %s, naming it", (_why, selector) => {
    expect(() => defineMessages({ [selector]: greeting })).toThrow(ServerEventsError);
    expect(() => defineMessages({ [selector]: greeting })).toThrow(selector.split("$")[0]!);
  });

  it("refuses a value that is not a Standard Schema", () => {
    const notASchema = { parse: (v: unknown) => v } as unknown as typeof greeting;
    expect(() => defineMessages({ "cmd.x": notASchema })).toThrow(
      "'cmd.x' is not a Standard Schema v1 schema",
    );
  });

  it("types selectors, inputs and outputs from the schemas", () => {
    type C = typeof catalog;
    expectTypeOf<MessageSelector<C>>().toEqualTypeOf<
      "cmd.greet" | "cmd.announce" | "clock.tick" | "cmd.slow"
    >();
    expectTypeOf<MessageInput<C, "cmd.greet">>().toEqualTypeOf<Greeting>();
    expectTypeOf<MessageInput<C, "clock.tick">>().toEqualTypeOf<number>();
    expectTypeOf<MessageOutput<C, "clock.tick">>().toEqualTypeOf<Date>();
  });
});

describe("validateMessage", () => {
  it("returns the schema's output", async () => {
    await expect(validateMessage(catalog, "clock.tick", 0)).resolves.toEqual(new Date(0));
    await expect(validateMessage(catalog, "cmd.slow", "later")).resolves.toBe("later");
  });

  it("refuses a bad message with a 400 naming its first bad field and every issue", async () => {
    const error = await refusal(validateMessage(catalog, "cmd.greet", { to: "", text: "" }));
    expect(error.status).toBe(400);
    expect(error.field).toBe("message.to");
    expect(error.message).toBe(
      "'cmd.greet' message does not match its schema: to: Required; text: Required",
    );
    expect(error.cause).toHaveLength(2);
  });

  it("names `message` when the value itself is wrong", async () => {
    const error = await refusal(validateMessage(catalog, "cmd.announce", "far too long, this"));
    expect(error.field).toBe("message");
    expect(error.message).toContain("At most 10 characters");
  });

  it("awaits an async schema's verdict", async () => {
    const error = await refusal(validateMessage(catalog, "cmd.slow", 1 as unknown as string));
    expect(error.message).toContain("Expected a string");
  });

  it("refuses a selector the catalog does not declare, inherited names included", async () => {
    for (const selector of ["cmd.nope", "toString"]) {
      const error = await refusal(validateMessage(catalog, selector as "cmd.greet", "x" as never));
      expect(error.field).toBe("selector");
    }
  });

  it("refuses wrong selectors and messages at compile time", () => {
    const typeChecks = () => {
      // @ts-expect-error not declared in the catalog
      void validateMessage(catalog, "cmd.unknown", "x");
      // @ts-expect-error cmd.greet takes a Greeting, not a string
      void validateMessage(catalog, "cmd.greet", "hi");
      // @ts-expect-error the wire carries the input (milliseconds), not the output Date
      void validateMessage(catalog, "clock.tick", new Date());
    };
    expectTypeOf(typeChecks).toBeFunction();
  });
});
