/* Drafts: saving the answers to a file, opening a saved file, and the question asked before a file
   replaces answers on the page. Apart from the page because files are where answers leave and
   come back: a file is refused, with nothing on the page changed, unless it is a saved file of
   this form, and nothing else on the page reads or writes one. */

import { afterOpening } from "./journey.mjs";
import {
  clearErrors,
  collect,
  compactGroups,
  find,
  form,
  formRules,
  holdFile,
  localToday,
  make,
  markSaved,
  messages,
  opened,
  page,
  reset,
  say,
  showProblems,
  update,
  validate,
  write,
} from "./page.mjs";
import { problem, readFile } from "./problems.mjs";
import { has } from "./rules.mjs";

let opener, asking;
let pending = null;
// "{file}" filled with a file's name as it is: a name holding "$&" is not a replacement pattern.
const naming = (words, name) => words.replace("{file}", () => name);

function save() {
  compactGroups();
  const data = collect("complete");
  const draft = errorsIn(validate(data)).length > 0;
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
   form (in the words `validate` uses for it); ask first if it would replace answers on the page
   (an empty draft too). */
async function open(file) {
  // Too large: refused before it is read at all.
  const read =
    file.size > formRules.max_bytes
      ? { refused: formRules.file_messages.too_large }
      : readFile(formRules, new Uint8Array(await file.arrayBuffer()));
  if (read.refused) {
    say("");
    return showProblems(
      [problem("", "", "", read.refused)],
      naming(messages.file_problem, file.name),
    );
  }
  if (Object.keys(update()).length) ask(file.name, read.answers);
  else replaceAnswers(file.name, read.answers);
}

// A should criterion not met is a warning: the referral is complete, its reason recorded.
const errorsIn = (problems) => problems.filter((p) => p.severity !== "warning");

function replaceAnswers(name, data) {
  reset();
  for (const id of formRules.order) {
    if (formRules.fields[id].type !== "meta" && has(data, id))
      write(id, formRules.fields[id], data[id]);
  }
  holdFile(data); // judged as the file holds them, until the first change
  update();
  markSaved(); // the page now holds what the file holds; the next change arms the warning again
  afterOpening(data);
  // Listed as `validate` lists them, warnings too, unless there are only warnings.
  const problems = validate(data),
    refused = errorsIn(problems).length > 0;
  say(refused ? "" : messages.opened, name, opened);
  if (refused) showProblems(problems, naming(messages.opened_problems, name));
  else {
    clearErrors();
    opener.focus();
  }
}

/* The question before a file replaces answers: GOV.UK warning text and two buttons. */
function ask(name, data) {
  pending = { name, data };
  asking.querySelector("[data-tr-confirm-words]").textContent = naming(messages.confirm_open, name);
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
