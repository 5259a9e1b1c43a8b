import nextVitals from "eslint-config-next/core-web-vitals";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

const coreForbidden = [
  "next",
  "next/*",
  "react",
  "react-dom",
  "pg",
  "drizzle-orm",
  "drizzle-orm/*",
  "ioredis",
  "next-auth",
  "next-auth/*",
  "@auth/*",
  "@electric-sql/pglite",
  "@electric-sql/pglite/*",
];

/** What no library folder may import: the app, its database, its auth, and the Next glue. */
const appForbidden = [
  "@/app",
  "@/app/*",
  "@/db",
  "@/db/*",
  "@/auth",
  "@/lib/next",
  "@/lib/next/*",
  "@/lib/auth",
  "@/lib/auth/*",
  "@/lib/env",
  "**/app/**",
  "**/db/**",
  // The glue and the app's own libraries by relative path (`../next/logger`, `../../lib/auth/x`).
  "**/next",
  "**/next/**",
  "**/lib/auth/**",
  "**/lib/admin/**",
  "**/lib/browser/**",
  "**/env",
];

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "db/migrations/**",
      "next-env.d.ts",
      "bench/.results/**",
    ],
  },
  ...nextVitals,
  {
    files: ["**/*.ts", "**/*.tsx"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false } },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Everything under lib/ is library code the app builds on: the app, its database and its
    // Auth.js config import lib/, never the other way round. The app's composition root (which
    // provider, which services, the Node server) lives in app/_server.
    files: ["lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/app", "@/app/*", "@/db", "@/db/*", "@/auth", "**/app/**", "**/db/**"],
              message: "lib/ never imports the app, db/ or auth.ts: they import lib/.",
            },
          ],
        },
      ],
    },
  },
  {
    // The core must run under any Fetch server: no framework, UI or database imports. Nor a
    // validator: typed messages take any Standard Schema (lib/server-events/standard-schema.ts).
    files: ["lib/server-events/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: coreForbidden, message: "lib/server-events is framework-free." },
            {
              group: ["zod", "zod/*"],
              message: "lib/server-events takes any Standard Schema; it imports no validator.",
            },
            { group: appForbidden, message: "The library never imports the app or its glue." },
          ],
        },
      ],
    },
  },
  {
    // The providers, the cluster layer and the client are library code too.
    files: ["lib/server-events-*/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: appForbidden, message: "The library never imports the app or its glue." },
          ],
        },
      ],
    },
  },
  {
    // The browser client ships in page bundles: none of the server may reach it. From the core it
    // takes the Standard Schema types and `formatIssues` (standard-schema.ts, which imports
    // nothing) and the typed-message catalog's types; the rule above still applies
    // (no-restricted-imports), this one adds to it. Its tests may use the core's fixtures.
    files: ["lib/server-events-client/**"],
    ignores: ["lib/server-events-client/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@/lib/server-events",
                "@/lib/server-events/**",
                "@/lib/server-events-*",
                "@/lib/server-events-*/**",
                "**/server-events/**",
                "!**/server-events/standard-schema",
                "!**/server-events/typed-messages",
                "**/server-events-cluster",
                "**/server-events-cluster/**",
                "**/server-events-node",
                "**/server-events-node/**",
                "**/server-events-postgres",
                "**/server-events-postgres/**",
                "**/server-events-redis",
                "**/server-events-redis/**",
              ],
              message:
                "The client imports only ../server-events/standard-schema and types from ../server-events/typed-messages.",
            },
            {
              // The core's index (`../server-events`): a glob for it would shut out its files too.
              regex: "^(\\.\\./)+(lib/)?server-events$",
              message: "The client imports nothing of the core's index: it is server code.",
            },
            {
              group: ["**/server-events/typed-messages"],
              allowTypeImports: true,
              message: "The client may import types only from ../server-events/typed-messages.",
            },
            {
              group: [...coreForbidden, "node:*"],
              message: "The client runs in browsers: no Node, framework or database imports.",
            },
          ],
        },
      ],
    },
  },
  {
    // The Node adapter: the core and node:* only, so it serves any app built on the core.
    files: ["lib/server-events-node/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // Its own rule replaces the one above for these files: it repeats appForbidden.
              group: [...coreForbidden, ...appForbidden],
              message: "lib/server-events-node may import the core and node:* only.",
            },
          ],
        },
      ],
    },
  },
  {
    // Opening a demo page makes a visitor a guest; a prefetched link would do it on sight
    // (app/_components/demo-link.tsx). A computed href is the author's to check.
    files: ["app/**/*.tsx"],
    ignores: ["app/_components/demo-link.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "JSXOpeningElement[name.name='Link'] > JSXAttribute[name.name='href'] Literal[value=/^\\/(chat|shapes)(?![\\w-])/]",
          message:
            "Link to a demo page with DemoLink (app/_components/demo-link.tsx): no prefetch.",
        },
      ],
    },
  },
  prettier,
);
