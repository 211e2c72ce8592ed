// The tests' bridge to Node: reads one JSON request per line, answers one JSON line each.
//   {"run": table, "data": ..., "today": "YYYY-MM-DD"}  -> the page's interpreter: problems, criteria
//   {"checks": true}                                     -> the rule kinds the page's CHECKS knows
//   {"schema": schema, "data": ...}                      -> ajv 8 (draft 2020-12): valid or not
//   {"read": table, "base64": bytes, "today": ...}       -> the page reading a file: its problems
// It loads the page's own rule interpreter and file reader (generator/static/js/form/rules.mjs and
// problems.mjs, ES modules the site gets bundled into assets/tr/referral-form.js), never copies.
"use strict";
const path = require("node:path");
const readline = require("node:readline");
const { pathToFileURL } = require("node:url");
const Ajv2020 = require("ajv/dist/2020");

const FORM = path.join(__dirname, "..", "generator", "static", "js", "form");
const ajv = new Ajv2020({ strict: false, allErrors: true });
const compiled = new Map();

const load = (name) => import(pathToFileURL(path.join(FORM, name)).href);
Promise.all([load("rules.mjs"), load("problems.mjs")]).then(([rules, reader]) => {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const request = JSON.parse(line);
    let answer;
    // As the page reads a file: a byte order mark first is not part of the JSON.
    const data =
      "data_text" in request ? JSON.parse(request.data_text.replace(/^\uFEFF/, "")) : request.data;
    if (request.read) {
      const table = request.read,
        read = reader.readFile(table, Buffer.from(request.base64, "base64"));
      const found = read.refused
        ? [reader.problem("", "", "", read.refused)]
        : reader.problems(table, read.answers, request.today);
      // As the error summary lists them; the path is the page's own.
      answer = { problems: found.map(({ at, ...shown }) => shown) };
    } else if (request.schema) {
      const key = JSON.stringify(request.schema);
      if (!compiled.has(key)) compiled.set(key, ajv.compile(request.schema));
      answer = { valid: compiled.get(key)(data) };
    } else if (request.checks) {
      answer = { checks: Object.keys(rules.CHECKS) };
    } else {
      const table = request.run;
      answer = {
        problems: rules.run(table, data, request.today),
        criteria: rules.criteria(table, data),
      };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
});
