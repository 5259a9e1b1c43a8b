"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import type {
  Receiver,
  ServerEventCommand,
  ServerEventHandlers,
  ServerEventMessage,
} from "@/lib/server-events-client";
import { parseFrameBody } from "@/lib/browser/frame-body";
import { useSharedStream } from "@/lib/browser/use-shared-stream";
import { drawingReducer, emptyHistory } from "@/app/shapes/_lib/history";
import { atMostEvery } from "@/lib/browser/at-most-every";
import {
  REQUEST_SELECTOR,
  SHAPES_LOBBY,
  shapesChannel,
  type ShapesMessage,
  type Snapshot,
} from "@/app/shapes/_lib/shapes";
import {
  getSubscribers,
  mergeUsers,
  refetchSoon,
  subscribersKey,
  subscriberMetaSchema,
} from "@/app/_components/presence";
import { postJson } from "@/app/_components/json-fetch";
import { ConnectionBadge } from "@/app/_components/connection-badge";
import { ShapeCanvas, type Tool } from "./shape-canvas";
import { shapesMessageSchema } from "./shapes-messages";
import { PALETTE, Toolbar } from "./toolbar";
import { WatchedCanvas } from "./watched-canvas";
import { WatchList } from "./watch-list";

/**
 * The networked shape creator: your canvas with undo/redo, published whole on `shapes-{you}` after
 * every change; pick anyone from the lobby to mirror their canvas live.
 */
