/** A server action's form, read field by field. */
export interface FormFields {
  /** The field's text, or "" when it is missing or a file. */
  text(name: string): string;
  /** The field as sent (null when missing), for readers that judge it themselves. */
  entry(name: string): FormDataEntryValue | null;
}

const empty = new FormData();

/**
 * Next hands a server action whatever its request encoded: the form's FormData from our pages,
 * but any JSON from a script that names the action's id (it is in the page). Anything but a
 * FormData reads as an empty form, so that the action refuses it as it refuses an empty form,
 * rather than failing on `.get` of undefined with a 500 and a stack trace in the log.
 */
export function formFields(value: unknown): FormFields {
  const form = value instanceof FormData ? value : empty;
  return {
    text: (name) => {
      const entry = form.get(name);
      return typeof entry === "string" ? entry : "";
    },
    entry: (name) => form.get(name),
  };
}
