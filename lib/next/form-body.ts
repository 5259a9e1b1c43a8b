import type { HeaderProblem } from "./proxy-headers";

/** Next's own limit for a server action's body. */
const MAX_FORM_BYTES = 1024 * 1024;

/**
 * A multipart POST to a page is a server action's form: one whose body is not valid
 * multipart/form-data is refused here with a 400, where Next would fail to parse it with a 500.
 * It is read from a clone, so the action still gets it; hence a declared length, and at most what
 * Next itself accepts.
 */
export async function refuseBrokenForm(request: Request): Promise<HeaderProblem | null> {
  if (request.method !== "POST") return null;
  if (!/^multipart\/form-data\b/iu.test(request.headers.get("content-type") ?? "")) return null;
  const length = request.headers.get("content-length");
  if (length === null)
    return { status: 411, header: "Content-Length", message: "A form needs a Content-Length" };
  if (!/^\d{1,9}$/u.test(length) || Number(length) > MAX_FORM_BYTES)
    return { status: 413, header: "Content-Length", message: "A form may hold at most 1 MB" };
  try {
    await request.clone().formData();
    return null;
  } catch {
    return {
      status: 400,
      header: "Content-Type",
      message: "The form's body is not the multipart/form-data its Content-Type says",
    };
  }
}
