/* The printout: before printing, each question and its whole answer as text, as in the
   filled-referral PDF, in place of the form's boxes. Apart from the page because it only reads
   the answers; referral-form.css shows it, in place of the form, on paper only. */
import { all, byId, find, form, formRules, make, messages, page, read, update } from "./page.mjs";

const labelOf = (id) => find(`label[for="${CSS.escape(id)}"]`).textContent.trim();
const questionOf = (wrapper) => wrapper.querySelector(".tr-label, .tr-legend").textContent.trim();
const missing = (words) => [
  make("span", { className: "tr-printout__missing", textContent: words }),
];
const printDate = (v) => {
  const [y, m, d] = v.split("-").map(Number),
    day = new Date(Date.UTC(y, m - 1, d));
  const real =
    /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v) && day.getUTCDate() === d && day.getUTCMonth() === m - 1;
  const style = { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
  return real ? day.toLocaleDateString(document.documentElement.lang || "en-GB", style) : v;
};

const fill = (words, values) => words.replace(/\{([a-z]+)\}/g, (m, k) => values[k] ?? m);
const realDay = (v) => {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(typeof v === "string" ? v : "");
  const [y, mo, d] = m ? m.slice(1).map(Number) : [],
    day = new Date(Date.UTC(y, mo - 1, d));
  return m && day.getUTCDate() === d && day.getUTCMonth() === mo - 1 ? [y, mo, d] : null;
};
const yearsOld = (born, on) => {
  const [b, o] = [realDay(born), realDay(on)];
  return b && o ? o[0] - b[0] - (o[1] < b[1] || (o[1] === b[1] && o[2] < b[2]) ? 1 : 0) : null;
};

/* The summary that opens the printout (templates/pdf/_summary.html): each row's answer in words,
   as generator/render/referral_print.py words it for the PDF; a flag only when answered. */
function fillSummary(data) {
  const words = messages.summary;
  all("[data-tr-summary-row]").forEach((cell) => {
    const id = cell.dataset.trSummaryRow,
      rule = formRules.fields[id],
      v = data[id],
      on = cell.dataset.trAgeOn;
    let text =
      v === undefined
        ? messages.not_answered
        : rule.type === "checkboxes"
          ? v.map((c) => labelOf(`f-${id}-${c}`)).join(words.separator)
          : rule.type === "radios"
            ? labelOf(`f-${id}-${v}`)
            : rule.type === "date"
              ? printDate(v)
              : v;
    const age = on && v !== undefined ? yearsOld(v, data[on]) : null;
    if (age !== null) text = fill(words.aged, { date: text, age, on: printDate(data[on]) });
    cell.textContent = text;
  });
  all("[data-tr-summary-flag]").forEach((flag) => {
    flag.hidden = data[flag.dataset.trSummaryFlag] === undefined;
  });
}

/* The answer to one question as nodes; `rule` is its entry in the rules table. */
export function printedAnswer(key, rule, wrapper) {
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
    for (const chosen of v) list.append(make("li", { textContent: labelOf(`f-${key}-${chosen}`) }));
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
  const box = find("[data-tr-printout]");
  const data = update(),
    filled = Object.keys(data).length > 0;
  page.classList.toggle("tr-form--printout", filled);
  if (filled) fillSummary(data);
  box.replaceChildren(
    ...(!filled
      ? []
      : all(".tr-section:not(.tr-criteria)", form).map((section, index) => {
          const part = make("section", { className: "tr-printout__section" }),
            list = make("dl");
          all(":scope > .tr-field", section).forEach((wrapper) => {
            const id = wrapper.id.slice(2);
            list.append(printedRow(wrapper, printedAnswer(id, formRules.fields[id], wrapper)));
          });
          part.append(
            make("h2", {
              textContent: fill(messages.summary.section, {
                number: index + 1,
                title: section.querySelector(".tr-section__title").textContent,
              }),
            }),
            list,
          );
          return part;
        })),
  );
}

/* Build the printout whenever the page is printed: Chromium fires beforeprint for Ctrl+P,
   window.print() and its own PDF output alike. */
export function startPrint() {
  window.addEventListener("beforeprint", buildPrintout);
}
