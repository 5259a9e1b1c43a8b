import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Nav } from "./_components/nav";
import { Providers } from "./_components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Server Events for Next.js",
  description: "ServiceStack-compatible Server-Sent Events pub/sub for Next.js",
};

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
