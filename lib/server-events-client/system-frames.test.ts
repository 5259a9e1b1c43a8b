import { describe, expect, it } from "vitest";
import { parseServerEventData } from "./message-parser";
import { systemFrameProblem } from "./system-frames";

const problem = (data: string) => systemFrameProblem(parseServerEventData(data, 1));

describe("systemFrameProblem", () => {
  it("accepts system frames as the server writes them", () => {
    expect(problem('cmd.onConnect {"id":"x"}')).toBeUndefined();
    expect(problem('cmd.onHeartbeat {"userId":"-1"}')).toBeUndefined();
    expect(problem('home@cmd.onJoin {"userId":"-1"}')).toBeUndefined();
    expect(problem('home@cmd.onLeave {"userId":"-1"}')).toBeUndefined();
    expect(problem('home@cmd.onUpdate {"userId":"-1"}')).toBeUndefined();
  });

  it("refuses onConnect and onHeartbeat with a channel prefix", () => {
    expect(problem('home@cmd.onConnect {"id":"evil"}')).toMatch(/never sent to a channel/);
    expect(problem("home@cmd.onHeartbeat {}")).toMatch(/never sent to a channel/);
  });

  it("refuses onJoin, onLeave and onUpdate without a channel prefix", () => {
    expect(problem("cmd.onJoin {}")).toMatch(/always sent to a channel/);
    expect(problem("cmd.onLeave {}")).toMatch(/always sent to a channel/);
    expect(problem("cmd.onUpdate {}")).toMatch(/always sent to a channel/);
  });

  it("refuses system frames with a css selector", () => {
    expect(problem("cmd.onConnect$#top {}")).toMatch(/\$cssSelector/);
    expect(problem("home@cmd.onJoin$body {}")).toMatch(/\$cssSelector/);
  });

  it("refuses frames named after the client's lifecycle hooks", () => {
    for (const hook of ["onMessage", "onCommand", "onException", "onReconnect", "onStop"])
      expect(problem(`home@cmd.${hook} {}`)).toMatch(/the client's own hook/);
  });

  it("has no opinion on any other frame", () => {
    expect(problem('home@cmd.chat "hi"')).toBeUndefined();
    expect(problem('home@trigger.onConnect "hi"')).toBeUndefined();
    expect(problem('home@tv.onJoin "hi"')).toBeUndefined();
  });
});
