/* Drafts: saving the answers to a file, opening a saved file, and the question asked before a file
   replaces answers on the page. Apart from the page because files are where answers leave and
   come back: a file is refused, with nothing on the page changed, unless it is a saved file of
   this form, and nothing else on the page reads or writes one. */

import {
  clearErrors,
  collect,
  compactGroups,
  find,
  form,
  formRules,
  localToday,
  make,
  markSaved,
  messages,
  opened,
  page,
  problem,
  reset,
  say,
  showProblems,
  update,
  validate,
  write,
} from "./page.mjs";
import { has, isList, isObject } from "./rules.mjs";

let opener, asking;
let pending = null;

// As generator/rules/submission.py: no half of a UTF-16 pair ("\ud800"), nothing nested too deep.
const wellFormed = (v, depth = 0) =>
  depth <= formRules.max_depth &&
  (typeof v === "string"
    ? !/[\ud800-\udfff]/u.test(v)
    : isList(v)
      ? v.every((x) => wellFormed(x, depth + 1))
      : !isObject(v) ||
        Object.entries(v).every(([k, x]) => wellFormed(k, depth + 1) && wellFormed(x, depth + 1)));

function save() {
  compactGroups();
  const data = collect("complete");
  const draft = validate(data).length > 0;
  const out = {
    ...data,
    status: draft ? "draft" : "complete",
    saved_at: new Date().toISOString(),
  };
  const name = `${formRules.form}${draft ? "-draft" : ""}-${localToday()}.json`;
  const blob = new Blob([`${JSON.stringify(out, null, 2)}\n`], { type: "application/json" });
  const link = make("a", { href: URL.createObjectURL(blob), download: name, hidden: true });
  page.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  markSaved();
  say(
    `${draft ? messages.saved_draft : messages.saved_complete} ${messages.saved_notice}`.trim(),
    name,
  );
}

/* Read a file; refuse it, with nothing on the page changed, unless it is a saved file of this
   form; ask first if it would replace answers on the page (an empty draft too). */
async function open(file) {
  const fail = (message) => {
    say("");
    showProblems(
      [problem("", "", "", message)],
      messages.file_problem.replace("{file}", file.name),
    );
  };
  if (file.size > formRules.max_bytes) return fail(formRules.file_messages.too_large);
  let data;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer()));
    if (!wellFormed(data)) throw new SyntaxError("not plain JSON");
  } catch (_e) {
    return fail(formRules.file_messages.not_json);
  }
  if (!isObject(data)) return fail(formRules.file_messages.not_object);
  if (typeof data.form !== "string") return fail(messages.no_form_id);
  if (data.form !== formRules.form) return fail(messages.other_form);
  if (Object.keys(update()).length) ask(file.name, data);
  else replaceAnswers(file.name, data);
}

function replaceAnswers(name, data) {
  reset();
  for (const id of formRules.order) {
    if (formRules.fields[id].type !== "meta" && has(data, id))
      write(id, formRules.fields[id], data[id]);
  }
  update();
  markSaved(); // the page now holds what the file holds; the next change arms the warning again
  const problems = validate(data);
  say(problems.length ? "" : messages.opened, name, opened);
  if (problems.length) showProblems(problems, messages.opened_problems.replace("{file}", name));
  else {
    clearErrors();
    opener.focus();
  }
}

/* The question before a file replaces answers: GOV.UK warning text and two buttons. */
function ask(name, data) {
  pending = { name, data };
  asking.querySelector("[data-tr-confirm-words]").textContent = messages.confirm_open.replace(
    "{file}",
    name,
  );
  say("", "", opened);
  asking.hidden = false;
  asking.focus({ preventScroll: true });
  asking.scrollIntoView({ block: "nearest", behavior: "instant" });
}
function answer(replace) {
  const { name, data } = pending;
  pending = null;
  asking.hidden = true;
  if (replace) return replaceAnswers(name, data);
  say(messages.kept, name, opened);
  opener.focus();
}

/* Bring the save button, the file opener and the question before replacing answers to life. */
export function startDrafts() {
  opener = find("[data-tr-open]");
  asking = find("[data-tr-confirm]");
  form.addEventListener("click", (event) => {
    if (event.target.closest("button")?.hasAttribute("data-tr-save")) save();
  });
  opener.addEventListener("change", () => {
    if (opener.files.length) open(opener.files[0]);
    opener.value = "";
  });
  asking.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button && pending) answer(button.hasAttribute("data-tr-replace"));
  });
  asking.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && pending) {
      event.preventDefault();
      answer(false);
    }
  });
}
