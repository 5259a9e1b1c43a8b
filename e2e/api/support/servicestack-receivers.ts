/**
 * The receivers of ServiceStack's `test/serverevents.spec.ts`, which record what the client
 * handed them so that the dispatch scenarios can assert on it.
 */
import type { TestMessage } from "./clients";
import type { ChatMessage } from "./services";

export interface CustomType {
  id: number;
  name: string;
}

/** Message bodies as the receivers got them, per receiver instance. */
export class TestNamedReceiver {
  fooMethodReceived: CustomType[] = [];
  barMethodReceived: CustomType[] = [];
  noSuchMethodReceived: { selector: string; body: unknown }[] = [];
  quxSetterReceived: CustomType[] = [];

  fooMethod(request: CustomType) {
    this.fooMethodReceived.push(request);
  }

  barMethod(request: CustomType) {
    this.barMethodReceived.push(request);
  }

  noSuchMethod(selector: string, message: TestMessage) {
    this.noSuchMethodReceived.push({ selector, body: message.body });
  }

  set quxSetter(value: CustomType) {
    this.quxSetterReceived.push(value);
  }
}

export class TestGlobalReceiver {
  customTypeReceived: CustomType[] = [];
  setterTypeReceived: CustomType[] = [];
  noSuchMethodReceived: string[] = [];

  CustomType(request: CustomType) {
    this.customTypeReceived.push(request);
  }

  set SetterType(value: CustomType) {
    this.setterTypeReceived.push(value);
  }

  noSuchMethod(selector: string) {
    this.noSuchMethodReceived.push(selector);
  }
}

export class TestJavaScriptReceiver {
  chatReceived: ChatMessage[] = [];
  announceReceived: string[] = [];
  toggleReceived: unknown[] = [];
  toggleRequestReceived: TestMessage[] = [];
  backgroundImageReceived: string[] = [];
  backgroundImageRequestReceived: TestMessage[] = [];

  chat(message: ChatMessage) {
    this.chatReceived.push(message);
  }

  announce(message: string) {
    this.announceReceived.push(message);
  }

  toggle(message: unknown, event: TestMessage) {
    this.toggleReceived.push(message);
    this.toggleRequestReceived.push(event);
  }

  backgroundImage(cssRule: string, event: TestMessage) {
    this.backgroundImageReceived.push(cssRule);
    this.backgroundImageRequestReceived.push(event);
  }

  noSuchMethod() {}
}

/** A receiver class for the SingletonInstanceResolver: state must survive across messages. */
export class AnnounceInstance {
  received: string[] = [];

  announce(message: string) {
    this.received.push(message);
  }
}
