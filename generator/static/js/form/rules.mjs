/* The rule table's interpreter: (table, answers, today) -> problems, and the criteria met or not.
   It runs the table generator/rules/compile.py compiles exactly as generator/rules/interpret.py
   runs it (rows in order, the first problem an answer has wins), so the page and
   `python -m generator validate` find the same problems in the same words. A module of its own
   because it is the part that must agree with Python: it touches no page, and
   tests/test_rules_in_node.py loads it alone in Node to compare the two on every fixture. */

const scalar = (value) => value === null || typeof value !== "object";
export const has = (value, key) => !scalar(value) && Object.hasOwn(value, key);
export const isList = Array.isArray;
export const isObject = (value) => !scalar(value) && !isList(value);
// ["other_agencies", 0, "agency"] -> "other_agencies.*.agency", the key `places` uses.
export const pattern = (path) =>
  path.map((part) => (typeof part === "number" ? "*" : part)).join(".");

const compiled = {};
const test = (pattern, text) => {
  compiled[pattern] ??= new RegExp(pattern, "u");
  return compiled[pattern].test(text);
};
const kindOf = (v) =>
  typeof v === "string" ? "string" : isList(v) ? "array" : isObject(v) ? "object" : "other";
function realDate(text) {
  if (typeof text !== "string" || !test("^[0-9]{4}-[0-9]{2}-[0-9]{2}(?![\\s\\S])", text))
    return null;
  const [year, month, day] = [text.slice(0, 4), text.slice(5, 7), text.slice(8, 10)].map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return year >= 1 && days && day >= 1 && day <= days ? [year, month, day] : null;
}
const ageOn = (birth, on) =>
  on[0] - birth[0] - (on[1] < birth[1] || (on[1] === birth[1] && on[2] < birth[2]) ? 1 : 0);
function holds(condition, scope) {
  if (!has(scope, condition.field)) return false;
  const answer = scope[condition.field];
  if (condition.in)
    return condition.any
      ? isList(answer) && answer.some((item) => condition.in.includes(item))
      : scalar(answer) && condition.in.includes(answer);
  if (has(condition, "age_at_most")) {
    const birth = realDate(answer),
      on = realDate(scope[condition.on_field]);
    return !!(birth && on) && ageOn(birth, on) <= condition.age_at_most;
  }
  return true;
}
const allHold = (conditions, scope) =>
  (conditions || []).every((condition) => holds(condition, scope));
// [path, the object holding the answer, its key] for each answer a row's field names.
function instances(field, data) {
  if (field === "") return [[[], { "": data }, ""]];
  const [top, rest] = field.split(".*");
  if (rest === undefined) return [[[top], data, top]];
  const items = has(data, top) && isList(data[top]) ? data[top] : [];
  return items.flatMap((item, index) =>
    !rest
      ? [[[top, index], items, index]]
      : isObject(item)
        ? [[[top, index, rest.slice(1)], item, rest.slice(1)]]
        : [],
  );
}
// A check only text can break: any other answer is the `type` row's to report.
const text =
  (check) =>
  (answer, ...rest) =>
    typeof answer === "string" && check(answer, ...rest);
/* The rule kinds, one entry per `check` the compiler writes, as CHECKS in
   generator/rules/interpret.py: (answer, the row's value, the object holding the answer, today,
   the answer's path, the problems found so far) -> whether the answer breaks the row, or
   (`known`) the keys inside it that do. Only answers given are checked: one left out breaks
   `required` and no other row. `criterion` is weighed by `criteria`, after every other row. */
