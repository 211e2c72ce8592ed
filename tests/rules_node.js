// The tests' bridge to Node: reads one JSON request per line, answers one JSON line each.
//   {"run": table, "data": ..., "today": "YYYY-MM-DD"}  -> the page's interpreter: problems, criteria
//   {"schema": schema, "data": ...}                      -> ajv 8 (draft 2020-12): valid or not
// It loads the page's own script (generator/static/js/referral-form.js), never a copy of it.
"use strict";
const path = require("path");
const readline = require("readline");
const rules = require(path.join(__dirname, "..", "generator", "static", "js", "referral-form.js"));
const Ajv2020 = require("ajv/dist/2020");

const ajv = new Ajv2020({ strict: false, allErrors: true });
const compiled = new Map();
const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const request = JSON.parse(line);
  let answer;
  if (request.schema) {
    const key = JSON.stringify(request.schema);
    if (!compiled.has(key)) compiled.set(key, ajv.compile(request.schema));
    answer = { valid: compiled.get(key)(request.data) };
  } else {
    const table = request.run;
    answer = {
      problems: rules.run(table, request.data, request.today),
      criteria: rules.criteria(table, request.data),
    };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
