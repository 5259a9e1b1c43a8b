import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { env } from "@/lib/env";
import { STREAM_PATH_META } from "@/lib/browser/stream-path-meta";
import { endpointPaths } from "@/lib/next/endpoint-paths";
import { Nav } from "./_components/nav";
import { Providers } from "./_components/providers";
import "./globals.css";

export function generateMetadata(): Metadata {
  // Read per request, not at build time: the pages' stream follows `SSE_STREAM_PATH`.
  const { streamPath } = endpointPaths(env);
  return {
    title: "Server Events for Next.js",
    description: "ServiceStack-compatible Server-Sent Events pub/sub for Next.js",
    other: streamPath ? { [STREAM_PATH_META]: streamPath } : {},
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col bg-slate-50 text-slate-900 antialiased">
        <Providers>
          <Nav />
          {children}
        </Providers>
      </body>
    </html>
  );
}
