import type { Metadata } from "next";
import { currentSession } from "@/auth";
import { ShapesApp } from "./_components/shapes-app";

export const metadata: Metadata = { title: "Shapes · Server Events" };

export default async function ShapesPage() {
  const session = await currentSession();
  return <ShapesApp userKey={session?.user.id ?? "guest"} />;
}