export function ShapesApp({ userKey }: { userKey: string }) {
  const [history, dispatch] = useReducer(drawingReducer, emptyHistory);
  const [tool, setTool] = useState<Tool>("circle");
  const [color, setColor] = useState(PALETTE[0]!);
  const [watching, setWatching] = useState<{ userId: string; displayName: string } | null>(null);
  const [mirror, setMirror] = useState<ShapesMessage | null>(null);
  const queryClient = useQueryClient();
  const [myUserId, setMyUserId] = useState<string | null>(null);

  const channels = useMemo(
    () =>
      [
        SHAPES_LOBBY,
        myUserId ? shapesChannel(myUserId) : null,
        watching ? shapesChannel(watching.userId) : null,
      ].filter((c): c is string => c !== null),
    [myUserId, watching],
  );

  const snapshot: Snapshot = {
    shapes: history.present,
    version: history.past.length,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
  };
  const latest = useRef({ snapshot, subscriptionId: "" });

  const publish = useCallback(() => {
    const { snapshot: current, subscriptionId } = latest.current;
    if (!subscriptionId) return;
    void postJson("/shapes/api/snapshot", { from: subscriptionId, ...current }).catch(
      (error: unknown) => console.warn("[shapes] publish failed", error),
    );
  }, []);

  // What others ask for (a newcomer on our channel, a snapshot request) at most twice a second:
  // anyone may send requests, and each would otherwise send our whole canvas from our budget.
  const throttledPublish = useRef<(() => void) | null>(null);
  useEffect(() => {
    const throttled = atMostEvery(publish, 500);
    throttledPublish.current = throttled;
    return () => throttled.cancel();
  }, [publish]);
  const publishOnRequest = useCallback(() => throttledPublish.current?.(), []);

  const onPresence = (e: ServerEventCommand) => {
    const meta = parseFrameBody(subscriberMetaSchema, e);
    if (!meta) return;
    if (e.channel === SHAPES_LOBBY) refetchSoon(queryClient, subscribersKey(SHAPES_LOBBY));
    // Someone started watching us: send them the whole canvas at once.
    if (myUserId && e.channel === shapesChannel(myUserId) && meta.userId !== myUserId)
      publishOnRequest();
  };
  const handlers: ServerEventHandlers = {
    onJoin: onPresence,
    onUpdate: onPresence,
    onLeave: onPresence,
  };
  const watchedId = useRef<string | null>(null);
  const myChannel = useRef<string | null>(null);
  useEffect(() => {
    myChannel.current = myUserId ? shapesChannel(myUserId) : null;
  }, [myUserId]);
  const receivers = useMemo<Record<string, Receiver>>(
    () => ({
      shapes: {
        snapshot: (_body: unknown, e: ServerEventMessage) => {
          const watched = watchedId.current;
          // Only the watched drawer's own channel carries their canvas.
          if (watched === null || e.channel !== shapesChannel(watched)) return;
          const message = parseFrameBody(shapesMessageSchema, e);
          if (message?.userId === watched) setMirror(message);
        },
        // A request on someone else's channel is for them, not for us (we watch it too).
        requestSnapshot: (_body: unknown, e: ServerEventMessage) => {
          if (e.channel !== null && e.channel === myChannel.current) publishOnRequest();
        },
      },
    }),
    [publishOnRequest],
  );

  const stream = useSharedStream(userKey, channels, handlers, { receivers });
  const info = stream.info;

  useEffect(() => {
    latest.current = { snapshot, subscriptionId: info?.id ?? "" };
  });
  // Our channel is named after the user id the server gave us (guests get one on connect).
  if (info?.userId && info.userId !== myUserId) setMyUserId(info.userId);

  // Every change goes out whole, so a watcher is never more than one message behind.
  useEffect(() => {
    if (info?.id) publish();
  }, [history, info?.id, publish]);

  const users = useQuery({
    queryKey: subscribersKey(SHAPES_LOBBY),
    queryFn: async () => mergeUsers(await getSubscribers(SHAPES_LOBBY)),
  });

  const watch = (user: { userId: string; displayName: string } | null) => {
    watchedId.current = user?.userId ?? null;
    setWatching(user);
    setMirror(null);
    if (user && info?.id)
      void postJson(`/channels/${encodeURIComponent(shapesChannel(user.userId))}/raw`, {
        from: info.id,
        selector: REQUEST_SELECTOR,
        message: "",
      }).catch(() => {});
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "z") return;
      event.preventDefault();
      dispatch({ type: event.shiftKey ? "redo" : "undo" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const others = (users.data ?? []).filter((u) => u.userId !== info?.userId);

  return (
    <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Shapes</h1>
        <ConnectionBadge state={stream.state} />
        <p className="text-sm text-slate-500">
          {info ? `Drawing as ${info.displayName} — everyone can watch.` : "Connecting…"}
        </p>
      </div>
      <div className="mt-5 grid gap-6 lg:grid-cols-[1fr_16rem]">
        {/* Your canvas and the one you watch side by side where there is room, else stacked. */}
        <div className={`grid content-start gap-6 ${watching ? "lg:grid-cols-2" : ""}`}>
          <section className="min-w-0 space-y-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
            <Toolbar
              tool={tool}
              color={color}
              canUndo={snapshot.canUndo}
              canRedo={snapshot.canRedo}
              onTool={setTool}
              onColor={setColor}
              onUndo={() => dispatch({ type: "undo" })}
              onRedo={() => dispatch({ type: "redo" })}
              onClear={() => dispatch({ type: "clear" })}
            />
            <ShapeCanvas
              shapes={history.present}
              label="Your canvas"
              tool={tool}
              onAdd={(x, y) =>
                tool !== "move" &&
                dispatch({
                  type: "add",
                  shape: {
                    id: crypto.randomUUID().slice(0, 8),
                    kind: tool,
                    x,
                    y,
                    size: 60 + Math.round(Math.random() * 40),
                    color,
                  },
                })
              }
              onMove={(id, x, y) => dispatch({ type: "move", id, x, y })}
            />
            <p className="text-xs text-slate-500">
              Click to add · Move tool to drag · or Tab to the canvas: Enter adds, arrows move ·
              Ctrl+Z / Ctrl+Shift+Z · {history.present.length} shapes, step {history.past.length} of{" "}
              {history.past.length + history.future.length}
            </p>
          </section>
          {watching && (
            <WatchedCanvas watching={watching} mirror={mirror} onStop={() => watch(null)} />
          )}
        </div>
        <WatchList
          users={others}
          watchingId={watching?.userId ?? null}
          onWatch={(user) => watch(user)}
        />
      </div>
    </main>
  );
}
