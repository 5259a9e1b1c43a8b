import { buildAdminOverview, type AdminOverview } from "@/app/admin/_server/admin-overview";
import { SubscriptionHandles } from "@/app/admin/_server/subscription-handle";
import { resolveAuthSecret } from "@/lib/next/auth-secret";
import { getAppServices } from "@/app/_server/app-services";

const globalCache = globalThis as unknown as { __serverEventsHandles?: SubscriptionHandles };

/**
 * Keyed from AUTH_SECRET, so every instance makes and understands the same handles. Made on first
 * use, not at import: `next build` imports this module and needs no secret.
 */
export function subscriptionHandles(): SubscriptionHandles {
  return (globalCache.__serverEventsHandles ??= new SubscriptionHandles(resolveAuthSecret()));
}

/** What /admin renders first and `GetAdminOverview` answers: this instance's view of the cluster. */
export async function getAdminOverview(): Promise<AdminOverview> {
  const { serverEvents, monitor } = await getAppServices();
  return buildAdminOverview(serverEvents, monitor.snapshot(), subscriptionHandles());
}
