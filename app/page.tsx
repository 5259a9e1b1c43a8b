import Link from "next/link";

export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-3xl font-semibold">Server Events for Next.js</h1>
      <p className="mt-3 text-slate-600">
        ServiceStack-compatible real-time pub/sub over Server-Sent Events.
      </p>
      <ul className="mt-6 list-disc pl-6">
        <li>
          <Link className="text-blue-700 underline" href="/event-subscribers">
            /event-subscribers
          </Link>{" "}
          — who is connected
        </li>
      </ul>
    </main>
  );
}
