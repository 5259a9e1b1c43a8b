/**
 * The `/commands` this chat acts on, as ServiceStack's Chat offers them: `op.target$cssSelector`.
 * Anything else would reach everyone as an unexplained system line, so the composer refuses it
 * with this list instead.
 */
const knownTargets: Record<string, readonly string[] | "any"> = {
  cmd: ["announce", "toggle"],
  tv: ["watch", "off"],
  css: "any",
  trigger: "any",
  document: ["title"],
  window: ["location"],
};

/** What the hint lists, in the order a newcomer would try them. */
const KNOWN_COMMANDS = [
  "/cmd.announce <text>",
  "/cmd.toggle$#channels",
  "/tv.watch <text, image/video or YouTube URL>",
  "/tv.off",
  "/css.background-color$#top <colour>",
  "/trigger.customEvent <text>",
  "/document.title <text>",
] as const;

/** Whether the chat acts on `selector` (`cmd.announce`, `css.color$#top`, `trigger.x`…). */
export function isKnownCommand(selector: string): boolean {
  const [name = ""] = selector.split("$", 1);
  const dot = name.indexOf(".");
  if (dot <= 0 || dot === name.length - 1) return false;
  const targets = knownTargets[name.slice(0, dot).toLowerCase()];
  const target = name.slice(dot + 1);
  if (targets === undefined) return false;
  return targets === "any" || targets.includes(target);
}

/** The refusal for an unknown command, naming the ones there are. */
export function unknownCommandHint(selector: string): string {
  const shown = selector.length > 40 ? `${selector.slice(0, 40)}…` : selector;
  return `/${shown} isn't a command here. Try ${KNOWN_COMMANDS.join(", ")}.`;
}
