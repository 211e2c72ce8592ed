/* The referral form page: its questions (read, write, shown when they apply, group items added
   and removed), the criteria summary, the GOV.UK error summary and the messages by each question.
   It is the part that knows the page's HTML (generator/templates/form/), apart from the rules it
   runs (rules.mjs), from saving and opening files (drafts.mjs) and from the printout (print.mjs). */
import { criteria, has, isList, isObject, pattern, run } from "./rules.mjs";

// Found by startPage: the form page, its rule table and interface words, and the elements in it.
export let page, formRules, messages, form, opened;
let summary, status, title;
// Answers changed since the page was opened, last saved or cleared: leaving asks first.
let unsaved = false;
export const markSaved = () => {
  unsaved = false;
};

export const all = (selector, root = page) => [...root.querySelectorAll(selector)];
// The first element in the form page that matches: nothing outside the form stands in for it.
export const find = (selector) => page.querySelector(selector);
export const byId = (id) => find(`[id='${id}']`);
export const make = (tag, properties = {}) =>
  Object.assign(document.createElement(tag), properties);

/* ---- Problems, worded as generator/rules/submission.py words them ---- */

export function problem(field, section, label, message, item = "") {
  const where = [section, item, label].filter(Boolean).join(" > ");
  return { field, section, item, label, message, text: where ? `${where}: ${message}` : message };
}
const place = (name) => (has(formRules.places, name) ? formRules.places[name] : null);
const two = (n) => String(n).padStart(2, "0");
export const localToday = (d = new Date()) =>
  `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;

/* Every problem with a submission, one per answer, in the form's order. */
export function validate(data, today = localToday()) {
  if (!isObject(data)) return [problem("", "", "", formRules.file_messages.not_object)];
  return run(formRules, data, today).map(([key, at, check, message]) => {
    if (check === "criterion") return problem(key, place(key).section, place(key).label, message);
    const here = place(pattern(at));
    const top = typeof at[0] === "string" ? place(at[0]) : null;
    const item = top && at.length > 1 ? `${top.item} ${at[1] + 1}` : "";
    if (!here)
      return problem(
        key,
        top && at.length > 1 ? top.section : "",
        String(at[at.length - 1]),
        message,
        item,
      );
    return problem(key, here.section, here.label, message, item);
  });
}

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

/* The criteria summary: met, not met or not yet known, as `validate` would list them. */
function showCriteria(data) {
  const taken = {};
  run(formRules, { ...data, status: "draft" }, localToday()).forEach(([key]) => {
    taken[key] = true;
  });
  criteria(formRules, data, taken).forEach((c) => {
    const cell = find(`[data-tr-criterion='${c.id}']`);
    const words = c.met
      ? messages.criterion_met
      : c.met === false
        ? messages.criterion_not_met
        : messages.criterion_unknown;
    if (cell) cell.textContent = words + (c.reasons.length ? `: ${c.reasons.join("; ")}` : "");
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

/* Mark a question as wrong; return the control the summary links to (none if it is not shown). */
function markField(p) {
  const key = p.field.split(".").join("-"),
    wrapper = p.field && byId(`q-${key}`);
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
  region.textContent = words.replace("{file}", file);
  // Seen where the button that caused it is, even when that button sat at the window's edge.
  if (words) region.scrollIntoView({ block: "nearest", behavior: "instant" });
};
/* Scroll an element to the top of the window, below Material's sticky header and its "Back to top"
   button (their heights are in the element's scroll-margin-top, referral-form.css). */
const reveal = (e) => e.scrollIntoView({ block: "start", behavior: "instant" });

export function reset() {
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
  window.TRForm = { validate, criteria: (data) => criteria(formRules, data) };
  form = find("[data-tr-form]");
  summary = find("[data-tr-summary]");
  status = find("[data-tr-status]");
  opened = find("[data-tr-opened]");
  title = document.title;

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    compactGroups();
    const problems = validate(collect("complete"));
    say(problems.length ? "" : messages.checked_ok);
    if (problems.length) showProblems(problems);
    else clearErrors();
  });
  const edited = () => {
    unsaved = true;
    update();
  };
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-tr-print")) window.print();
    if (button.hasAttribute("data-tr-clear") && window.confirm(messages.confirm_clear)) {
      reset();
      clearErrors();
      unsaved = false;
      say(messages.cleared);
    }
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
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a"),
      target = link && byId(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    target.focus({ preventScroll: true });
    reveal(target.closest(".tr-field"));
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
  form.querySelector("[data-tr-check]").disabled = false;
  for (const id of groups()) buildItems(id, readItems(id));
  update();
  return true;
}
