/* The way through the form on screen, in GOV.UK's task list and check answers patterns: a task
   list of the form's sections, each with its status, so they can be filled in any order; one
   section at a time, whose errors show when the practitioner continues from it; and "Check your
   answers", every answer by section with a Change link to its question and back. Each view has
   an address of its own (#tr-tasks, #tr-section-ID, #tr-check: never an answer), so the browser's
   Back button and a reload keep the practitioner's place. Without this script the page is one
   long form, and paper always gets every question (referral-form.css). */
import {
  all,
  answersNow,
  byId,
  clearErrors,
  compactGroups,
  find,
  form,
  formRules,
  make,
  markSaved,
  messages,
  page,
  read,
  reset,
  reveal,
  say,
  showProblems,
  summary,
  validate,
} from "./page.mjs";
import { printedAnswer } from "./print.mjs";

let parts = []; // the form's sections, in order
let view = "";
let part = null; // the section shown
let back = ""; // where a section reached by a Change link leads back to
let changed = ""; // the question whose Change link was followed
const confirmed = new Set(); // sections continued from with no problem, answered or not
const sectionOf = Object.create(null); // a question's id -> its section's id

const idOf = (section) => section.dataset.trSection;
const hashOf = (section) => `#tr-section-${idOf(section)}`;
const ours = (hash) =>
  !hash || ["#tr-tasks", "#tr-check"].includes(hash) || hash.startsWith("#tr-section-");
const titleOf = (section) => section.querySelector(".tr-section__title");
const allProblems = () => validate({ ...answersNow(), status: "complete" });

/* The problems a complete referral with the answers now would have, by section. */
function bySection() {
  const found = Object.create(null);
  for (const p of allProblems()) {
    const id = sectionOf[p.at[0]];
    if (id) found[id] = [...(found[id] || []), p];
  }
  return found;
}

/* GOV.UK's statuses: not yet started (nothing answered, nor continued from), incomplete (answered,
   with a problem left), completed (no problem, and answered or continued from). */
function statusOf(section, found, answers) {
  const id = idOf(section);
  const answered = Object.keys(answers).some((key) => sectionOf[key] === id);
  if (found[id]) return answered ? "task_incomplete" : "task_not_started";
  return answered || confirmed.has(id) ? "task_completed" : "task_not_started";
}

function showTasks() {
  const found = bySection(),
    answers = answersNow();
  let done = 0;
  for (const section of parts) {
    const status = statusOf(section, found, answers),
      words = messages[status];
    done += status === "task_completed";
    byId(`tr-status-${idOf(section)}`).replaceChildren(
      status === "task_completed"
        ? words
        : make("strong", { className: "tr-tag", textContent: words }),
    );
  }
  find("[data-tr-progress]").textContent = messages.progress
    .replace("{done}", done)
    .replace("{total}", parts.length);
}

/* Check your answers: each question asked, its answer as it will print, and a Change link; a
   question still to answer has its message as the link instead, a wrong answer its message too. */
function showReview() {
  const found = allProblems(),
    first = Object.create(null);
  for (const p of found) if (p.at.length && !(p.at[0] in first)) first[p.at[0]] = p;
  const box = find("[data-tr-answers]");
  box.replaceChildren(
    ...parts.map((section) => {
      const list = make("dl", { className: "tr-summary-list" });
      for (const wrapper of all(":scope > .tr-field", section)) {
        if (wrapper.hidden) continue; // not asked, given the answers
        const key = wrapper.id.slice(2),
          rule = formRules.fields[key],
          p = first[key];
        const link = (words, named) => {
          const a = make("a", { href: hashOf(section), textContent: words });
          a.dataset.trChange = key;
          if (named)
            a.append(make("span", { className: "tr-visually-hidden", textContent: ` ${named}` }));
          return a;
        };
        const value = make("dd"),
          actions = make("dd", { className: "tr-summary-list__actions" });
        if (p && read(key, rule) === undefined) value.append(link(p.message));
        else {
          value.append(...printedAnswer(key, rule, wrapper));
          if (p) {
            const error = make("p", { className: "tr-error-message" });
            error.append(
              make("span", {
                className: "tr-visually-hidden",
                textContent: `${messages.error_prefix} `,
              }),
              p.message,
            );
            value.append(error);
          }
          actions.append(link(messages.change, rule.label));
        }
        const row = make("div", { className: "tr-summary-list__row" });
        row.append(make("dt", { textContent: rule.label }), value, actions);
        list.append(row);
      }
      const part = make("div", { className: "tr-review__section" });
      part.append(make("h3", { textContent: titleOf(section).textContent }), list);
      return part;
    }),
  );
  // A should criterion not met is a warning, not a problem: the referral can still be made.
  const errors = found.filter((p) => p.severity !== "warning");
  say(errors.length ? "" : found.length ? messages.checked_warnings : messages.checked_ok);
}

