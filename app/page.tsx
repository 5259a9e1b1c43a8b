import Link from "next/link";
import { DemoLink } from "./_components/demo-link";
import { currentSession } from "@/auth";

const demos = [
  {
    href: "/chat?channels=home,lobby",
    title: "Chat",
    blurb:
      "A port of ServiceStack's Chat: channels you can join live, who's online in each, history on join, @private messages to every tab of a person, and remote control — /cmd.announce, /css.*, /trigger.*, /tv.watch.",
    accent: "from-indigo-500 to-violet-500",
    // Inline SVG, not emoji: a server or kiosk without an emoji font would show empty boxes.
    icon: (
      <svg viewBox="0 0 24 24" className="size-7 text-indigo-500" fill="currentColor" aria-hidden>
        <path d="M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z" />
      </svg>
    ),
  },
  {
    href: "/shapes",
    title: "Shapes",
    blurb:
      "A networked shape creator: draw and move circles and rectangles, undo and redo, and watch anyone else's canvas mirrored live — late watchers see the current drawing at once.",
    accent: "from-emerald-500 to-teal-500",
    icon: (
      <svg viewBox="0 0 24 24" className="size-7 text-emerald-500" fill="currentColor" aria-hidden>
        <circle cx="8" cy="9" r="5" />
        <rect x="11" y="11" width="10" height="10" rx="1.5" opacity="0.75" />
      </svg>
    ),
  },
];

const features = [
  ["ServiceStack wire protocol", "Its clients work unchanged: TypeScript, C#, Java, ss-utils."],
  ["One stream per browser", "Tabs share one connection, elected with Web Locks."],
  ["Signed-in identities", "Auth.js users reach every tab through notifyUserId."],
  ["Resumes after a drop", "Reconnects with backoff and reloads what it missed."],
  ["Scales out", "Instances share messages over Postgres LISTEN/NOTIFY or Redis."],
  ["Safe by default", "Only you can act on your subscription; no frame injection."],
];

export default async function HomePage() {
  const session = await currentSession();
  return (
    <main className="flex-1">
      <section className="mx-auto max-w-5xl px-4 pt-14 pb-10 sm:pt-20">
        <p className="text-sm font-semibold tracking-wide text-indigo-600">
          Server Events for Next.js
        </p>
        <h1 className="mt-2 max-w-3xl text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
          Real-time pub/sub over plain HTTP, for the App Router.
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-600">
          Server-Sent Events with channels, presence and targeted messages — compatible with
          ServiceStack&apos;s Server Events byte for byte. Open a demo in two browsers and watch
          them talk.
        </p>
        <div className="mt-6 flex flex-wrap gap-3">
          <DemoLink
            href="/chat?channels=home,lobby"
            className="rounded-lg bg-indigo-600 px-4 py-2.5 font-medium text-white shadow-sm hover:bg-indigo-500"
          >
            Open the chat
          </DemoLink>
          {!session?.user && (
            <Link
              href="/signup"
              className="rounded-lg border border-slate-300 bg-white px-4 py-2.5 font-medium text-slate-700 hover:bg-slate-50"
            >
              Create an account
            </Link>
          )}
        </div>
      </section>
      <section className="mx-auto grid max-w-5xl gap-5 px-4 sm:grid-cols-2">
        {demos.map((demo) => (
          <DemoLink
            key={demo.title}
            href={demo.href}
            className="group overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm transition hover:-translate-y-0.5 hover:shadow-md"
          >
            <div className={`h-2 bg-gradient-to-r ${demo.accent}`} />
            <div className="p-6">
              <div className="flex items-center gap-3">
                {demo.icon}
                <h2 className="text-xl font-semibold text-slate-900">{demo.title}</h2>
                <span className="ml-auto text-slate-400 transition group-hover:translate-x-1">
                  →
                </span>
              </div>
              <p className="mt-3 text-slate-600">{demo.blurb}</p>
            </div>
          </DemoLink>
        ))}
      </section>
      <section className="mx-auto max-w-5xl px-4 py-14">
        <h2 className="text-sm font-semibold tracking-wide text-slate-500 uppercase">
          Under the hood
        </h2>
        <dl className="mt-4 grid gap-x-8 gap-y-5 sm:grid-cols-2 lg:grid-cols-3">
          {features.map(([title, text]) => (
            <div key={title}>
              <dt className="font-medium text-slate-900">{title}</dt>
              <dd className="mt-1 text-sm text-slate-600">{text}</dd>
            </div>
          ))}
        </dl>
      </section>
    </main>
  );
}
