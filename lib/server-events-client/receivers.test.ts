import { describe, expect, it, vi } from "vitest";
import { parseServerEventData } from "./message-parser";
import {
  invokeReceiver,
  NewInstanceResolver,
  ServerEventReceiver,
  SingletonInstanceResolver,
} from "./receivers";

const msg = (data: string) => parseServerEventData(data, 1);
const resolver = new NewInstanceResolver();

describe("invokeReceiver", () => {
  it("never reaches a member every object inherits", () => {
    const receiver = { noSuchMethod: vi.fn() };
    const prototype = Object.getPrototypeOf(receiver) as unknown;
    invokeReceiver(receiver, resolver, msg('test.__proto__ {"polluted":true}'), "client");
    invokeReceiver(receiver, resolver, msg('test.constructor "x"'), "client");
    invokeReceiver(receiver, resolver, msg('test.__define-Setter__ "x"'), "client");
    expect(Object.getPrototypeOf(receiver)).toBe(prototype);
    expect(receiver.noSuchMethod.mock.calls.map(([target]) => target as string)).toEqual([
      "__proto__",
      "constructor",
      "__define-Setter__",
    ]);
  });

  it("calls a method with (body, message) and sets client and request", () => {
    const receiver = { fooMethod: vi.fn() };
    const request = msg('test.fooMethod {"id":1,"name":"Foo"}');
    invokeReceiver(receiver, resolver, request, "client");
    expect(receiver.fooMethod).toHaveBeenCalledWith({ id: 1, name: "Foo" }, request);
    expect(receiver).toMatchObject({ client: "client", request });
  });

  it("sets a property, including through a setter", () => {
    class Receiver extends ServerEventReceiver {
      plain = "";
      stored: unknown;
      set quxSetter(value: unknown) {
        this.stored = value;
      }
    }
    const receiver = new Receiver();
    invokeReceiver(receiver, resolver, msg('test.quxSetter {"a":1}'), null);
    invokeReceiver(receiver, resolver, msg('test.plain "text"'), null);
    expect(receiver.stored).toEqual({ a: 1 });
    expect(receiver.plain).toBe("text");
  });

  it("matches members case-insensitively after removing the first dash", () => {
    const receiver = { backgroundImage: vi.fn(), noSuchMethod: vi.fn() };
    invokeReceiver(receiver, resolver, msg('css.background-image$#top "url(x)"'), null);
    expect(receiver.backgroundImage).toHaveBeenCalledWith("url(x)", expect.anything());
    expect(receiver.noSuchMethod).not.toHaveBeenCalled();
  });

  it("calls noSuchMethod(target, message) for unknown targets", () => {
    const receiver = { noSuchMethod: vi.fn() };
    const request = msg("test.BazMethod {}");
    invokeReceiver(receiver, resolver, request, null);
    expect(receiver.noSuchMethod).toHaveBeenCalledWith("BazMethod", request);
  });

  it("creates a new instance per message, or one shared instance with the singleton resolver", () => {
    class Counter {
      count = 0;
      announce(): void {
        this.count++;
        Counter.seen.add(this);
      }
      static seen = new Set<Counter>();
    }
    invokeReceiver(Counter, resolver, msg('cmd.announce "a"'), null);
    invokeReceiver(Counter, resolver, msg('cmd.announce "b"'), null);
    expect(Counter.seen.size).toBe(2);
    Counter.seen.clear();
    const singleton = new SingletonInstanceResolver();
    invokeReceiver(Counter, singleton, msg('cmd.announce "a"'), null);
    invokeReceiver(Counter, singleton, msg('cmd.announce "b"'), null);
    expect([...Counter.seen].map((c) => c.count)).toEqual([2]);
  });
});
