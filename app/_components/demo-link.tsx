import Link from "next/link";
import type { ComponentProps } from "react";

/**
 * A link to a demo page (`/chat`, `/shapes`), never prefetched: the proxy runs on prefetches too,
 * and opening a demo page is what makes a visitor a guest (lib/next/guest-on-first-visit.ts), not
 * seeing a link to one. The pages are dynamic, so a prefetch would fetch little anyway.
 */
export function DemoLink(props: Omit<ComponentProps<typeof Link>, "prefetch">) {
  return <Link {...props} prefetch={false} />;
}
