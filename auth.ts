import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { verifyUser } from "@/db/auth-store";
import { resolveAuthSecret } from "@/lib/next/auth-secret";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; role: string; sessionId: string } & DefaultSession["user"];
  }
  interface User {
    role?: string;
  }
}

/** Names are shown to other users and used in `@name` mentions: letters, digits, `_`, `-`. */
export const userNameSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters")
  .max(24, "Use at most 24 characters")
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/u, "Start with a letter; then letters, digits, _ or -");
export const passwordSchema = z
  .string()
  .min(8, "Use at least 8 characters")
  .max(200, "Use at most 200 characters");

const credentialsSchema = z.object({ name: userNameSchema, password: passwordSchema });

class InvalidCredentials extends CredentialsSignin {
  override code = "invalid_credentials";
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: resolveAuthSecret(),
  // Redirects below are relative, so trusting the Host header cannot send anyone elsewhere.
  trustHost: process.env.AUTH_TRUST_HOST !== "false",
  session: { strategy: "jwt" }, // Credentials sign-ins only work with JWT sessions.
  pages: { signIn: "/signin" },
  providers: [
    Credentials({
      credentials: { name: { label: "Name" }, password: { label: "Password", type: "password" } },
      async authorize(input) {
        const parsed = credentialsSchema.safeParse(input);
        if (!parsed.success) throw new InvalidCredentials();
        const user = await verifyUser(parsed.data.name, parsed.data.password);
        if (!user) throw new InvalidCredentials();
        return { id: user.id, name: user.name, role: user.role };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role ?? "user";
        // One id per sign-in: Server Events' notifySession reaches every tab of this session.
        token.sid = crypto.randomUUID();
      }
      return token;
    },
    session({ session, token }) {
      const text = (value: unknown, fallback = "") =>
        typeof value === "string" ? value : fallback;
      session.user.id = text(token.uid);
      session.user.name = text(token.name);
      session.user.role = text(token.role, "user");
      session.user.sessionId = text(token.sid);
      return session;
    },
    // Next reports request URLs as http://localhost:PORT; an absolute redirect there would lose the
    // cookie set for 127.0.0.1, so every redirect stays relative (setup-notes §6).
    redirect({ url, baseUrl }) {
      if (url.startsWith("/") && !url.startsWith("//")) return url;
      try {
        const target = new URL(url);
        return target.origin === baseUrl ? `${target.pathname}${target.search}${target.hash}` : "/";
      } catch {
        return "/";
      }
    },
  },
}));
