/* The referral form page's script. Its rules and messages come from the page (data-tr-rules,
   data-tr-text); answers stay in this page: nothing is sent or stored. It is written as modules
   by job: rules.mjs (the rule table's interpreter) and problems.mjs (a file read and its
   problems worded), which Node loads alone for the tests; page.mjs (the questions and the
   summaries), journey.mjs (the task list, one section at a time, check answers), print.mjs (the
   printout) and drafts.mjs (files).
   The site gets them as one classic script, assets/tr/referral-form.js:
   generator/render/bundle.py puts this module and every module it imports into one function,
   then it is minified. So the CSP still allows one script file, and the bytes stay as they were. */
import { startDrafts } from "./drafts.mjs";
import { startJourney } from "./journey.mjs";
import { startPage } from "./page.mjs";
import { startPrint } from "./print.mjs";

if (startPage()) {
  startPrint();
  startJourney();
  startDrafts();
}
