import { afterEach, describe, expect, it, vi } from "vitest";
import type { Readiness } from "@/lib/server-events";

/** What the mocked lifecycle and provider answer; each test sets what it needs. */
const state = vi.hoisted(() => ({
  draining: false,
  startupProblem: undefined as string | undefined,
  services: (): Promise<unknown> => Promise.reject(new Error("not set")),
}));

vi.mock("@/lib/next/lifecycle", () => ({
  isDraining: () => state.draining,
  startupProblem: () => state.startupProblem,
}));
vi.mock("./app-services", () => ({ getAppServices: () => state.services() }));

const { handleHealthz, handleReadyz } = await import("./health");

function provider(checkReadiness: () => Promise<Readiness>): void {
  state.services = () => Promise.resolve({ serverEvents: { checkReadiness } });
}

function providerFailed(error: Error): void {
  state.services = () => Promise.reject(error);
}

async function readyz() {
  const response = await handleReadyz();
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

afterEach(() => {
  state.draining = false;
  state.startupProblem = undefined;
  vi.useRealTimers();
});

describe("/healthz and /readyz", () => {
  it("/healthz is 200 whatever the provider does", () => {
    providerFailed(new Error("database down"));
    expect(handleHealthz().status).toBe(200);
  });

  it("/readyz is 200 when the provider is ready, 503 with its reason when not", async () => {
    provider(() => Promise.resolve({ ready: true }));
    expect(await readyz()).toEqual({ status: 200, body: { status: "ready" } });
    provider(() => Promise.resolve({ ready: false, reason: "the bus listener is not connected" }));
    expect(await readyz()).toEqual({
      status: 503,
      body: { status: "unavailable", reason: "the bus listener is not connected" },
    });
  });

  it("says why the provider never started: the start-up problem, or its error", async () => {
    providerFailed(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    expect((await readyz()).body.reason).toMatch(/not started: .*ECONNREFUSED/u);
    state.startupProblem = "the database refused the migrations";
    expect(await readyz()).toEqual({
      status: 503,
      body: { status: "unavailable", reason: "the database refused the migrations" },
    });
  });

  it("never answers with a connection string from the provider's error", async () => {
    providerFailed(new Error("cannot reach postgres://user:secret@host/db"));
    const { body } = await readyz();
    expect(body.reason).toBe("the provider is not started: cannot reach <url>");
    expect(JSON.stringify(body)).not.toContain("secret");
  });

  it("gives up on a provider that hangs after 2 s, and says so", async () => {
    vi.useFakeTimers();
    provider(() => new Promise<Readiness>(() => undefined));
    const answer = readyz();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await answer).toEqual({
      status: 503,
      body: { status: "unavailable", reason: "the provider did not answer in 2 s" },
    });
  });

  it("is 503 draining once the instance shuts down, before asking the provider", async () => {
    const checkReadiness = vi.fn(() => Promise.resolve<Readiness>({ ready: true }));
    provider(checkReadiness);
    state.draining = true;
    expect(await readyz()).toEqual({
      status: 503,
      body: { status: "draining", reason: "the instance is shutting down" },
    });
    expect(checkReadiness).not.toHaveBeenCalled();
  });
});
