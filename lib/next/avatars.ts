import { avatarKey, avatarSvg } from "@/lib/server-events/identity";

/**
 * A person's avatar as a short same-site URL (`/avatars/U166.svg`, ~20 bytes) instead of an SVG
 * data URI (~400 bytes): it rides in every presence frame each member receives, and the browser
 * fetches each picture once (it never changes, so it is cached for a year).
 */
export function avatarUrl(name: string): string {
  return `/avatars/${avatarKey(name)}.svg`;
}

const svgHeaders = {
  "Content-Type": "image/svg+xml",
  "Cache-Control": "public, max-age=31536000, immutable",
  "X-Content-Type-Options": "nosniff",
  // Opened on its own, the picture may run nothing and load nothing.
  "Content-Security-Policy": "default-src 'none'",
};

/** `GET /avatars/{key}.svg`: the picture for a key `avatarKey` makes, 404 for anything else. */
export function handleAvatar(file: string): Response {
  const svg = file.endsWith(".svg") ? avatarSvg(file.slice(0, -4)) : undefined;
  if (svg === undefined)
    return new Response("Not Found", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" },
    });
  return new Response(svg, { headers: svgHeaders });
}
