import type { Logger } from "pino";
import { chatCatalog } from "@/app/chat/_lib/chat-catalog";
import { ADMIN_ROLE } from "@/lib/auth/admin-users";
import {
  assertChannel,
  assertText,
  jsonResponse,
  RequestArgs,
  ServerEventsError,
  typedNotifier,
  type CallerIdentity,
  type HandlerContext,
  type ServiceHandler,
} from "@/lib/server-events";
import type { AdminOverview } from "./admin-overview";
import { handlePattern, type SubscriptionHandles } from "./subscription-handle";

/** Longest announcement, in characters: a banner, not a letter. */
export const MAX_ANNOUNCEMENT_LENGTH = 500;

export interface AdminServicesOptions {
  /** The cluster as this instance sees it (see `buildAdminOverview`). */
  overview: () => Promise<AdminOverview>;
  /** Turns a handle from the overview back into the subscription it stands for. */
  handles: () => SubscriptionHandles;
  /** Every action is logged with who did it. */
  log: Pick<Logger, "info">;
}

/**
 * The dashboard's services, for signed-in admins only (401 signed out, 403 without the role):
 * `GetAdminOverview`, `AdminUnRegisterSubscription` and `AdminAnnounce`. The reset is the existing
 * `ResetServerEvents`, which admins may call too.
 * @see docs/protocol.md, "Admin services"
 */
export function createAdminServices(options: AdminServicesOptions): Record<string, ServiceHandler> {
  return {
    GetAdminOverview: async (request, context) => {
      await requireAdmin(request, context);
      return jsonResponse(await options.overview());
    },
    AdminUnRegisterSubscription: async (request, context) => {
      const admin = await requireAdminPost(request, context, "AdminUnRegisterSubscription");
      const handle = (await RequestArgs.from(request)).requiredString("handle");
      if (!handlePattern.test(handle))
        throw new ServerEventsError("invalid_argument", "'handle' is not a subscription handle", {
          field: "handle",
        });
      const events = await context.serverEvents();
      const ids = (await events.getAllSubscriptionInfos()).map((info) => info.id);
      const id = options.handles().find(handle, ids);
      // Gone between the listing and the click, or removed by someone else at the same moment.
      const removed = id === undefined ? null : await events.unRegister(id);
      if (!removed) throw alreadyLeft();
      options.log.info(
        {
          event: "admin_action",
          action: "unregister",
          by: admin.userName,
          user: removed.displayName,
          handle,
        },
        "admin unregistered a subscription",
      );
      return jsonResponse({ displayName: removed.displayName });
    },
    AdminAnnounce: async (request, context) => {
      const admin = await requireAdminPost(request, context, "AdminAnnounce");
      const args = await RequestArgs.from(request);
      const channel = assertChannel(args.requiredString("channel"), "channel");
      const message = assertText(args.requiredString("message"), "message").trim();
      if (message === "" || message.length > MAX_ANNOUNCEMENT_LENGTH)
        throw new ServerEventsError(
          "invalid_argument",
          `'message' must be 1 to ${MAX_ANNOUNCEMENT_LENGTH} characters`,
          { field: "message" },
        );
      // The chat shows it as a banner from the operators to everyone in the channel. Not
      // `cmd.announce`, which anyone may send: this selector only this service can.
      const chat = typedNotifier(await context.serverEvents(), chatCatalog);
      await chat.notifyChannel(channel, "cmd.operatorNotice", message);
      options.log.info(
        {
          event: "admin_action",
          action: "announce",
          by: admin.userName,
          channel,
          length: message.length,
        },
        "admin sent an announcement",
      );
      return jsonResponse({});
    },
  };
}

async function requireAdmin(request: Request, context: HandlerContext): Promise<CallerIdentity> {
  const caller = await context.resolveIdentity(request);
  if (!caller?.isAuthenticated)
    throw new ServerEventsError("unauthorized", "Sign in as an admin to use the admin services");
  if (!caller.roles?.includes(ADMIN_ROLE))
    throw new ServerEventsError("forbidden", "The admin services are for admins");
  return caller;
}

/** Actions change things: POST only, so a link or an image on another site cannot trigger one. */
async function requireAdminPost(
  request: Request,
  context: HandlerContext,
  operation: string,
): Promise<CallerIdentity> {
  if (request.method !== "POST")
    throw new ServerEventsError("method_not_allowed", `${operation} must be called with POST`);
  return requireAdmin(request, context);
}

const alreadyLeft = () =>
  new ServerEventsError("not_found", "That subscription has already left", { field: "handle" });
