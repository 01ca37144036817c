// ESLint for the HTML view's and the static site's own scripts (run: npm ci && npm run lint). cytoscape.js
// beside the view's is vendored as published, minified, and not ours to lint.
const js = require("@eslint/js");

// Both are inlined into their pages as classic scripts, held to the same rules.
const pageScript = (files, globals) => ({
  files,
  languageOptions: { ecmaVersion: 2022, sourceType: "script", globals },
  rules: {
    ...js.configs.recommended.rules,
    eqeqeq: "error",
    "no-var": "error",
    "prefer-const": "error",
    strict: ["error", "function"],
  },
});

module.exports = [
  { ignores: ["src/peelgraph/views/static/cytoscape.min.js"] },
  pageScript(["src/peelgraph/views/static/**/*.js"], {
    window: "readonly",
    document: "readonly",
    cytoscape: "readonly",
  }),
  pageScript(["src/peelgraph/views/site/static/**/*.js"], {
    document: "readonly",
    location: "readonly",
    history: "readonly",
  }),
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: js.configs.recommended.rules,
  },
];
