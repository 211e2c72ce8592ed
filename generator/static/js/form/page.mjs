/* The referral form page: its questions (read, write, shown when they apply, group items added
   and removed), the criteria summary, the GOV.UK error summary and the messages by each question.
   It is the part that knows the page's HTML (generator/templates/form/), apart from the rules it
   runs (rules.mjs, problems.mjs), from the way through it (journey.mjs), from saving and opening
   files (drafts.mjs) and from the printout (print.mjs). */
import { problems } from "./problems.mjs";
import { criteria, has, isList, isObject, run } from "./rules.mjs";

// Found by startPage: the form page, its rule table and interface words, and the elements in it.
export let page, formRules, messages, form, opened, summary;
let status, title;
// Answers changed since the page was opened, last saved or cleared: leaving asks first.
let unsaved = false;
export const markSaved = () => {
  unsaved = false;
};
/* The answers of the file just opened, until the first change: what the page judges then (its
   criteria, its sections' statuses), not what the boxes made of them ("2026-1-5" is shown as
   5 January 2026, but the file holds no real date). */
let fromFile = null;
export const holdFile = (answers) => {
  fromFile = answers;
};

export const all = (selector, root = page) => [...root.querySelectorAll(selector)];
// The first element in the form page that matches: nothing outside the form stands in for it.
export const find = (selector) => page.querySelector(selector);
// Escaped: an id made from a file's key ("a']") is looked up, never read as a selector.
export const byId = (id) => find(`#${CSS.escape(id)}`);
export const make = (tag, properties = {}) =>
  Object.assign(document.createElement(tag), properties);