/* Show the view an address names (the task list for any other); return its heading. Errors shown
   belong to the view they were found in, unless `keep` (a link in the error summary was followed). */
function show(hash, keep = false) {
  part = parts.find((section) => hashOf(section) === hash) || null;
  view = part ? "section" : hash === "#tr-check" ? "check" : "tasks";
  if (view !== "section") back = "";
  if (!keep) clearErrors();
  say("");
  for (const section of parts) section.classList.toggle("tr-section--current", section === part);
  for (const name of ["tasks", "section", "check"])
    page.classList.toggle(`tr-on-${name}`, view === name);
  if (view === "tasks") showTasks();
  if (view === "check") showReview();
  if (part) part.querySelector("[data-tr-back]").setAttribute("href", back || "#tr-tasks");
  return part ? titleOf(part) : byId(view === "check" ? "tr-check" : "tr-tasks");
}

/* Go to a view, as a new step in the browser's history; focus its heading, or `focus()`. */
function go(hash, { focus = () => null, keep = false } = {}) {
  if (location.hash !== hash) history.pushState(null, "", hash);
  const heading = show(hash, keep),
    target = focus() || heading;
  target.focus({ preventScroll: true });
  reveal(target === heading ? part || heading : target.closest(".tr-field") || target);
}

/* Continue from a section: its problems, or on to the next section not completed (back to the
   answers after a Change link); the task list once the last is done with others left. */
function next() {
  compactGroups();
  const id = idOf(part),
    found = bySection();
  if (found[id]) return showProblems(found[id]);
  confirmed.add(id);
  if (back) return go(back, { focus: () => find(`[data-tr-change="${CSS.escape(changed)}"]`) });
  const answers = answersNow(),
    left = parts.filter((section) => statusOf(section, found, answers) !== "task_completed");
  const later = left.find((section) => parts.indexOf(section) > parts.indexOf(part));
  go(later ? hashOf(later) : left.length ? "#tr-tasks" : "#tr-check");
}

/* After a file is opened: a complete referral's sections count as continued from. */
export function afterOpening(answers) {
  confirmed.clear();
  if (answers.status === "complete") for (const section of parts) confirmed.add(idOf(section));
  if (view === "tasks") showTasks();
}

export function startJourney() {
  parts = all("[data-tr-section]", form);
  for (const section of parts)
    for (const wrapper of all(":scope > .tr-field", section))
      sectionOf[wrapper.id.slice(2)] = idOf(section);
  for (const button of all("[data-tr-next]", form)) button.disabled = false;

  form.addEventListener("submit", (event) => {
    event.preventDefault(); // Enter in a box is Continue too; nothing is ever sent
    if (view === "section") next();
  });
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button?.hasAttribute("data-tr-clear") && window.confirm(messages.confirm_clear)) {
      reset();
      markSaved();
      confirmed.clear();
      go("#tr-tasks");
      say(messages.cleared);
    }
  });
  find("[data-tr-check]").addEventListener("click", () => go("#tr-check"));
  find("[data-tr-answers]").addEventListener("click", (event) => {
    const link = event.target.closest("[data-tr-change]");
    if (!link) return;
    event.preventDefault();
    changed = link.dataset.trChange;
    back = "#tr-check";
    go(link.getAttribute("href"), {
      focus: () => byId(`q-${changed}`).querySelector("input, textarea"),
    });
  });
  // A link in the error summary leads to its question, in whichever section it is.
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a"),
      target = link && byId(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    const section = target.closest("[data-tr-section]");
    if (section && section !== part)
      return go(hashOf(section), { focus: () => target, keep: true });
    target.focus({ preventScroll: true });
    reveal(target.closest(".tr-field"));
  });
  // The task list's links, the Back links and the browser's Back and Forward buttons.
  window.addEventListener("hashchange", () => {
    if (ours(location.hash)) go(location.hash);
  });
  const heading = show(ours(location.hash) ? location.hash : "");
  if (view !== "tasks") reveal(part || heading);
}
