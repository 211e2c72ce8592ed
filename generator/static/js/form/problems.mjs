/* A saved file as the form page reads it, and its problems in the words the page shows:
   (the rule table, a file's bytes) -> refused with one message, or its answers; (table, answers)
   -> problems worded "Section > Label: message". It reads and words them exactly as
   generator/rules/submission.py does, so the page's error summary and `python -m generator
   validate` list the same problems for the same file. Like rules.mjs it touches no page:
   tests/test_rules_in_node.py loads it in Node to compare the two on many hostile files. */
import { has, isList, isObject, placeOf, run } from "./rules.mjs";

export function problem(field, section, label, message, item = "", at = [], severity = "error") {
  const where = [section, item, label].filter(Boolean).join(" > ");
  const said = severity === "warning" ? `warning: ${message}` : message;
  const text = where ? `${where}: ${said}` : said;
  return { field, section, item, label, message, text, at, severity };
}

/* Why `data` is no saved file of this form at all (nothing in it is then checked), or "". */
export function refusal(table, data) {
  const words = table.file_messages;
  if (!isObject(data)) return words.not_object;
  if (!has(data, "form") || typeof data.form !== "string") return words.no_form_id;
  return data.form === table.form ? "" : words.other_form;
}

/* Every problem with a submission, one per answer, in the form's order; `at` is its path. */
export function problems(table, data, today) {
  const refused = refusal(table, data);
  if (refused) return [problem("", "", "", refused)];
  const places = table.places;
  return run(table, data, today).map(([key, at, check, message]) => {
    if (check === "criterion")
      return problem(
        key,
        places[key].section,
        places[key].label,
        message,
        "",
        at,
        places[key].severity,
      );
    const here = placeOf(places, at);
    const top = typeof at[0] === "string" && has(places, at[0]) ? places[at[0]] : null;
    const item = top && at.length > 1 ? `${top.item} ${at[1] + 1}` : "";
    if (!here)
      return problem(key, item ? top.section : "", String(at[at.length - 1]), message, item, at);
    return problem(key, here.section, here.label, message, item, at);
  });
}

// The most items any list in a value holds, as submission.py counts them.
const longest = (v) =>
  isObject(v) || isList(v)
    ? Object.values(v).reduce((most, x) => Math.max(most, longest(x)), isList(v) ? v.length : 0)
    : 0;
// As submission.py: no half of a UTF-16 pair ("\ud800"), nothing nested too deep.
const wellFormed = (v, most, depth = 0) =>
  depth <= most &&
  (typeof v === "string"
    ? !/[\ud800-\udfff]/u.test(v)
    : isList(v)
      ? v.every((x) => wellFormed(x, most, depth + 1))
      : !isObject(v) ||
        Object.entries(v).every(
          ([k, x]) => wellFormed(k, most, depth + 1) && wellFormed(x, most, depth + 1),
        ));

/* A file's bytes (a Uint8Array): {answers} or, for a file that is no saved form of this one,
   {refused: the one message}, as submission.parse_submission and `refusal` decide. */
export function readFile(table, bytes) {
  const words = table.file_messages;
  if (bytes.length > table.max_bytes) return { refused: words.too_large };
  let answers;
  try {
    // A byte order mark first is dropped, as Python's "utf-8-sig" drops it.
    answers = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (_e) {
    return { refused: words.not_json };
  }
  if (!wellFormed(answers, table.max_depth)) return { refused: words.not_json };
  if (longest(answers) > table.max_list) return { refused: words.too_many };
  const refused = refusal(table, answers);
  return refused ? { refused } : { answers };
}