const two = (n) => String(n).padStart(2, "0");
export const localToday = (d = new Date()) =>
  `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;

/* Every problem with a submission, one per answer, in the form's order, worded as
   generator/rules/submission.py words them (problems.mjs). */
export const validate = (data, today = localToday()) => problems(formRules, data, today);

const PARTS = ["day", "month", "year"];
const choices = (name) => all(`input[name='${name}']`, form);
const pad = (s) => (/^[0-9]$/.test(s) ? `0${s}` : s);

export function read(key, rule) {
  if (rule.type === "radios" || rule.type === "checkboxes") {
    const on = choices(key)
      .filter((e) => e.checked)
      .map((e) => e.value);
    return !on.length ? undefined : rule.type === "radios" ? on[0] : on;
  }
  if (rule.type === "date") {
    const [d, m, y] = PARTS.map((part) => byId(`f-${key}-${part}`).value.trim());
    return d + m + y ? `${y}-${pad(m)}-${pad(d)}` : undefined;
  }
  if (rule.type === "group") {
    const items = readItems(key).filter((item) => Object.keys(item).length);
    return items.length ? items : undefined;
  }
  return byId(`f-${key}`).value.trim() || undefined;
}

const itemsBox = (id) => find(`[data-tr-items='${id}']`);
const addButton = (id) => find(`[data-tr-add='${id}']`);

function readItems(id) {
  const rule = formRules.fields[id];
  return all(`[data-tr-items='${id}'] > [data-tr-item]`).map((_el, i) => {
    const item = {};
    rule.order.forEach((sub) => {
      const v = read(`${id}-${i}-${sub}`, rule.fields[sub]);
      if (v !== undefined) item[sub] = v;
    });
    return item;
  });
}

export function write(key, rule, v) {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  if (rule.type === "radios" || rule.type === "checkboxes") {
    const values = isList(v) ? v : [v];
    choices(key).forEach((e) => {
      e.checked = values.includes(e.value);
    });
  } else if (rule.type === "date") {
    // Not a date? Keep it whole in the year box, so the answer is not lost.
    const [, y, m, d] = /^([^-]*)-([^-]*)-([^-]*)$/.exec(text) || [text, text, "", ""];
    [d, m, y].forEach((value, i) => {
      byId(`f-${key}-${PARTS[i]}`).value = value;
    });
  } else if (rule.type === "group") {
    buildItems(key, isList(v) ? v.map((x) => (isObject(x) ? x : {})) : []);
  } else {
    byId(`f-${key}`).value = text;
  }
}

/* Draw a group's items afresh from its <template>, numbered in order. */
function buildItems(id, items) {
  const rule = formRules.fields[id],
    box = itemsBox(id);
  const template = find(`[data-tr-template='${id}']`).innerHTML;
  const shown = items.length ? items : [{}];
  box.innerHTML = shown
    .map((_, index) => template.replace(/__i__/g, index).replace(/__n__/g, index + 1))
    .join("");
  shown.forEach((item, index) => {
    for (const sub of rule.order) {
      if (has(item, sub)) write(`${id}-${index}-${sub}`, rule.fields[sub], item[sub]);
    }
  });
  for (const removeButton of all("[data-tr-remove]", box)) removeButton.hidden = shown.length < 2;
  addButton(id).hidden = shown.length >= (rule.max_items || Infinity);
}
const groups = () => formRules.order.filter((id) => formRules.fields[id].type === "group");
export const compactGroups = () =>
  groups().forEach((id) => {
    buildItems(
      id,
      readItems(id).filter((item) => Object.keys(item).length),
    );
  });

/* Show the questions that apply; return the answers to them (answers to the others are dropped). */
export function update() {
  const data = {};
  formRules.order.forEach((id) => {
    const rule = formRules.fields[id],
      c = rule.show_if;
    if (rule.type === "meta") return;
    const shown =
      !c || (has(data, c.field) && [].concat(data[c.field]).some((x) => c.values.includes(x)));
    if (c) byId(`q-${id}`).hidden = !shown;
    const answer = shown ? read(id, rule) : undefined;
    if (answer !== undefined) data[id] = answer;
  });
  showCriteria(data);
  return data;
}
export const collect = (state) => ({ form: formRules.form, status: state, ...update() });
// The answers as the page judges them: the file's, until the first change, else the boxes'.
export const answersNow = () => fromFile || collect("draft");

/* The criteria summary: met, not met or not yet known, as `validate` would list them. */
function showCriteria(boxes) {
  const data = fromFile || boxes,
    taken = {};
  run(formRules, { ...data, status: "draft" }, localToday()).forEach(([, at]) => {
    if (at.length === 1) taken[at[0]] = true;
  });
  // Worded as generator/render/referral_print.py words a status; shown on screen and on paper.
  criteria(formRules, data, taken).forEach((c) => {
    const should = c.met === false && c.strength === "should";
    const status = c.met
      ? "met"
      : should
        ? "not_met_should"
        : c.met === false
          ? "not_met"
          : "unknown";
    // A should not met shows the reason recorded for it; else the answers that decided it.
    const reasons = c.recorded || c.reasons.join("; ");
    for (const cell of all(`[data-tr-criterion='${c.id}']`)) {
      cell.textContent = messages.status[status] + (reasons ? `: ${reasons}` : "");
      cell.closest(".tr-summary-list__row, .summary-row")?.classList.toggle("tr-warning", should);
    }
  });
}

/* ---- Errors: the GOV.UK error summary, and the message by each question ---- */

const describedBy = (e) => (e.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
const describe = (e, ids) =>
  ids.length
    ? e.setAttribute("aria-describedby", ids.join(" "))
    : e.removeAttribute("aria-describedby");

export function clearErrors() {
  for (const wrapper of all(".tr-field--error")) wrapper.classList.remove("tr-field--error");
  all(".tr-error-message").forEach((e) => {
    e.hidden = true;
    e.textContent = "";
  });
  for (const control of all("[aria-invalid]")) control.removeAttribute("aria-invalid");
  all("[data-tr-describe]").forEach((e) => {
    describe(
      e,
      describedBy(e).filter((id) => !id.endsWith("-error")),
    );
  });
  summary.hidden = true;
  document.title = title;
}

/* The page's name for the question at a problem's path (other_agencies-0-agency), or "" for a
   path that is no question: from the path, never from its dotted key, which a file's own key can
   spell ("other_agencies.0.agency"). */
function keyAt([top, index, sub, ...rest]) {
  const rule = has(formRules.fields, top) ? formRules.fields[top] : null;
  if (!rule || rule.type === "meta" || rest.length) return "";
  if (index === undefined) return top;
  if (rule.type !== "group" || typeof index !== "number") return "";
  if (sub === undefined) return `${top}-${index}`;
  return rule.order.includes(sub) ? `${top}-${index}-${sub}` : "";
}

/* Mark a question as wrong; return the control the summary links to (none if it is not shown). */
function markField(p) {
  const key = keyAt(p.at),
    wrapper = key && byId(`q-${key}`);
  if (!wrapper || wrapper.closest("[hidden]")) return null;
  const error = byId(`f-${key}-error`);
  const controls = ["", "-day", "-month", "-year"].map((s) => byId(`f-${key}${s}`)).filter(Boolean);
  if (error) {
    const prefix = make("span", {
      className: "tr-visually-hidden",
      textContent: `${messages.error_prefix} `,
    });
    error.replaceChildren(prefix, p.message);
    error.hidden = false;
    wrapper.classList.add("tr-field--error");
    const described = wrapper.querySelector("[data-tr-describe]");
    describe(described, [...describedBy(described), error.id]);
    for (const control of controls) control.setAttribute("aria-invalid", "true");
  }
  return controls[0] || wrapper.querySelector("input, textarea");
}

/* List the problems; from a file, each reads "Section > Label: message", as the command prints it. */
export function showProblems(problems, intro = "") {
  clearErrors();
  const list = summary.querySelector("[data-tr-summary-list]"),
    lead = summary.querySelector("[data-tr-summary-intro]");
  lead.textContent = intro;
  lead.hidden = !intro;
  list.replaceChildren(
    ...problems.map((p) => {
      const li = make("li"),
        target = markField(p),
        words = intro ? p.text : p.message;
      if (!target) li.textContent = words;
      else li.appendChild(make("a", { href: `#${target.id}`, textContent: words }));
      return li;
    }),
  );
  summary.hidden = false;
  document.title = messages.title_prefix + title;
  summary.focus({ preventScroll: true });
  reveal(summary);
}
/* Put a message in a status region: by the buttons (`status`) or by the file opener (`opened`). */
export const say = (words, file = "", region = status) => {
  [status, opened].forEach((r) => {
    r.textContent = "";
  });
  region.textContent = words.replace("{file}", () => file);
  // Seen where the button that caused it is, even when that button sat at the window's edge.
  if (words) region.scrollIntoView({ block: "nearest", behavior: "instant" });
};
/* Scroll an element to the top of the window, below Material's sticky header and its "Back to top"
   button (their heights are in the element's scroll-margin-top, referral-form.css). */
