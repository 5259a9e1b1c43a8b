import { describe, expect, it } from "vitest";
import type { PublishRequest } from "@/lib/server-events";
import { planChunks } from "./batch-chunks";
import {
  batchHeader,
  decodeBusPayload,
  encodeBody,
  encodeControl,
  type ControlRequest,
} from "./bus-payload";

const chat: PublishRequest = {
  target: { kind: "userId", value: "u 1\nline" },
  channelFilter: "room",
  selector: "cmd.chat",
  json: '{"text":"a\\nb"}',
};
const subscribe: ControlRequest = {
  to: "b",
  from: "a",
  control: { type: "subscribe", id: "x", channels: ["c"] },
};

describe("bus payloads", () => {
  it("carries a batch of messages and logged control messages with their ids", () => {
    const bodies = [encodeBody(chat), encodeBody(subscribe)];
    const [chunk] = planChunks(bodies, 7_500);
    const decoded = decodeBusPayload(`${batchHeader(41, 42, 1_700_000_000_000)}${chunk!.bodies}`);
    expect(decoded).toEqual({
      kind: "batch",
      first: 41,
      last: 42,
      createdAt: 1_700_000_000_000,
      entries: [
        { ...chat, id: 41, createdAt: 1_700_000_000_000 },
        { ...subscribe, id: 42, createdAt: 1_700_000_000_000 },
      ],
    });
  });

  it("decodes a slice sent by reference as ids only", () => {
    expect(decodeBusPayload("b 7 9 1")).toEqual({
      kind: "batch",
      first: 7,
      last: 9,
      createdAt: 1,
      entries: null,
    });
  });

  it("still reads the one-message payload of instances from before batching", () => {
    const decoded = decodeBusPayload(`m 5 2 ${encodeBody(chat)}`);
    expect(decoded).toMatchObject({ kind: "batch", first: 5, last: 5, entries: [{ id: 5 }] });
    expect(decodeBusPayload("m 5 2")).toMatchObject({ first: 5, last: 5, entries: null });
  });

  it("refuses a batch whose bodies do not match its ids", () => {
    expect(() => decodeBusPayload(`b 1 3 0\n${encodeBody(chat)}`)).toThrow(/carries 1 bodies/);
    expect(() => decodeBusPayload("hello")).toThrow(/unexpected notification/);
  });

  it("round-trips unlogged control messages and refuses oversized ones", () => {
    const payload = encodeControl("b", "a", { type: "pulse", id: "x" }, 100);
    expect(decodeBusPayload(payload)).toEqual({
      kind: "control",
      to: "b",
      from: "a",
      message: { type: "pulse", id: "x" },
    });
    const channels = Array.from({ length: 50 }, (_, n) => `channel-${n}`);
    expect(() => encodeControl("b", "a", { type: "subscribe", id: "x", channels }, 100)).toThrow();
  });
});
