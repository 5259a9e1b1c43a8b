import type { ChannelUser } from "@/app/_components/presence";

/** Everyone else on /shapes, live; pick one to mirror their canvas. */
export function WatchList({
  users,
  watchingId,
  onWatch,
}: {
  users: readonly ChannelUser[];
  watchingId: string | null;
  onWatch: (user: { userId: string; displayName: string } | null) => void;
}) {
  return (
    <aside className="h-fit rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="text-xs font-semibold tracking-wider text-slate-500 uppercase">
        Drawing now · {users.length}
      </h2>
      {users.length === 0 && (
        <p className="mt-3 text-sm text-slate-500">
          No one else yet. Open this page in another browser to watch yourself draw.
        </p>
      )}
      <ul aria-label="People drawing" className="mt-2 space-y-1">
        {users.map((user) => {
          const active = user.userId === watchingId;
          return (
            <li
              key={user.userId}
              data-testid={`drawer-${user.displayName}`}
              className="flex items-center gap-2.5 py-1"
            >
              {/* eslint-disable-next-line @next/next/no-img-element -- inline SVG avatars */}
              <img
                src={user.profileUrl}
                alt=""
                referrerPolicy="no-referrer"
                className="size-8 rounded-full"
              />
              <span className="flex-1 truncate text-sm font-medium">{user.displayName}</span>
              <button
                type="button"
                onClick={() => onWatch(active ? null : user)}
                className={`rounded-lg px-3 py-1 text-sm font-medium ${
                  active
                    ? "bg-indigo-600 text-white"
                    : "bg-slate-100 text-slate-700 hover:bg-slate-200"
                }`}
              >
                {active ? "Watching" : "Watch"}
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
