import type { Metadata } from "next";
import { forbidden, redirect } from "next/navigation";
import { currentSession } from "@/auth";
import { ADMIN_ROLE } from "@/lib/auth/admin-users";
import { getAdminOverview } from "@/app/admin/_server/admin-instance";
import { AdminDashboard } from "./_components/admin-dashboard";

export const metadata: Metadata = { title: "Admin · Server Events" };

/** Operators only: signed-out visitors sign in first and come back; other users get a 403. */
export default async function AdminPage() {
  const session = await currentSession();
  if (!session?.user) redirect(`/signin?next=${encodeURIComponent("/admin")}`);
  if (session.user.role !== ADMIN_ROLE) forbidden();
  return <AdminDashboard userKey={session.user.id} initial={await getAdminOverview()} />;
}