export const reveal = (e) => e.scrollIntoView({ block: "start", behavior: "instant" });

export function reset() {
  fromFile = null;
  form.reset();
  for (const id of groups()) buildItems(id, []);
  update();
}

/* Find the form and bring its questions to life; false if this script is not just after the form.
   The form is the element just before this script: found that way, and every element looked up
   inside it, text elsewhere on the page cannot stand in for it (DOM clobbering). */
export function startPage() {
  page = document.currentScript?.previousElementSibling;
  if (!page?.hasAttribute("data-tr-form-page")) return false;
  formRules = JSON.parse(page.dataset.trRules);
  messages = JSON.parse(page.dataset.trText);
  // For the tests: the problems as `validate` lists them (their paths are the page's own).
  window.TRForm = {
    validate: (data, today) => validate(data, today).map(({ at, ...shown }) => shown),
    criteria: (data) => criteria(formRules, data),
  };
  form = find("[data-tr-form]");
  summary = find("[data-tr-summary]");
  status = find("[data-tr-status]");
  opened = find("[data-tr-opened]");
  title = document.title;

  const edited = () => {
    unsaved = true;
    fromFile = null;
    update();
  };
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-tr-print")) window.print();
    const add = button.dataset.trAdd,
      remove = button.dataset.trRemove;
    const id = add || (remove && button.closest("[data-tr-items]").dataset.trItems);
    if (!id) return;
    const items = readItems(id);
    if (add) items.push({});
    else items.splice(Number(remove), 1);
    buildItems(id, items);
    // Focus the new item's first question; after a removal, the Add button.
    (add ? itemsBox(id).lastElementChild.querySelector("input, textarea") : addButton(id)).focus();
    edited();
  });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  page.classList.add("tr-form--js");
  all("[data-tr-js]").forEach((e) => {
    e.hidden = false;
  });
  for (const id of groups()) buildItems(id, readItems(id));
  update();
  return true;
}
