// ESLint for the HTML view's own script (run: npm ci && npm run lint). cytoscape.js beside it is vendored as
// published, minified, and not ours to lint.
const js = require("@eslint/js");

module.exports = [
  { ignores: ["src/peelgraph/views/static/cytoscape.min.js"] },
  {
    files: ["src/peelgraph/views/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script", // inlined into the page as a classic script
      globals: { window: "readonly", document: "readonly", cytoscape: "readonly" },
    },
    rules: {
      ...js.configs.recommended.rules,
      eqeqeq: "error",
      "no-var": "error",
      "prefer-const": "error",
      strict: ["error", "function"],
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: js.configs.recommended.rules,
  },
];
