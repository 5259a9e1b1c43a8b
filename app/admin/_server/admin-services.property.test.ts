import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CallerIdentity } from "@/lib/server-events";
import { hostileString } from "@/lib/server-events/testing/arbitraries";
import {
  createFuzzServer,
  identity,
  type FuzzServer,
} from "@/lib/server-events/testing/fuzz-server";
import { buildRequest, requestParts } from "@/lib/server-events/testing/request-arbitraries";
import { buildAdminOverview } from "./admin-overview";
import { createAdminServices } from "./admin-services";
import { SubscriptionHandles } from "./subscription-handle";

/**
 * The dashboard's services under random requests: near-valid ones with one part broken, random
 * bodies, methods, headers and queries, from admins and from anybody — always below 500.
 */
const operations = ["GetAdminOverview", "AdminUnRegisterSubscription", "AdminAnnounce"] as const;
const admin: CallerIdentity = {
  isAuthenticated: true,
  userId: "u-ada",
  userName: "ada",
  roles: ["admin"],
};
const handles = new SubscriptionHandles("a-secret-of-at-least-32-characters!!");

const nearValid = fc.record({
  operation: fc.constantFrom(...operations),
  method: fc.oneof({ arbitrary: fc.constant("POST"), weight: 3 }, fc.constantFrom("GET", "PUT")),
  handle: fc.oneof(
    { arbitrary: fc.constant<"live">("live"), weight: 2 },
    { arbitrary: hostileString(40), weight: 1 },
  ),
  channel: fc.oneof(
    { arbitrary: fc.constantFrom("home", "lobby"), weight: 2 },
    { arbitrary: hostileString(20), weight: 1 },
  ),
  message: fc.oneof(
    { arbitrary: fc.constant("Maintenance in 5 minutes"), weight: 2 },
    { arbitrary: hostileString(600), weight: 1 },
  ),
});

const requestSpec = fc.record({
  caller: fc.oneof(
    { arbitrary: fc.constant(admin), weight: 3 },
    { arbitrary: identity, weight: 1 },
  ),
  request: fc.oneof(
    { arbitrary: fc.record({ near: nearValid }), weight: 3 },
    {
      arbitrary: fc.record({
        operation: fc.oneof(fc.constantFrom(...operations), hostileString(16)),
        parts: requestParts,
      }),
      weight: 1,
    },
  ),
});
type RequestSpec = typeof requestSpec extends fc.Arbitrary<infer T> ? T : never;

function render(server: FuzzServer, { request }: RequestSpec): [Request, string] {
  // The operation reaches the service as the route would pass it; the path does not matter.
  if ("parts" in request) return [buildRequest(request.parts), request.operation];
  const { operation, method, handle, channel, message } = request.near;
  const live = server.live[0];
  const body = {
    handle: handle === "live" && live ? handles.handleOf(live.id) : handle,
    channel,
    message,
  };
  const url = `http://127.0.0.1:3000/api/${operation}`;
  return method === "GET"
    ? [new Request(`${url}?${new URLSearchParams(body).toString()}`), operation]
    : [
        new Request(url, {
          method,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        operation,
      ];
}

describe("the admin services, under random requests", { timeout: 120_000 }, () => {
  it("answer below 500, and each succeeds for an admin now and then", async () => {
    const succeeded = new Set<string>();
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.array(requestSpec, { minLength: 1, maxLength: 6 }), async (specs) => {
        const server: FuzzServer = await createFuzzServer(
          createAdminServices({
            overview: () =>
              buildAdminOverview(server.events, { reports: [], history: [] }, handles),
            handles: () => handles,
            log: { info: () => undefined },
          }),
        );
        try {
          await server.openLive(
            { isAuthenticated: true, userId: "u-bob", userName: "bob" },
            "channels=home",
          );
          for (const spec of specs) {
            const [request, operation] = render(server, spec);
            const response = await server.handlers.service(
              server.as(request, spec.caller),
              operation,
            );
            await response.body?.cancel();
            expect(response.status, operation).toBeLessThan(500);
            statuses.add(response.status);
            if (response.status === 200) succeeded.add(operation);
          }
        } finally {
          await server.close();
        }
        expect(server.errors).toEqual([]);
      }),
      { numRuns: 150 },
    );
    // Not vacuous: every service got past its checks, and was refused for every kind of reason.
    expect([...succeeded].sort()).toEqual([...operations].sort());
    expect([...statuses]).toEqual(expect.arrayContaining([400, 401, 403, 404, 405]));
  });
});
