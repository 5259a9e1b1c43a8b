"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { DemoLink } from "./demo-link";

const links = [
  { href: "/chat", label: "Chat", isDemo: true },
  { href: "/shapes", label: "Shapes", isDemo: true },
];

const adminLink = { href: "/admin", label: "Admin", isDemo: false };

/** The demos for everyone; Admin only for admins (the page refuses everyone else anyway). */
export function NavLinks({ isAdmin = false }: { isAdmin?: boolean }) {
  const pathname = usePathname();
  return (
    <div className="flex min-w-0 items-center gap-1 overflow-x-auto">
      {(isAdmin ? [...links, adminLink] : links).map(({ href, label, isDemo }) => {
        const active = pathname.startsWith(href);
        const PageLink = isDemo ? DemoLink : Link;
        return (
          <PageLink
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-2 py-1.5 text-sm font-medium whitespace-nowrap transition sm:px-2.5 ${
              active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100"
            }`}
          >
            {label}
          </PageLink>
        );
      })}
    </div>
  );
}
