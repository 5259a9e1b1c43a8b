import { afterEach, describe, expect, it } from "vitest";
import { connectSubscriber, testSubscription } from "@/lib/testing/subscriber";
import { createEventStream } from "./event-stream-sink";
import { MemoryServerEvents } from "./memory-server-events";
import { createSubscriptionId } from "./subscription-id";

const decoder = new TextDecoder();
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A member of `lobby` whose stream is read chunk by chunk: one chunk is one write to its socket. */
async function connectRawMember(events: MemoryServerEvents) {
  const id = createSubscriptionId();
  const { stream, sink } = createEventStream(events.options.maxBufferedBytes, () => undefined);
  const sub = testSubscription(events, id, sink, { channels: ["lobby"] });
  const reader = stream.getReader();
  await events.register(sub, { id });
  return {
    async nextChunk(): Promise<string> {
      const { value } = await reader.read();
      return decoder.decode(value);
    },
    cancel: () => reader.cancel(),
  };
}

const selectorsIn = (chunk: string) =>
  [...chunk.matchAll(/^data: (\S+)/gm)].map((match) => match[1]);

describe("presence during a reconnect herd", () => {
  let events: MemoryServerEvents;

  afterEach(async () => {
    await events.stop();
  });

  it("gives a member the joins of many separate arrivals in one write, then the next message at once", async () => {
    // Long enough that only the chat message below can have flushed the joins.
    events = new MemoryServerEvents({ presenceFlushMs: 60_000, onError: () => undefined });
    await events.start();
    const member = await connectRawMember(events);
    // Its own join rides along with cmd.onConnect, which may not wait.
    expect(selectorsIn(await member.nextChunk())).toEqual(["cmd.onConnect", "lobby@cmd.onJoin"]);

    const joiners = [];
    for (let i = 0; i < 20; i++) {
      joiners.push(await connectSubscriber(events, { channels: ["lobby"] }));
      await nextTurn();
    }
    await events.notifyChannel("lobby", "cmd.chat", { message: "hello" });

    const chunk = await member.nextChunk();
    expect(selectorsIn(chunk)).toEqual([
      ...joiners.map(() => "lobby@cmd.onJoin"),
      "lobby@cmd.chat",
    ]);
    const ids = [...chunk.matchAll(/^id: (\d+)/gm)].map((match) => Number(match[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    await member.cancel();
    await Promise.all(joiners.map((joiner) => joiner.frames.cancel()));
  });

  it("writes presence after the current turn when presenceFlushMs is 0", async () => {
    events = new MemoryServerEvents({ presenceFlushMs: 0, onError: () => undefined });
    await events.start();
    const member = await connectRawMember(events);
    expect(selectorsIn(await member.nextChunk())).toEqual(["cmd.onConnect", "lobby@cmd.onJoin"]);
    const joiner = await connectSubscriber(events, { channels: ["lobby"] });
    expect(selectorsIn(await member.nextChunk())).toEqual(["lobby@cmd.onJoin"]);
    await member.cancel();
    await joiner.frames.cancel();
  });
});
