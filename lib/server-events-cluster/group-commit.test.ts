import { describe, expect, it } from "vitest";
import { GroupCommit, type CommittedBatch } from "./group-commit";

/** A commit function whose batches the test completes or fails by hand. */
function manualCommits() {
  const batches: { items: string[]; done(): void; fail(error: Error): void }[] = [];
  const commit = (items: string[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push({ items, done: resolve, fail: reject });
    });
  return { batches, commit };
}

/** Lets queued microtasks (the batch scheduling) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("GroupCommit", () => {
  it("commits a lone item at once and resolves only when it is committed", async () => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit({ commit });
    let resolved = false;
    const done = group.submit("a").then(() => (resolved = true));
    await settle();
    expect(batches.map((b) => b.items)).toEqual([["a"]]);
    expect(resolved).toBe(false);
    batches[0]!.done();
    await done;
    expect(resolved).toBe(true);
  });

  it("puts what arrives during a commit into the next batch, in submission order", async () => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit({ commit });
    const first = group.submit("a");
    await settle();
    const rest = ["b", "c", "d"].map((item) => group.submit(item));
    await settle();
    expect(batches).toHaveLength(1);
    expect(group.pending).toBe(3);
    batches[0]!.done();
    await first;
    await settle();
    expect(batches.map((b) => b.items)).toEqual([["a"], ["b", "c", "d"]]);
    batches[1]!.done();
    await Promise.all(rest);
  });

  it("rejects every caller of a failed batch, and only them", async () => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit({ commit });
    const failed = [group.submit("a"), group.submit("b")];
    await settle();
    const later = group.submit("c");
    batches[0]!.fail(new Error("connection terminated"));
    for (const promise of failed) await expect(promise).rejects.toThrow("connection terminated");
    await settle();
    expect(batches[1]!.items).toEqual(["c"]);
    batches[1]!.done();
    await expect(later).resolves.toBeUndefined();
  });

  it("splits a backlog at maxItems and maxBytes", async () => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit({ commit, maxItems: 3, maxBytes: 10, sizeOf: (s) => s.length });
    void group.submit("x");
    await settle();
    const backlog = ["a", "b", "c", "d", "eeeeeeeeee", "f"].map((item) => group.submit(item));
    for (let n = 0; n < 4; n++) {
      batches.at(-1)!.done();
      await settle();
    }
    expect(batches.map((b) => b.items)).toEqual([
      ["x"],
      ["a", "b", "c"],
      ["d"],
      ["eeeeeeeeee"],
      ["f"],
    ]);
    batches.at(-1)!.done();
    await Promise.all(backlog);
  });

  it("keeps up to maxInFlight batches on the wire", async () => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit({ commit, maxInFlight: 2 });
    void group.submit("a");
    await settle();
    void group.submit("b");
    await settle();
    void group.submit("c");
    await settle();
    expect(batches.map((b) => b.items)).toEqual([["a"], ["b"]]);
    batches[0]!.done();
    await settle();
    expect(batches.map((b) => b.items)).toEqual([["a"], ["b"], ["c"]]);
  });

  it("reports each batch's size, wait and commit time to the observer", async () => {
    const { batches, commit } = manualCommits();
    let clock = 0;
    const seen: CommittedBatch[] = [];
    const group = new GroupCommit({
      commit,
      now: () => clock,
      observer: { batchCommitted: (batch) => seen.push(batch) },
    });
    void group.submit("a");
    await settle();
    clock = 2;
    void group.submit("b");
    void group.submit("c");
    clock = 5;
    batches[0]!.done();
    await settle();
    clock = 12;
    batches[1]!.done();
    await settle();
    expect(seen).toEqual([
      { size: 1, waitMs: 0, commitMs: 5 },
      { size: 2, waitMs: 3, commitMs: 7 },
    ]);
  });

  it("is idle only once every submitted item has settled", async () => {
    const { batches, commit } = manualCommits();
    const group = new GroupCommit({ commit });
    const first = group.submit("a");
    await settle();
    void group.submit("b").catch(() => undefined);
    let idle = false;
    const waiting = group.idle().then(() => (idle = true));
    await settle();
    batches[0]!.done();
    await first;
    await settle();
    expect(idle).toBe(false);
    batches[1]!.fail(new Error("gone"));
    await waiting;
    expect(idle).toBe(true);
  });
});
