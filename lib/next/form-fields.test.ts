import { describe, expect, it } from "vitest";
import { formFields } from "./form-fields";

describe("formFields", () => {
  it("reads a form's text fields, and a missing field or a file as empty text", () => {
    const form = new FormData();
    form.set("name", "ada");
    form.set("avatar", new Blob(["x"]), "a.png");
    const fields = formFields(form);
    expect(fields.text("name")).toBe("ada");
    expect(fields.text("avatar")).toBe("");
    expect(fields.text("missing")).toBe("");
    expect(fields.entry("missing")).toBeNull();
  });

  it.each([undefined, null, "x", ["$undefined", "x"], { name: "ada" }, 42])(
    "reads %j, which a script can send in a form's place, as an empty form",
    (value) => {
      const fields = formFields(value);
      expect(fields.text("name")).toBe("");
      expect(fields.entry("next")).toBeNull();
    },
  );
});
