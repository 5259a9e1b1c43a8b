import { execFileSync } from "node:child_process";

/**
 * The two instances' ports, chosen once by the runner and handed to its workers through the
 * environment (workers inherit it and load the config again, so they must agree on the ports).
 * E2E_CLUSTER_PORT_A / E2E_CLUSTER_PORT_B pin them.
 */
export function clusterPorts(): { portA: number; portB: number } {
  if (!process.env.E2E_CLUSTER_PORT_A || !process.env.E2E_CLUSTER_PORT_B) {
    const [a, b] = freePorts(2);
    process.env.E2E_CLUSTER_PORT_A ||= String(a);
    process.env.E2E_CLUSTER_PORT_B ||= String(b);
  }
  return {
    portA: Number(process.env.E2E_CLUSTER_PORT_A),
    portB: Number(process.env.E2E_CLUSTER_PORT_B),
  };
}

/** `count` distinct ports the OS considers free right now (synchronous: configs cannot await). */
function freePorts(count: number): number[] {
  const script = `
    const net = require("node:net");
    const servers = Array.from({ length: ${count} }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((r) => s.listen(0, "127.0.0.1", () => r(s.address().port)))))
      .then((ports) => { console.log(ports.join(",")); servers.forEach((s) => s.close()); });`;
  const output = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
  return output.trim().split(",").map(Number);
}
