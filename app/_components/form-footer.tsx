/** A form's refusal as a whole (not one field's), read out when it appears. */
export function FormAlert({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
      {message}
    </p>
  );
}

const submitLooks = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
};

/** A form's full-width submit button, disabled and saying `busy` while the action runs. */
export function SubmitButton({
  pending,
  label,
  busy,
  look = "primary",
}: {
  pending: boolean;
  label: string;
  busy: string;
  look?: keyof typeof submitLooks;
}) {
  return (
    <button
      type="submit"
      disabled={pending}
      className={`w-full rounded-lg px-4 py-2.5 font-medium shadow-sm transition disabled:opacity-60 ${submitLooks[look]}`}
    >
      {pending ? busy : label}
    </button>
  );
}
