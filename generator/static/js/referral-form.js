/* The referral form page. Its rules and messages come from the page (data-tr-rules): the rule table
   generator/rules/compile.py compiles, run by the loop below exactly as generator/rules/interpret.py runs it, so
   answers get the same problems in the same words as `python -m generator validate`. Answers stay
   in this page: nothing is sent or stored. Node loads this file too, for the tests: without a
   document it only exports the loop (tests/test_rules_in_node.py). */
(() => {
  "use strict";
  const has = (value, key) =>
    value !== null && typeof value === "object" && Object.hasOwn(value, key);
  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

  /* ---- The rule table's interpreter: rows in order, the first problem an answer has wins ---- */

  const rules = (() => {
    const compiled = {};
    const test = (pattern, text) => {
      compiled[pattern] ??= new RegExp(pattern, "u");
      return compiled[pattern].test(text);
    };
    const scalar = (value) => value === null || typeof value !== "object";
    const kindOf = (v) =>
      typeof v === "string"
        ? "string"
        : Array.isArray(v)
          ? "array"
          : isObject(v)
            ? "object"
            : "other";
    function realDate(text) {
      if (typeof text !== "string" || !test("^[0-9]{4}-[0-9]{2}-[0-9]{2}(?![\\s\\S])", text))
        return null;
      const [year, month, day] = [text.slice(0, 4), text.slice(5, 7), text.slice(8, 10)].map(
        Number,
      );
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
          ? Array.isArray(answer) && answer.some((item) => condition.in.includes(item))
          : scalar(answer) && condition.in.includes(answer);
      if (has(condition, "age_at_most")) {
        const birth = realDate(answer),
          on = realDate(scope[condition.on_field]);
        return !!(birth && on) && ageOn(birth, on) <= condition.age_at_most;
      }
      return true;
    }
    const all = (conditions, scope) =>
      (conditions || []).every((condition) => holds(condition, scope));
    // [path, the object holding the answer, its key] for each answer a row's field names.
    function instances(field, data) {
      if (field === "") return [[[], { "": data }, ""]];
      const [top, rest] = field.split(".*");
      if (rest === undefined) return [[[top], data, top]];
      const items = has(data, top) && Array.isArray(data[top]) ? data[top] : [];
      return items.flatMap((item, index) =>
        !rest
          ? [[[top, index], items, index]]
          : isObject(item)
            ? [[[top, index, rest.slice(1)], item, rest.slice(1)]]
            : [],
      );
    }
    // A check only text can break: any other answer is the `type` row's to report.
    const text = (check) => (answer, want, at) =>
      typeof answer === "string" && check(answer, want, at);
    const isList = Array.isArray;
    /* The rule kinds, one entry per `check` the compiler writes, as CHECKS in
       generator/rules/interpret.py: (the answer, the row's value, where it is) -> whether it breaks
       the row, or (`known`) the keys inside it that do. Only answers given are checked: one left
       out breaks `required` and no other row. `criterion` is weighed by `criteria`, after them. */
    const CHECKS = {
      required: () => false,
      absent: (_answer, want, at) => !all(want, at.scope),
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
      future: text((answer, _want, at) => answer > at.today),
      not_after: text(
        (answer, want, at) =>
          !!realDate(at.scope[want]) &&
          !([...at.path.slice(0, -1), want].join(".") in at.taken) &&
          answer > at.scope[want],
      ),
    };
    function fails(row, path, scope, key, today, taken) {
      if (!isList(scope) && !has(scope, key)) return row.check === "required" ? [path] : [];
      const bad = CHECKS[row.check]?.(scope[key], row.value, { path, scope, today, taken });
      return isList(bad) ? bad.map((name) => [...path, name]) : bad ? [path] : [];
    }
    /* Each criterion: met true, false (an answer says not), or null (an answer it needs is missing
       or has a problem of its own), with the answers that decided it. */
    function criteria(table, data, taken = {}) {
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
    function run(table, data, today) {
      const taken = Object.create(null);
      table.rules.forEach((row) => {
        if (row.check === "criterion" || !all(row.when, data)) return;
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
        if (criterion.met === false && all(rows[index].when, data))
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
        const name = at.map((part) => (typeof part === "number" ? "*" : part)).join(".");
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
    return { run, criteria, CHECKS };
  })();
  if (typeof document === "undefined") {
    module.exports = rules;
    return;
  }

  // The form is the element just before this script: found that way, and every element looked up
  // inside it, text elsewhere on the page cannot stand in for it (DOM clobbering).
  const page = document.currentScript?.previousElementSibling;
  if (!page?.hasAttribute("data-tr-form-page")) return;
  const formRules = JSON.parse(page.dataset.trRules);
  const messages = JSON.parse(page.dataset.trText);
  const all = (selector, root = page) => [...root.querySelectorAll(selector)];
  const byId = (id) => page.querySelector(`[id='${id}']`);
  const make = (tag, properties = {}) => Object.assign(document.createElement(tag), properties);
  // As generator/rules/submission.py: no half of a UTF-16 pair ("\ud800"), nothing nested too deep.
  const wellFormed = (v, depth = 0) =>
    depth <= formRules.max_depth &&
    (typeof v === "string"
      ? !/[\ud800-\udfff]/u.test(v)
      : Array.isArray(v)
        ? v.every((x) => wellFormed(x, depth + 1))
        : !isObject(v) ||
          Object.entries(v).every(
            ([k, x]) => wellFormed(k, depth + 1) && wellFormed(x, depth + 1),
          ));

  /* ---- Problems, worded as generator/rules/submission.py words them ---- */

  function problem(field, section, label, message, item = "") {
    const where = [section, item, label].filter(Boolean).join(" > ");
    return { field, section, item, label, message, text: where ? `${where}: ${message}` : message };
  }
  const place = (name) => (has(formRules.places, name) ? formRules.places[name] : null);
  const two = (n) => String(n).padStart(2, "0");
  const localToday = (d = new Date()) =>
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;

  /* Every problem with a submission, one per answer, in the form's order. */
  function validate(data, today = localToday()) {
    if (!isObject(data)) return [problem("", "", "", formRules.file_messages.not_object)];
    return rules.run(formRules, data, today).map(([key, at, check, message]) => {
      if (check === "criterion") return problem(key, place(key).section, place(key).label, message);
      const here = place(at.map((p) => (typeof p === "number" ? "*" : p)).join("."));
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

  window.TRForm = { validate, criteria: (data) => rules.criteria(formRules, data) };

  /* ---- The page: read and write answers ---- */

  const form = page.querySelector("[data-tr-form]");
  const summary = page.querySelector("[data-tr-summary]");
  const status = page.querySelector("[data-tr-status]");
  const opened = page.querySelector("[data-tr-opened]");
  const opener = page.querySelector("[data-tr-open]");
  const asking = page.querySelector("[data-tr-confirm]");
  const title = document.title;
  const PARTS = ["day", "month", "year"];
  const choices = (name) => all(`input[name='${name}']`, form);
  const pad = (s) => (/^[0-9]$/.test(s) ? `0${s}` : s);
  let unsaved = false;

  function read(key, rule) {
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

  const itemsBox = (id) => page.querySelector(`[data-tr-items='${id}']`);
  const addButton = (id) => page.querySelector(`[data-tr-add='${id}']`);

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

  function write(key, rule, v) {
    const text = typeof v === "string" ? v : JSON.stringify(v);
    if (rule.type === "radios" || rule.type === "checkboxes") {
      const values = Array.isArray(v) ? v : [v];
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
      buildItems(key, Array.isArray(v) ? v.map((x) => (isObject(x) ? x : {})) : []);
    } else {
      byId(`f-${key}`).value = text;
    }
  }

  /* Draw a group's items afresh from its <template>, numbered in order. */
  function buildItems(id, items) {
    const rule = formRules.fields[id],
      box = itemsBox(id);
    const template = page.querySelector(`[data-tr-template='${id}']`).innerHTML;
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
  const compactGroups = () =>
    groups().forEach((id) => {
      buildItems(
        id,
        readItems(id).filter((item) => Object.keys(item).length),
      );
    });

  /* Show the questions that apply; return the answers to them (answers to the others are dropped). */
  function update() {
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
  const collect = (state) => ({ form: formRules.form, status: state, ...update() });

  /* The criteria summary: met, not met or not yet known, as `validate` would list them. */
  function showCriteria(data) {
    const taken = {};
    rules.run(formRules, { ...data, status: "draft" }, localToday()).forEach(([key]) => {
      taken[key] = true;
    });
    rules.criteria(formRules, data, taken).forEach((c) => {
      const cell = page.querySelector(`[data-tr-criterion='${c.id}']`);
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

  function clearErrors() {
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
    const controls = ["", "-day", "-month", "-year"]
      .map((s) => byId(`f-${key}${s}`))
      .filter(Boolean);
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
  function showProblems(problems, intro = "") {
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
  const say = (words, file = "", region = status) => {
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

  /* ---- Files: save and open; print; clear ---- */

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
    unsaved = false;
    say(
      `${draft ? messages.saved_draft : messages.saved_complete} ${messages.saved_notice}`.trim(),
      name,
    );
  }

  function reset() {
    form.reset();
    for (const id of groups()) buildItems(id, []);
    update();
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
    unsaved = false; // the page now holds what the file holds; the next change arms the warning again
    const problems = validate(data);
    say(problems.length ? "" : messages.opened, name, opened);
    if (problems.length) showProblems(problems, messages.opened_problems.replace("{file}", name));
    else {
      clearErrors();
      opener.focus();
    }
  }

  /* The question before a file replaces answers: GOV.UK warning text and two buttons. */
  let pending = null;
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

  /* ---- The printout: each question and its whole answer as text, as in the filled-referral PDF ---- */

  const labelOf = (id) => page.querySelector(`label[for='${id}']`).textContent.trim();
  const questionOf = (wrapper) => wrapper.querySelector(".tr-label, .tr-legend").textContent.trim();
  const missing = (words) => [
    make("span", { className: "tr-printout__missing", textContent: words }),
  ];
  const printDate = (v) => {
    const [y, m, d] = v.split("-").map(Number),
      day = new Date(Date.UTC(y, m - 1, d));
    const real =
      /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v) &&
      day.getUTCDate() === d &&
      day.getUTCMonth() === m - 1;
    const style = { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
    return real ? day.toLocaleDateString(document.documentElement.lang || "en-GB", style) : v;
  };

  /* The answer to one question as nodes; `rule` is its entry in the rules table. */
  function printedAnswer(key, rule, wrapper) {
    if (wrapper.hidden) return missing(messages.not_applicable);
    if (rule.type === "group") {
      const items = all(`[data-tr-items='${key}'] > [data-tr-item]`)
        .map((item, i) => [item, i])
        .filter(([, i]) =>
          rule.order.some((sub) => read(`${key}-${i}-${sub}`, rule.fields[sub]) !== undefined),
        );
      if (!items.length) return missing(messages.not_answered);
      return items.map(([item, i], n) => {
        const box = make("div", { className: "tr-printout__item" }),
          list = make("dl");
        const name = item
          .querySelector(".tr-item__title")
          .textContent.trim()
          .replace(/[0-9]+$/, n + 1);
        rule.order.forEach((sub) => {
          const at = `${key}-${i}-${sub}`;
          list.append(
            printedRow(byId(`q-${at}`), printedAnswer(at, rule.fields[sub], byId(`q-${at}`))),
          );
        });
        box.append(make("p", { className: "tr-printout__item-name", textContent: name }), list);
        return box;
      });
    }
    const v = read(key, rule);
    if (v === undefined) return missing(messages.not_answered);
    if (rule.type === "checkboxes") {
      const list = make("ul");
      for (const chosen of v)
        list.append(make("li", { textContent: labelOf(`f-${key}-${chosen}`) }));
      return [list];
    }
    const words =
      rule.type === "radios" ? labelOf(`f-${key}-${v}`) : rule.type === "date" ? printDate(v) : v;
    return [make("span", { className: "tr-printout__text", textContent: words })];
  }
  function printedRow(wrapper, answerNodes) {
    const row = make("div", { className: "tr-printout__row" }),
      dd = make("dd");
    dd.append(...answerNodes);
    row.append(make("dt", { textContent: questionOf(wrapper) }), dd);
    return row;
  }

  /* Before printing: a form with answers prints as questions and answers; an empty one as it is, boxes
     to fill in by hand. */
  function buildPrintout() {
    const box = page.querySelector("[data-tr-printout]");
    const filled = Object.keys(update()).length > 0;
    page.classList.toggle("tr-form--printout", filled);
    box.replaceChildren(
      ...(!filled
        ? []
        : all(".tr-section", form).map((section) => {
            const part = make("section", { className: "tr-printout__section" }),
              list = make("dl");
            all(":scope > .tr-field", section).forEach((wrapper) => {
              const id = wrapper.id.slice(2);
              list.append(printedRow(wrapper, printedAnswer(id, formRules.fields[id], wrapper)));
            });
            part.append(
              make("h2", { textContent: section.querySelector(".tr-section__title").textContent }),
              list,
            );
            return part;
          })),
    );
  }

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
    if (button.hasAttribute("data-tr-save")) save();
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
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Chromium fires beforeprint for Ctrl+P, window.print() and its own PDF output alike.
  window.addEventListener("beforeprint", buildPrintout);

  page.classList.add("tr-form--js");
  all("[data-tr-js]").forEach((e) => {
    e.hidden = false;
  });
  form.querySelector("[data-tr-check]").disabled = false;
  for (const id of groups()) buildItems(id, readItems(id));
  update();
})();
