"use client";

import { getJson, postJson } from "@/app/_components/json-fetch";
import type { AdminOverview } from "@/app/admin/_server/admin-overview";

export const overviewKey = ["admin-overview"] as const;

/** `GetAdminOverview`: built by our own server for admins, from the cluster's store. */
export const fetchOverview = async () => (await getJson("/api/GetAdminOverview")) as AdminOverview;

export const unregisterSubscription = (handle: string) =>
  postJson<{ displayName: string }>("/api/AdminUnRegisterSubscription", { handle });

export const announce = (channel: string, message: string) =>
  postJson<object>("/api/AdminAnnounce", { channel, message });

export const resetServerEvents = () => postJson<object>("/api/ResetServerEvents", {});
