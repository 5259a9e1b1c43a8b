import { config } from "zod";

// Pages run under a CSP without 'unsafe-eval' (proxy.ts). Zod compiles object parsers with
// `new Function` when it can, and its probe for that — caught, so harmless — is still reported
// as a CSP violation on every page that parses (the shapes demo). Jitless parsing is what the
// probe would settle on anyway; this only skips the probe.
config({ jitless: true });
