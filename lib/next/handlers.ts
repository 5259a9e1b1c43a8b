import { readEnv } from "@/lib/env";
import { createDemoServices } from "@/lib/demo-services/demo-services";
import { createServerEventsHandlers, type ServiceHandler } from "@/lib/server-events";
import { resolveCaller } from "./identity";
import { getAppServices, getServerEvents } from "./server-events";

/** Demo services resolve the chat history lazily, like the provider. */
const demoServices: Record<string, ServiceHandler> = Object.fromEntries(
  [
    "PostChatToChannel",
    "PostRawToChannel",
    "PostObjectToChannel",
    "GetChatHistory",
    "ResetServerEvents",
  ].map((name) => [
    name,
    async (request: Request, context: Parameters<ServiceHandler>[1]) => {
      const { history } = await getAppServices();
      const services = createDemoServices({ history, adminToken: readEnv().SSE_ADMIN_TOKEN });
      return services[name]!(request, context);
    },
  ]),
);

export const serverEventsHandlers = createServerEventsHandlers({
  serverEvents: getServerEvents,
  resolveIdentity: resolveCaller,
  services: demoServices,
});

/** Route files for `/channels/{channel}/…` forward to a service with the channel from the path. */
export function channelService(operation: string) {
  return async (request: Request, { params }: { params: Promise<{ channel: string }> }) => {
    const { channel } = await params;
    const url = new URL(request.url);
    url.searchParams.set("channel", channel);
    const body = request.method === "GET" ? undefined : await request.text();
    const forwarded = new Request(url, { method: request.method, headers: request.headers, body });
    return serverEventsHandlers.service(forwarded, operation);
  };
}