export const CHECKS = {
  required: () => false,
  absent: (_answer, want, scope) => !allHold(want, scope),
  known: (answer, want) =>
    isObject(answer) ? Object.keys(answer).filter((name) => !want.includes(name)) : [],
  type: (answer, want) => kindOf(answer) !== want,
  const: (answer, want) => answer !== want,
  enum: (answer, want) => !scalar(answer) || !want.includes(answer),
  items_enum: (answer, want) =>
    isList(answer) && answer.some((item) => !scalar(item) || !want.includes(item)),
  uniqueItems: (answer) =>
    isList(answer) && new Set(answer.map((item) => JSON.stringify(item))).size < answer.length,
  minItems: (answer, want) => isList(answer) && answer.length < want,
  maxItems: (answer, want) => isList(answer) && answer.length > want,
  maxLength: text((answer, want) => [...answer].length > want), // in code points, as Python counts
  pattern: text((answer, want) => !test(want, answer)),
  excludes: text((answer, want) => test(want, answer)),
  date: text((answer) => !realDate(answer)),
  future: text((answer, _want, _scope, today) => answer > today),
  not_after: text(
    (answer, want, scope, _today, path, taken) =>
      !!realDate(scope[want]) &&
      !([...path.slice(0, -1), want].join(".") in taken) &&
      answer > scope[want],
  ),
};
function fails(row, path, scope, key, today, taken) {
  if (!isList(scope) && !has(scope, key)) return row.check === "required" ? [path] : [];
  const bad = CHECKS[row.check]?.(scope[key], row.value, scope, today, path, taken);
  return isList(bad) ? bad.map((name) => [...path, name]) : bad ? [path] : [];
}
/* Each criterion: met true, false (an answer says not), or null (an answer it needs is missing
   or has a problem of its own), with the answers that decided it. */
export function criteria(table, data, taken = {}) {
  return table.rules
    .filter((row) => row.check === "criterion")
    .map((row) => {
      const unmet = [],
        missing = [];
      row.value.forEach((condition) => {
        if (
          [condition.field, condition.on_field].some(
            (name) => name && (!has(data, name) || name in taken),
          )
        )
          missing.push(condition.missing);
        else if (!holds(condition, data)) {
          const unmetWords = condition.unmet,
            answer = data[condition.field],
            birth = realDate(answer),
            on = realDate(data[condition.on_field]);
          const words =
            typeof unmetWords === "string"
              ? unmetWords
              : typeof answer === "string" && has(unmetWords, answer)
                ? unmetWords[answer]
                : "";
          unmet.push(
            has(condition, "age_at_most")
              ? words.replace("{age}", birth && on ? ageOn(birth, on) : "")
              : words,
          );
        }
      });
      return {
        id: row.field.slice(10),
        name: row.message,
        met: unmet.length ? false : missing.length ? null : true,
        reasons: unmet.length ? unmet : missing,
      };
    });
}
/* Every problem as [key, path, check, message]: one per answer, in the form's order. */
export function run(table, data, today) {
  const taken = Object.create(null);
  table.rules.forEach((row) => {
    if (row.check === "criterion" || !allHold(row.when, data)) return;
    for (const [path, scope, key] of instances(row.field, data)) {
      for (const at of fails(row, path, scope, key, today, taken)) {
        const where = at.join(".");
        if (!(where in taken)) taken[where] = [at, row];
      }
    }
  });
  const found = Object.keys(taken).map((where) => [
    where,
    taken[where][0],
    taken[where][1].check,
    taken[where][1].message,
  ]);
  const rows = table.rules.filter((row) => row.check === "criterion");
  criteria(table, data, taken).forEach((criterion, index) => {
    if (criterion.met === false && allHold(rows[index].when, data))
      found.push([
        rows[index].field,
        [rows[index].field],
        "criterion",
        criterion.reasons.join("; "),
      ]);
  });
  const places = table.places,
    LAST = 100000;
  const order = (at) => {
    const name = pattern(at);
    if (has(places, name))
      return [
        places[name].at,
        at.length > 1 ? at[1] : -1,
        has(places[name], "sub") ? places[name].sub : -1,
        "",
      ];
    return at.length === 1
      ? [LAST, -1, -1, String(at[0])]
      : [places[at[0]].at, at[1], LAST, String(at[at.length - 1])];
  };
  const compare = (left, right) => {
    for (let index = 0; index < left.length; index++)
      if (left[index] !== right[index]) return left[index] < right[index] ? -1 : 1;
    return 0;
  };
  return found
    .map((problem) => [order(problem[1]), problem])
    .sort((left, right) => compare(left[0], right[0]))
    .map((pair) => pair[1]);
}
