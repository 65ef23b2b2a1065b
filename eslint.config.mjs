/**
 * Lint for the plugin, its tests, the benchmark and the scripts: the recommended JavaScript and
 * TypeScript rules (syntax only, no type information, so it stays fast) plus the house rules:
 * no `@ts-ignore` / `@ts-nocheck`, no `any`, no `as unknown as` double cast, and unused
 * names allowed only when they start with `_`.
 */
import js from "@eslint/js"
import { defineConfig, globalIgnores } from "eslint/config"
import tseslint from "typescript-eslint"
import importX from "eslint-plugin-import-x"
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript"

/** The TypeScript the lint covers: the plugin, its tests, the benchmark, the scripts, the dev store's config. */
const typeScriptFiles = ["src/**/*.{ts,tsx}", "integration-tests/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts", "medusa-config.ts"]

/** The CommonJS files node loads as they are: scripts, bench hooks and config, the test set-up. */
const commonJsFiles = ["integration-tests/**/*.js", "bench/**/*.js", "scripts/**/*.js", "jest.config.js"]

/** The node globals those CommonJS files use. */
const nodeCommonJsGlobals = {
  require: "readonly",
  module: "writable",
  exports: "writable",
  __dirname: "readonly",
  __filename: "readonly",
  process: "readonly",
  console: "readonly",
  Buffer: "readonly",
  URL: "readonly",
  setTimeout: "readonly",
  clearTimeout: "readonly",
  setInterval: "readonly",
  clearInterval: "readonly",
  setImmediate: "readonly",
  clearImmediate: "readonly",
}

/** `x as unknown as T` (or the `<T><unknown>x` spelling): a cast that bypasses the type checker. */
const doubleCastThroughUnknown = {
  selector:
    ':matches(TSAsExpression, TSTypeAssertion) > :matches(TSAsExpression, TSTypeAssertion).expression[typeAnnotation.type="TSUnknownKeyword"]',
  message: "No `as unknown as` double cast: narrow the value (a type guard, a parser) or fix the type it comes from.",
}

/** A string naming a PSP or one of its ids (`pi_…`, `ch_…`): such facts belong to the providers. */
const pspLiterals = [
  {
    selector: "Literal[value=/stripe|yoco/i]",
    message: "Stripe and Yoco facts belong to src/providers: reach them through the provider port.",
  },
  {
    selector: "TemplateElement[value.raw=/stripe|yoco/i]",
    message: "Stripe and Yoco facts belong to src/providers: reach them through the provider port.",
  },
]

/** PSP SDKs and signature libraries, which only the providers (and the testing kit and CLI) use. */
const pspPackages = [
  { name: "stripe", message: "Stripe's SDK is the Stripe provider's: reach it through the provider port (src/lib/webhook-result.ts)." },
  { name: "standardwebhooks", message: "Signature schemes are the providers': reach them through the provider port." },
]

/** A provider's own files: only the providers, the testing kit and the CLI import them. */
const pspFiles = {
  group: ["**/providers/stripe/**", "**/providers/yoco/**", "**/providers/base/**"],
  message: "PSP facts live behind the provider port (src/lib/webhook-result.ts): call the port, not a provider's files.",
}

/** Anything above the inbox module. */
const aboveTheModule = {
  group: [
    "**/webhooks/**",
    "**/api/**",
    "**/providers/**",
    "**/admin/**",
    "**/cli/**",
    "**/workflows/**",
    "**/subscribers/**",
    "**/jobs/**",
    "**/testing/**",
  ],
  message: "The inbox module imports nothing above it: pass what it needs in, or move the code into the module.",
}

/** SQL on the inbox's tables, which only its module may run. */
const inboxSql = [
  {
    selector: "Literal[value=/payment_(webhook|reconciliation)_/]",
    message: "Only src/modules/payment-webhooks queries the inbox's tables: add a method to the module.",
  },
  {
    selector: "TemplateElement[value.raw=/payment_(webhook|reconciliation)_/]",
    message: "Only src/modules/payment-webhooks queries the inbox's tables: add a method to the module.",
  },
]

export default defineConfig(
  globalIgnores([
    ".medusa/",
    "node_modules/",
    "**/migrations/.snapshot*",
    "dist/",
    "coverage/",
    "bench/.store/",
    "bench/.scratch/",
    "bench/.profiles/",
  ]),
  {
    files: [...typeScriptFiles, ...commonJsFiles, "eslint.config.mjs"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/ban-ts-comment": [
        "error",
        {
          "ts-ignore": true,
          "ts-nocheck": true,
          "ts-check": false,
          "ts-expect-error": "allow-with-description",
          minimumDescriptionLength: 10,
        },
      ],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    files: typeScriptFiles,
    rules: {
      "no-restricted-syntax": ["error", doubleCastThroughUnknown],
    },
  },
  // The walls of the house (see the README's Architecture): the inbox module stands on its own; PSP facts stay
  // behind the provider port; the inbox's tables are queried only by their module. (A rule set for a file is
  // the last block's that names it, so each block lists every syntax rule its files keep.)
  {
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/providers/**", "src/testing/**", "src/cli/**", "src/modules/**", "src/**/*.unit.spec.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: pspPackages, patterns: [pspFiles] }],
      "no-restricted-syntax": ["error", doubleCastThroughUnknown, ...pspLiterals, ...inboxSql],
    },
  },
  {
    files: ["src/modules/**/*.ts"],
    ignores: ["src/**/*.unit.spec.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: pspPackages, patterns: [pspFiles, aboveTheModule] }],
      "no-restricted-syntax": ["error", doubleCastThroughUnknown, ...pspLiterals],
    },
  },
  {
    files: ["src/providers/**/*.ts", "src/testing/**/*.ts", "src/cli/**/*.ts", "bench/**/*.ts"],
    ignores: ["src/**/*.unit.spec.ts"],
    rules: {
      "no-restricted-syntax": ["error", doubleCastThroughUnknown, ...inboxSql],
    },
  },
  // No import cycles anywhere in the plugin or the benchmark: each folder reads top-down.
  {
    files: ["src/**/*.{ts,tsx}", "bench/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })],
      // The files a cycle runs through are read with the TypeScript parser too.
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/extensions": [".ts", ".tsx", ".js"],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: commonJsFiles,
    languageOptions: { sourceType: "commonjs", globals: nodeCommonJsGlobals },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
    },
  },
)
