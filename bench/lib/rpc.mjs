// @ts-check
/**
 * Request/response over a forked child's IPC channel. Parent side: `const call = rpcClient(child)`;
 * `await call("connect", {...})`. Child side: `serveRpc({ connect: async (args) => … })`.
 */
export function rpcClient(child) {
  let nextId = 0;
  const pending = new Map();
  child.on("message", (message) => {
    if (!message || message.rpc !== "reply") return;
    const entry = pending.get(message.id);
    if (!entry) return;
    pending.delete(message.id);
    if (message.error) entry.reject(new Error(`${child.label}: ${message.error}`));
    else entry.resolve(message.result);
  });
  child.once("exit", (code, signal) => {
    for (const entry of pending.values())
      entry.reject(new Error(`${child.label} exited (${code ?? signal}) during a call`));
    pending.clear();
  });
  return (method, args = {}) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      child.send({ rpc: "call", id, method, args });
    });
}

/**
 * @typedef {{ rpc: "call", id: number, method: string, args: any }} RpcCall
 * @param {Record<string, (args: any) => unknown>} methods
 */
export function serveRpc(methods) {
  process.on("message", async (/** @type {RpcCall | undefined} */ message) => {
    if (!message || message.rpc !== "call") return;
    try {
      const method = methods[message.method];
      if (!method) throw new Error(`unknown method ${message.method}`);
      const result = await method(message.args);
      // A message came over the IPC channel, so process.send exists.
      process.send?.({ rpc: "reply", id: message.id, result });
    } catch (error) {
      process.send?.({ rpc: "reply", id: message.id, error: String(error?.stack ?? error) });
    }
  });
  // The parent went away: never linger.
  process.on("disconnect", () => process.exit(0));
}
