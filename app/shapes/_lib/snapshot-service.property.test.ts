import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostileJson, hostileString, sometimes } from "@/lib/server-events/testing/arbitraries";
import {
  createFuzzServer,
  identity,
  idRef,
  origin,
  type FuzzServer,
} from "@/lib/server-events/testing/fuzz-server";
import {
  body as rawBody,
  contentLengthValue,
  contentTypeValue,
  method,
} from "@/lib/server-events/testing/request-arbitraries";
import { CANVAS_HEIGHT, CANVAS_WIDTH, MAX_SHAPES } from "./shapes";
import { createSnapshotHandler } from "./snapshot-service";

/**
 * `POST /shapes/api/snapshot` under random requests: near-valid snapshots with one part broken,
 * random bodies of every kind, lying headers, any caller and any `from` — always below 500.
 */
const shape = fc.record({
  id: fc.string({ minLength: 1, maxLength: 40 }),
  kind: fc.constantFrom("circle", "rect"),
  x: fc.double({ min: -1000, max: CANVAS_WIDTH + 1000, noNaN: true }),
  y: fc.double({ min: -1000, max: CANVAS_HEIGHT + 1000, noNaN: true }),
  size: fc.double({ min: 4, max: 400, noNaN: true }),
  color: fc.stringMatching(/^#[0-9a-f]{6}$/u),
});

const snapshot = fc.record({
  from: fc.oneof(
    { arbitrary: fc.constant<"self">("self"), weight: 3 },
    { arbitrary: idRef, weight: 1 },
  ),
  shapes: fc.oneof(
    { arbitrary: fc.array(shape, { maxLength: 5 }), weight: 3 },
    { arbitrary: fc.array(fc.oneof(shape, hostileJson), { maxLength: 5 }), weight: 1 },
    { arbitrary: fc.constant(Array.from({ length: MAX_SHAPES + 1 }, () => 0)), weight: 1 },
  ),
  version: fc.oneof(fc.nat(), hostileJson),
  canUndo: fc.oneof({ arbitrary: fc.boolean(), weight: 3 }, { arbitrary: hostileJson, weight: 1 }),
  canRedo: fc.boolean(),
  extra: sometimes(fc.tuple(hostileString(10), hostileJson)),
});
type Snapshot = typeof snapshot extends fc.Arbitrary<infer T> ? T : never;

const requestSpec = fc.record({
  body: fc.oneof(
    { arbitrary: fc.record({ snapshot }), weight: 4 },
    { arbitrary: fc.record({ raw: rawBody }), weight: 1 },
  ),
  method: fc.oneof({ arbitrary: fc.constant("POST"), weight: 4 }, { arbitrary: method, weight: 1 }),
  contentType: sometimes(contentTypeValue),
  contentLength: sometimes(contentLengthValue),
  self: fc.nat(),
  caller: fc.oneof(
    { arbitrary: fc.constant<"owner">("owner"), weight: 3 },
    { arbitrary: identity, weight: 1 },
  ),
});
type RequestSpec = typeof requestSpec extends fc.Arbitrary<infer T> ? T : never;

function snapshotJson(server: FuzzServer, ownerId: string, value: Snapshot): string {
  const { from, extra, ...rest } = value;
  const body: Record<string, unknown> = {
    ...rest,
    from: from === "self" ? ownerId : server.resolveId(from),
  };
  if (extra) body[extra[0]] = extra[1];
  return JSON.stringify(body);
}

async function send(
  server: FuzzServer,
  handle: (request: Request) => Promise<Response>,
  spec: RequestSpec,
) {
  const owner = server.live[spec.self % Math.max(1, server.live.length)];
  const body =
    "raw" in spec.body
      ? spec.body.raw
      : snapshotJson(server, owner?.id ?? "none", spec.body.snapshot);
  const headers = new Headers({ "content-type": "application/json" });
  if (spec.contentType !== undefined) headers.set("content-type", spec.contentType);
  if (spec.contentLength !== undefined) headers.set("content-length", spec.contentLength);
  const hasBody = !["GET", "HEAD"].includes(spec.method.toUpperCase());
  const request = new Request(`${origin}/shapes/api/snapshot`, {
    method: spec.method,
    headers,
    body: hasBody ? body : undefined,
  });
  const caller = spec.caller === "owner" ? (owner?.identity ?? null) : spec.caller;
  const response = await handle(server.as(request, caller));
  await response.arrayBuffer();
  return response.status;
}

describe("createSnapshotHandler, under random requests", { timeout: 30_000 }, () => {
  it("answers below 500 and reports no background error", async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(identity, { minLength: 1, maxLength: 2 }),
        fc.array(requestSpec, { minLength: 1, maxLength: 6 }),
        async (owners, specs) => {
          const server = await createFuzzServer();
          const handle = createSnapshotHandler(server.handlers.context, (error) => {
            throw error;
          });
          try {
            for (const owner of owners) await server.openLive(owner, "channels=shapes");
            for (const spec of specs) {
              const status = await send(server, handle, spec);
              expect(status).toBeLessThan(500);
              statuses.add(status);
            }
          } finally {
            await server.close();
          }
          expect(server.errors).toEqual([]);
        },
      ),
      { numRuns: 80 },
    );
    expect([...statuses]).toEqual(expect.arrayContaining([200, 400]));
  });
});
