/**
 * Subscriptions across two `next start` instances sharing one cluster provider, run once per
 * provider: Postgres (a throwaway database, issue 3) and Redis (a random key prefix, issue 6).
 * Listings (/event-subscribers and the official client's getChannelSubscribers), heartbeats,
 * unregister and channel updates work whichever instance gets the request.
 *
 * Needs Postgres at PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres) and Redis
 * at REDIS_TEST_URL (default redis://127.0.0.1:6379): a provider whose service does not answer is
 * skipped, except with CI set, where the file fails. See support/cluster-providers.ts.
 */
import { describe, expect, it } from "vitest";
import {
  byUser,
  chatTexts,
  clusterFixture,
  clusterSuiteName,
  clusterSuites,
  HEARTBEAT_INTERVAL_MS,
  HOUSEKEEPING_INTERVAL_MS,
  IDLE_TIMEOUT_MS,
  officialOptions,
  uniqueChannel,
  WAIT,
} from "./support/cluster-fixture";
import type { NextServer } from "./support/next-server";
import { errorTexts } from "./support/recorder";
import { waitFor } from "./support/wait";

const reachable = await clusterSuites("e2e/api/cluster-subscriptions.test.ts");

describe.each(reachable)(clusterSuiteName, (_name, provider) => {
  const { A, B, requests, services, open, listing, waitForListing, connectRaw } =
    clusterFixture(provider);

  it("/event-subscribers and the client's getChannelSubscribers list both, on either instance", async () => {
    const channel = uniqueChannel("list");
    const onA = open(A(), [channel]);
    const onB = open(B(), [channel]);
    const [infoA, infoB] = await Promise.all([onA.connected(), onB.connected()]);
    const both = [infoA.userId, infoB.userId].sort();
    await waitForListing(channel, both);
    for (const server of [A(), B()]) {
      const metas = await listing(server, channel);
      expect(metas.map((m) => m.displayName).sort()).toEqual(
        [infoA.displayName, infoB.displayName].sort(),
      );
      for (const meta of metas) expect(meta.channels).toBe(channel);
      expect(JSON.stringify(metas)).not.toMatch(/"id"/u);
      const all = (await (await fetch(`${server.baseUrl}/event-subscribers`)).json()) as {
        userId: string;
      }[];
      expect(all.map((m) => m.userId)).toEqual(expect.arrayContaining(both));
      const viaApi = await services(server).getEventSubscribers([channel]);
      expect(viaApi.map((m) => m.userId).sort()).toEqual(both);
    }
    // The official client asks its own instance; each sees both.
    for (const client of [onA, onB]) {
      const users = await client.client.getChannelSubscribers();
      expect(users.map((u) => u.userId).sort()).toEqual(both);
      for (const user of users) expect(user.channels).toEqual([channel]);
    }
  });

  it("a client on A whose heartbeats go to B stays alive past several idle timeouts", async () => {
    const channel = uniqueChannel("pulse");
    const observer = open(B(), [channel]);
    await observer.connected();

    const client = open(A(), [channel], {
      handlers: {
        onConnect: (info) => {
          info.heartbeatUrl = info.heartbeatUrl.replace(A().baseUrl, B().baseUrl);
          // The official client posts to `options.heartbeatUrl` (Object.assign'd from the
          // onConnect body *before* the handler runs), not to the info object it hands us.
          officialOptions(client.client).heartbeatUrl = info.heartbeatUrl;
        },
      },
    });
    const info = await client.connected();
    expect(info.heartbeatIntervalMs).toBe(HEARTBEAT_INTERVAL_MS);
    expect(info.idleTimeoutMs).toBe(IDLE_TIMEOUT_MS);
    const heartbeatsTo = (server: NextServer) =>
      requests.filter(
        (r) =>
          r.url.startsWith(`${server.baseUrl}/event-heartbeat`) &&
          new URL(r.url).searchParams.get("id") === info.id,
      ).length;

    // A control on A that sends no heartbeat at all: it must expire meanwhile.
    const control = await connectRaw(A(), `?channels=${channel}`);
    await waitFor(() => observer.joins.find(byUser(control.connect.userId!)), WAIT);

    const started = Date.now();
    const span = 3 * IDLE_TIMEOUT_MS + 2 * HOUSEKEEPING_INTERVAL_MS;
    await waitFor(() => Date.now() - started >= span, {
      timeoutMs: span + 5_000,
      message: "several idle timeouts to pass",
    });
    await waitFor(() => observer.leaves.find(byUser(control.connect.userId!)), {
      ...WAIT,
      message: "the heartbeat-less control subscription to expire",
    });

    expect(heartbeatsTo(A())).toBe(0);
    expect(heartbeatsTo(B())).toBeGreaterThanOrEqual(5);
    // B forwarded each pulse to A, which wrote cmd.onHeartbeat to the stream.
    expect(client.heartbeats.length).toBeGreaterThanOrEqual(5);
    expect(client.heartbeats[0]!.userId).toBe(info.userId);
    expect(client.connects).toHaveLength(1);
    expect(errorTexts(client)).toEqual([]);
    expect(observer.leaves.filter(byUser(info.userId))).toEqual([]);
    await waitForListing(channel, [info.userId, observer.info().userId]);

    // Still delivering.
    await services(B()).postChat(observer.info().id, "still there?", channel);
    await waitFor(() => chatTexts(client).includes("still there?"), WAIT);
  });

  it("unregister and channel updates work through the other instance", async () => {
    const home = uniqueChannel("home");
    const extra = uniqueChannel("extra");
    const observer = open(B(), [home, extra]);
    const observerInfo = await observer.connected();

    const client = open(A(), [home], {
      handlers: {
        onConnect: (info) => {
          // The official client's stop() posts to the info object's unRegisterUrl.
          info.unRegisterUrl = info.unRegisterUrl.replace(A().baseUrl, B().baseUrl);
        },
      },
    });
    const info = await client.connected();
    await waitFor(() => observer.joins.find(byUser(info.userId)), WAIT);

    // Subscribe through B to a channel: the change is applied on A, which holds the stream.
    const update = (body: Record<string, string[]>) =>
      fetch(`${B().baseUrl}/event-subscribers/${encodeURIComponent(info.id)}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const subscribed = await update({ subscribeChannels: [extra] });
    expect(subscribed.status).toBe(200);
    await subscribed.body?.cancel();
    await waitForListing(extra, [info.userId, observerInfo.userId]);
    await waitFor(
      () => observer.updates.find((e) => e.userId === info.userId && e.channel === extra),
      { ...WAIT, message: "the onUpdate on the new channel" },
    );
    expect(observer.updates.find((e) => e.userId === info.userId)!.channels).toBe(
      `${home},${extra}`,
    );
    await services(B()).postChat(observerInfo.id, "to extra", extra);
    await waitFor(() => chatTexts(client).includes("to extra"), {
      ...WAIT,
      message: "the client on A to get a message on the channel added through B",
    });

    // Unsubscribe through B.
    const unsubscribed = await update({ unsubscribeChannels: [home] });
    expect(unsubscribed.status).toBe(200);
    await unsubscribed.body?.cancel();
    await waitForListing(home, [observerInfo.userId]);
    await services(B()).postChat(observerInfo.id, "to home", home);
    await services(B()).postChat(observerInfo.id, "extra sentinel", extra);
    await waitFor(() => chatTexts(client).includes("extra sentinel"), WAIT);
    expect(chatTexts(client)).toEqual(["to extra", "extra sentinel"]);

    // Unregister through B (the client's own stop()): onLeave reaches B, both listings drop it.
    await client.client.stop();
    const unregisters = requests.filter(
      (r) =>
        new URL(r.url).pathname === "/event-unregister" &&
        new URL(r.url).searchParams.get("id") === info.id,
    );
    expect(unregisters.map((r) => new URL(r.url).origin)).toEqual([B().baseUrl]);
    expect(errorTexts(client)).toEqual([]);
    await waitFor(() => observer.leaves.find(byUser(info.userId)), {
      ...WAIT,
      message: "onLeave of the client unregistered through B",
    });
    expect(observer.leaves.find(byUser(info.userId))!.channel).toBe(extra);
    await waitForListing(extra, [observerInfo.userId]);

    // A raw stream on A unregistered through B: A ends the stream.
    const raw = await connectRaw(A(), `?channels=${home}`);
    await waitFor(() => observer.joins.find(byUser(raw.connect.userId!)), WAIT);
    const response = await fetch(
      `${B().baseUrl}/event-unregister?id=${encodeURIComponent(raw.connect.id!)}`,
      { method: "POST" },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as Record<string, string>).userId).toBe(raw.connect.userId);
    await Promise.race([
      raw.stream.ended,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error("A did not end the unregistered stream")), 20_000),
      ),
    ]);
    await waitFor(() => observer.leaves.find(byUser(raw.connect.userId!)), WAIT);
    // Unregistering again, through either instance, finds nothing.
    for (const server of [A(), B()]) {
      const again = await fetch(
        `${server.baseUrl}/event-unregister?id=${encodeURIComponent(raw.connect.id!)}`,
        { method: "POST" },
      );
      expect(again.status).toBe(404);
      await again.body?.cancel();
    }
  });
});
