import type { ChannelUser } from "@/app/_components/presence";

/** The people in the selected channel, one row per person whatever their number of tabs. */
export function UserList({
  channel,
  users,
  myUserId,
  onMention,
  onMessage,
}: {
  channel: string;
  users: readonly ChannelUser[];
  myUserId: string | undefined;
  onMention: (name: string) => void;
  /** Opens a direct conversation with them. */
  onMessage: (user: ChannelUser) => void;
}) {
  return (
    <div className="flex h-full flex-col">
      <h2 className="px-4 pt-4 pb-2 text-xs font-semibold tracking-wider text-slate-500 uppercase">
        In #{channel} · {users.length}
      </h2>
      <ul
        aria-label={`Users in #${channel}`}
        className="flex-1 space-y-0.5 overflow-y-auto px-2 pb-4"
      >
        {users.map((user) => (
          <li
            key={user.userId}
            data-testid={`user-${user.displayName}`}
            data-count={user.count}
            className="flex items-center gap-1"
          >
            <button
              type="button"
              onClick={() => onMention(user.displayName)}
              title={`Mention @${user.displayName}`}
              className="flex min-w-0 flex-1 items-center gap-2.5 rounded-lg px-2 py-1.5 text-left text-sm hover:bg-slate-100"
            >
              {/* eslint-disable-next-line @next/next/no-img-element -- inline SVG avatars */}
              <img
                src={user.profileUrl}
                alt=""
                referrerPolicy="no-referrer"
                className="size-7 rounded-full"
              />
              <span className="flex min-w-0 flex-1 flex-col leading-tight">
                <span className="truncate font-medium text-slate-800">
                  {user.displayName}
                  {user.userId === myUserId && <span className="ml-1 text-slate-500">(you)</span>}
                </span>
                {(!user.isAuthenticated || user.count > 1) && (
                  <span className="truncate text-[11px] text-slate-500">
                    {!user.isAuthenticated && "guest"}
                    {!user.isAuthenticated && user.count > 1 && " · "}
                    {user.count > 1 && `${user.count} connections`}
                  </span>
                )}
              </span>
              <span className="size-2 shrink-0 rounded-full bg-emerald-500" aria-hidden />
            </button>
            <button
              type="button"
              onClick={() => onMessage(user)}
              aria-label={`Message ${user.displayName} directly`}
              title="Direct message"
              className="shrink-0 rounded-lg px-2 py-1.5 text-slate-500 hover:bg-slate-100 hover:text-indigo-600"
            >
              <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden>
                <path d="M3 4h14a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H8l-4 3v-3H3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1Z" />
              </svg>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
