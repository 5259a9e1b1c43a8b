import { describe, expect, it } from "vitest";
import { refuseBrokenForm } from "./form-body";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1:3000/signin", { method: "POST", body, headers });

describe("refuseBrokenForm", () => {
  it("lets real forms and other posts through, and keeps the body for the action", async () => {
    const form = new FormData();
    form.set("name", "alice");
    const encoded = new Response(form);
    const body = await encoded.arrayBuffer();
    const request = post(body, {
      "content-type": encoded.headers.get("content-type")!,
      "content-length": String(body.byteLength),
    });
    expect(await refuseBrokenForm(request)).toBeNull();
    expect((await request.formData()).get("name")).toBe("alice");
    expect(await refuseBrokenForm(post("[]", { "content-type": "text/plain" }))).toBeNull();
  });

  it("refuses a broken, unmeasured or oversized multipart body", async () => {
    const broken = post("", {
      "content-type": "multipart/form-data; boundary=x",
      "content-length": "0",
    });
    expect(await refuseBrokenForm(broken)).toMatchObject({ status: 400 });
    const unmeasured = post("--x--", { "content-type": "multipart/form-data; boundary=x" });
    unmeasured.headers.delete("content-length");
    expect(await refuseBrokenForm(unmeasured)).toMatchObject({ status: 411 });
    const large = post("--x--", {
      "content-type": "multipart/form-data; boundary=x",
      "content-length": String(2 * 1024 * 1024),
    });
    expect(await refuseBrokenForm(large)).toMatchObject({ status: 413 });
  });
});
