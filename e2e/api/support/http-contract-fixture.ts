import { afterAll, afterEach, expect } from "vitest";
import { nextServerFixture, type ServerFixture } from "./fixture";
import { randomToken } from "./next-server";
import { openSse, type SseFrame, type SseStream } from "./sse";

/** A stream that answered 200, with its `cmd.onConnect` read and parsed. */
export interface Connected {
  stream: SseStream;
  connect: Record<string, string>;
  first: SseFrame;
}

export interface HttpContractFixture {
  server: () => ServerFixture;
  /** fetch on the server, recording the status. */
  call: (path: string, init?: RequestInit) => Promise<Response>;
  /** Opens `/event-stream{query}`, recording the status; closed after the test. */
  open: (query: string, headers?: Record<string, string>) => Promise<SseStream>;
  /** Opens a stream and reads its `cmd.onConnect`. */
  connect: (query: string, headers?: Record<string, string>) => Promise<Connected>;
  /** Records the status of a request made without `call` or `open`. */
  recordStatus: (url: string, status: number) => void;
}

/**
 * One `next start` for the calling file, plus helpers that record every status they see: after
 * the file, nothing may have answered 500 nor the server have logged an unexpected error.
 * Call it at the top level of the file.
 */
export function httpContractFixture(): HttpContractFixture {
  const server = nextServerFixture();

  /** Every status seen, to assert that nothing answered 500. */
  const statuses: { url: string; status: number }[] = [];
  const streams: SseStream[] = [];

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  afterAll(() => {
    expect(statuses.filter((s) => s.status >= 500)).toEqual([]);
    expect(server().server.output()).not.toMatch(/unexpected error/u);
  });

  const recordStatus = (url: string, status: number) => {
    statuses.push({ url, status });
  };

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const url = `${server().baseUrl}${path}`;
    const response = await fetch(url, init);
    recordStatus(url, response.status);
    return response;
  }

  async function open(query: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const url = `${server().baseUrl}/event-stream${query}`;
    const stream = await openSse(url, headers);
    recordStatus(url, stream.response.status);
    streams.push(stream);
    return stream;
  }

  async function connect(query: string, headers: Record<string, string> = {}): Promise<Connected> {
    const stream = await open(query, headers);
    expect(stream.response.status).toBe(200);
    const first = await stream.next();
    expect(first.selector).toBe("cmd.onConnect");
    return { stream, first, connect: JSON.parse(first.json) as Record<string, string> };
  }

  return { server, call, open, connect, recordStatus };
}

/** A channel name no other test uses. */
export const uniqueChannel = (prefix: string) => `${prefix}-${randomToken(8)}`;

interface ErrorBody {
  responseStatus: {
    errorCode: string;
    message: string;
    errors: { errorCode: string; fieldName: string; message: string }[];
  };
}

/** Asserts a 400 whose body names `field`, both in its errors and in its message. */
export async function expectBadRequest(response: Response, field: string): Promise<void> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as ErrorBody;
  expect(body.responseStatus.errors.map((e) => e.fieldName)).toContain(field);
  expect(body.responseStatus.message).toContain(field);
}
