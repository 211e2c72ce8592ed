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
/* Where the question at a path is shown (["other_agencies", 0, "agency"] is
   "other_agencies.*.agency" in `places`), or null for a key that is no question. A key holding "."
   is never one (no id may), so a file's key "other_agencies.*.agency" is not that question. */
export const placeOf = (places, path) => {
  const name = path.map((part) => (typeof part === "number" ? "*" : part)).join(".");
  return path.some((part) => typeof part === "string" && part.includes(".")) || !has(places, name)
    ? null
    : places[name];
};
// A path's key in the problems found so far: ["a.b"] and ["a", "b"] are two answers.
const keyOf = JSON.stringify;

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
      !(keyOf([...path.slice(0, -1), want]) in taken) &&
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
  // Own keys only: an answer named "constructor" is not taken because {} has one.
  const hasProblem = (name) => has(taken, name);
  return table.rules
    .filter((row) => row.check === "criterion")
    .map((row) => {
      const unmet = [],
        missing = [];
      row.value.forEach((condition) => {
        if (
          [condition.field, condition.on_field].some(
            (name) => name && (!has(data, name) || hasProblem(name)),
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
      const met = unmet.length ? false : missing.length ? null : true,
        recorded =
          has(row, "reason_field") && has(data, row.reason_field) ? data[row.reason_field] : "";
      return {
        id: row.field.slice(10),
        name: row.message,
        met,
        reasons: unmet.length ? unmet : missing,
        strength: has(row, "strength") ? row.strength : "must",
        // a should's reason, as the form records it ("" when none is)
        recorded: typeof recorded === "string" && met === false ? recorded : "",
      };
    });
}
/* Every problem as [key, path, check, message]: one per answer, in the form's order. */
export function run(table, data, today) {
  // By path, not by dotted key: a file's key "other_agencies.0.agency" is not the agency of the
  // first item, and neither may hide the other's problem.
  const taken = Object.create(null),
    answersTaken = Object.create(null);
  table.rules.forEach((row) => {
    if (row.check === "criterion" || !allHold(row.when, data)) return;
    for (const [path, scope, key] of instances(row.field, data)) {
      for (const at of fails(row, path, scope, key, today, taken)) {
        taken[keyOf(at)] ??= [at, row];
        if (at.length === 1) answersTaken[at[0]] = true;
      }
    }
  });
  const found = Object.values(taken).map(([at, row]) => [at.join("."), at, row.check, row.message]);
  const rows = table.rules.filter((row) => row.check === "criterion");
  criteria(table, data, answersTaken).forEach((criterion, index) => {
    if (criterion.met === false && allHold(rows[index].when, data))
      found.push([
        rows[index].field,
        [rows[index].field],
        "criterion",
        criterion.reasons.join("; ") + (has(rows[index], "note") ? `. ${rows[index].note}` : ""),
      ]);
  });
  const places = table.places,
    LAST = 100000;
  const order = ([, at, check]) => {
    const place = check === "criterion" ? places[at[0]] : placeOf(places, at);
    if (place)
      return [place.at, at.length > 1 ? at[1] : -1, has(place, "sub") ? place.sub : -1, ""];
    return at.length === 1
      ? [LAST, -1, -1, String(at[0])]
      : [places[at[0]].at, at[1], LAST, String(at[at.length - 1])];
  };
  // Text by code point, as Python compares str ("<" compares UTF-16 units: "\u{1F600}" < "\uFF01").
  // At the first unit that differs, a half of a pair (an astral character) ranks above the rest.
  const rank = (unit) => (unit < 0xd800 ? unit : unit < 0xe000 ? unit + 0x2000 : unit - 0x800);
  const byCodePoint = (a, b) => {
    let index = 0;
    while (index < a.length && a[index] === b[index]) index++;
    return index === a.length || index === b.length
      ? a.length - b.length
      : rank(a.charCodeAt(index)) - rank(b.charCodeAt(index));
  };
  const compare = (left, right) => {
    for (let index = 0; index < left.length; index++) {
      const [a, b] = [left[index], right[index]];
      const c = typeof a === "string" ? byCodePoint(a, b) : a - b;
      if (c) return c;
    }
    return 0;
  };
  return found
    .map((problem) => [order(problem), problem])
    .sort((left, right) => compare(left[0], right[0]))
    .map((pair) => pair[1]);
}
