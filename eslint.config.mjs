import { existsSync, readdirSync } from "node:fs";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// A top-level folder's `private/` helpers are imported only by that folder (and by the tests): every other folder
// goes through what the owner exports. Found on disk, so a new `private/` folder is covered without editing this.
const layersWithPrivate = readdirSync(import.meta.dirname, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith(".") && d.name !== "node_modules" && d.name !== "test")
  .map((d) => d.name)
  .filter((name) => existsSync(`${import.meta.dirname}/${name}/private`));
const privateOf = (layer) => ({
  group: [`**/${layer}/private`, `**/${layer}/private/**`],
  message: `${layer}/private/ is internal to ${layer}/: import what ${layer}/ exports instead, or move the helper out of private/.`,
});
const privateImportRules = [
  ...layersWithPrivate.map((layer) => ({
    files: [`${layer}/**/*.ts`],
    rules: { "no-restricted-imports": ["error", { patterns: layersWithPrivate.filter((l) => l !== layer).map(privateOf) }] },
  })),
  {
    files: ["**/*.ts"],
    ignores: [...layersWithPrivate.map((layer) => `${layer}/**`), "test/**"],
    rules: { "no-restricted-imports": ["error", { patterns: layersWithPrivate.map(privateOf) }] },
  },
];

export default tseslint.config(
  { ignores: [".gen/**", "node_modules/**", "cdktf.out/**", "dist/**", "lib/**", "docs/api/**", "examples/*/node_modules/**", "**/*.js", "bench/.work/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-require-imports": "off",
      "no-console": "error",
    },
  },
  {
    files: ["test/**", "bench/**", "scripts/**"],
    rules: { "no-console": "off" },
  },
  ...privateImportRules,
);
