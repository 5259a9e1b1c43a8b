import type { Metadata } from "next";
import { currentSession } from "@/auth";
import { ShapesApp } from "./_components/shapes-app";
import { SIGNED_OUT_USER_KEY } from "@/lib/browser/session-ended-elsewhere";

export const metadata: Metadata = { title: "Shapes · Server Events" };

export default async function ShapesPage() {
  const session = await currentSession();
  return <ShapesApp userKey={session?.user.id ?? SIGNED_OUT_USER_KEY} />;
}
