/**
 * Lint for the plugin, its tests, the benchmark and the scripts: the recommended JavaScript and
 * TypeScript rules (syntax only, no type information, so it stays fast) plus the house rules:
 * no `@ts-ignore` / `@ts-nocheck`, no `any`, no `as unknown as` double cast, and unused
 * names allowed only when they start with `_`.
 */
import js from "@eslint/js"
import { defineConfig, globalIgnores } from "eslint/config"
import tseslint from "typescript-eslint"

/** The TypeScript the lint covers: the plugin, its tests, the benchmark, the scripts, the dev store's config. */
const typeScriptFiles = [
  "src/**/*.{ts,tsx}",
  "integration-tests/**/*.ts",
  "bench/**/*.ts",
  "scripts/**/*.ts",
  "medusa-config.ts",
]

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
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  {
    files: typeScriptFiles,
    rules: {
      "no-restricted-syntax": ["error", doubleCastThroughUnknown],
    },
  },
  {
    files: commonJsFiles,
    languageOptions: { sourceType: "commonjs", globals: nodeCommonJsGlobals },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
    },
  },
)
