"use client";

/** The JSON requests the pages make to their own server. */

/** GETs JSON; rejects with the status on 4xx/5xx. */
export async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return (await response.json()) as unknown;
}

/** POSTs JSON; rejects with the server's message on 4xx/5xx. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => null)) as {
      responseStatus?: { message?: string };
    } | null;
    throw new Error(error?.responseStatus?.message ?? `${response.status} ${response.statusText}`);
  }
  return (await response.json()) as T;
}
