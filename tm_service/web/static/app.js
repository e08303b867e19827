/* The translation-memory page: four views over the JSON API under ./api/v1. No framework, no build step.
 * Every text from the server is inserted as text (textContent, text nodes), never as HTML. */
"use strict";

const API = "api/v1";
/** Typing pauses this long before a lookup: one request per pause, not one per key. */
const DEBOUNCE_MS = 250;
const SUGGEST_LIMIT = 5;
const METRICS = ["bleu", "chrf", "ter"];
const BAND_CLASSES = {
  "101": "band-101", "100": "band-100", "95-99": "band-95", "85-94": "band-85", "75-84": "band-75", "50-74": "band-50",
};
const FLAG_LABELS = {
  empty_draft: "Empty draft",
  untranslated: "Untranslated",
  number_mismatch: "Numbers differ",
  length_ratio: "Unusual length",
  differs_from_exact_match: "Differs from the exact match",
  inconsistent_translation: "Inconsistent translation",
  unpaired: "No counterpart",
};
/** Pairs under this confidence (the aligner's own DEFAULT_MIN_SCORE) start unticked, marked for a check. */
const DOUBTFUL_SCORE = 0.5;

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** Build an element: `text` sets its text, `on*` adds listeners, other attributes are set as given. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** Words for screen readers only, such as what a coloured mark means. */
const spoken = (text) => el("span", {class: "visually-hidden"}, text);
const plural = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

function announce(message) {
  const announcer = $("#announcer");
  announcer.textContent = "";
  // A fresh text node makes screen readers repeat a message that is the same as the last one.
  requestAnimationFrame(() => { announcer.textContent = message; });
}

// -- the API ------------------------------------------------------------------------------------

/** An error answer, or no answer, in words a translator can act on. */
class Problem extends Error {
  constructor(title, detail = "", errors = []) {
    super(detail || title);
    this.title = title;
    this.detail = detail;
    this.errors = errors;
  }
}

/** Call the API; resolve to its JSON, or reject with a Problem (or an AbortError when cancelled). */
async function api(path, {method = "GET", params = {}, body, key, signal} = {}) {
  const url = new URL(`${API}/${path}`, document.baseURI);
  for (const [name, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) url.searchParams.set(name, value);
  }
  const headers = {Accept: "application/json, application/problem+json"};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers.Authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch(url, {method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new Problem("The service could not be reached", "Check the connection, then try again.");
  }
  const isJson = /json/.test(response.headers.get("Content-Type") || "");
  const data = isJson ? await response.json().catch(() => null) : null;
  if (response.ok && data !== null) return data;
  throw problemOf(response, data);
}

function problemOf(response, data) {
  if (data && typeof data === "object" && (data.title || data.detail)) {
    return new Problem(String(data.title || response.statusText), String(data.detail || ""),
      Array.isArray(data.errors) ? data.errors : []);
  }
  const status = `${response.status} ${response.statusText}`.trim();
  return new Problem(`The service answered ${status}`, "Its answer was not one this page understands; try again later.");
}

/** The form control a validation error names: `segments[2].draft` is the draft field,
 * and `source_lang` may live in a `direction` select. */
function fieldFor(form, name) {
  if (!form || !name) return null;
  const parts = String(name).replace(/\[\d+\]/g, "").split(".");
  for (const part of [parts[parts.length - 1], parts[0]]) {
    const named = form.elements.namedItem(part);
    if (named instanceof Element) return named;
    const mapped = $$("[data-param]", form).find((field) => field.dataset.param.split(" ").includes(part));
    if (mapped) return mapped;
  }
  return null;
}

/** How a fault is introduced: the field's label, and which item of a list (`segments[2]` is the 3rd). */
function faultPlace(field, name) {
  const label = field && field.labels && field.labels[0];
  const item = /\[(\d+)\]/.exec(name);
  const where = label ? label.textContent.trim() : name;
  return item && label ? `${where} (item ${Number(item[1]) + 1})` : where;
}

function clearProblem(box, form) {
  box.hidden = true;
  box.replaceChildren();
  if (!form) return;
  for (const field of $$("[aria-invalid]", form)) {
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-errormessage");
  }
}

/** Show a Problem in `box`; with a validation list, say which field is wrong by its label. */
function showProblem(box, problem, form) {
  clearProblem(box, form);
  const faults = (problem.errors || []).filter((error) => error && error.detail);
  const lines = faults.map((error) => {
    const field = fieldFor(form, error.name);
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-errormessage", box.id);
    }
    const where = error.name ? faultPlace(field, String(error.name)) : null;
    return el("li", {}, where ? [el("strong", {}, where), `: ${error.detail}`] : String(error.detail));
  });
  box.append(el("p", {}, el("strong", {class: "problem-title"}, problem.title),
    problem.detail && !lines.length ? ` — ${problem.detail}` : null));
  if (lines.length) box.append(el("ul", {}, lines));
  box.hidden = false;
}

/** Run `work` with the region marked busy and the form's button disabled; show a Problem if it fails.
 * With a `signal`, a newer run cancels this one instead, so the button stays live (Enter must
 * still submit while a lookup is on its way), and a cancelled run leaves the region to the newer. */
async function busy(form, region, problemBox, work, signal = null) {
  const button = $("button[type=submit]", form);
  button.disabled = !signal;
  region.setAttribute("aria-busy", "true");
  try {
    clearProblem(problemBox, form);
    await work();
  } catch (error) {
    if (error.name === "AbortError") return;
    if (!(error instanceof Problem)) console.error(error);
    showProblem(problemBox, error instanceof Problem ? error : new Problem("The page failed", String(error)), form);
  } finally {
    if (!(signal && signal.aborted)) {
      button.disabled = false;
      region.setAttribute("aria-busy", "false");
    }
  }
}

// -- text with marks --------------------------------------------------------------------------

/**
 * Split `text` around `spans` ({start, end} in code points, as the API counts) and wrap each span
 * with `mark(spanText, span)`. An empty span (start === end) marks a place, such as missing words.
 */
function marked(text, spans, mark) {
  const characters = Array.from(text);
  const parts = [];
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start || a.end - b.end)) {
    if (span.start < at || span.end > characters.length) continue;
    parts.push(characters.slice(at, span.start).join(""), mark(characters.slice(span.start, span.end).join(""), span));
    at = span.end;
  }
  parts.push(characters.slice(at).join(""));
  return parts.filter((part) => part !== "");
}

/** One difference between the memory's source and the query, as a tracked change. */
function diffMark(text, span) {
  const removed = span.source_text && span.source_text !== text
    ? el("del", {}, spoken("memory has: "), span.source_text) : null;
  const added = text ? el("ins", {}, spoken(span.op === "extra" ? "only yours: " : "yours: "), text) : null;
  const why = {
    replace: "other words", extra: "not in the memory", missing: "only in the memory",
    case: "other capitals", placeable: "another number, date or name",
  }[span.op] || span.op;
  return el("span", {class: `diff diff-${span.op}`, title: why}, removed, added);
}

/** `translation` with each repaired placeable marked, so the translator checks what the page changed. */
function repairedText(translation, repairs) {
  const spans = [];
  let from = 0;
  for (const repair of repairs) {
    const index = translation.indexOf(repair.to, from);
    if (index < 0) continue;
    const start = Array.from(translation.slice(0, index)).length;
    spans.push({start, end: start + Array.from(repair.to).length, repair});
    from = index + repair.to.length;
  }
  return marked(translation, spans, (text, span) =>
    el("mark", {class: "repaired", title: `was “${span.repair.replaced}”`}, spoken("repaired: "), text));
}

// -- copying ----------------------------------------------------------------------------------

/** Copy with the Clipboard API, or with a selected text area where it is missing (plain http). */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const focused = document.activeElement;
    const area = el("textarea", {class: "offscreen", readonly: true, "aria-hidden": "true"});
    area.value = text;
    document.body.append(area);
    area.select();
    let copied = false;
    try { copied = document.execCommand("copy"); } catch { copied = false; }
    area.remove();
    if (focused instanceof HTMLElement) focused.focus();
    return copied;
  }
}

async function copyFrom(button) {
  const copied = await copyText(button.dataset.copy);
  const label = $(".copy-label", button);
  label.textContent = copied ? "Copied" : "Copy failed: select the text";
  announce(copied ? "Translation copied." : "The browser refused to copy; select the text and copy it.");
  setTimeout(() => { label.textContent = "Copy translation"; }, 2000);
}

// -- memories -----------------------------------------------------------------------------------

const memoryLabel = (memory) =>
  `${memory.name} (${memory.source_lang} → ${memory.target_lang}, ${plural(memory.units, "unit")})`;

/** Fill every memory selector, keeping what each had chosen. */
async function loadMemories() {
  try {
    const {memories} = await api("memories");
    for (const select of $$("select[data-memories]")) {
      const chosen = select.value;
      const options = memories.map((memory) => el("option", {value: memory.name}, memoryLabel(memory)));
      if (select.dataset.memories === "all") options.unshift(el("option", {value: ""}, "All memories"));
      select.replaceChildren(...options);
      if ([...select.options].some((option) => option.value === chosen)) select.value = chosen;
    }
  } catch (error) {
    showProblem($("#page-problem"), new Problem(`The memories could not be listed: ${error.title}`, error.detail));
  }
}

const languagesOf = (form) => new FormData(form).get("direction").split(" ");

// -- suggest ------------------------------------------------------------------------------------

function badge(match) {
  return el("span", {class: `badge ${BAND_CLASSES[match.band] || "band-low"}`, title: `similarity ${match.similarity}`},
    spoken("Similarity "), `${Math.floor(match.similarity)}%`,
    el("span", {class: "band"}, spoken(", band "), match.band));
}

function matchItem(match, query, position) {
  const translation = match.repaired_target ?? match.target;
  const repairs = match.repaired_target ? match.repairs : [];
  const where = [match.memory, match.document && match.document.title].filter(Boolean).join(" · ");
  return el("li", {class: "match"},
    el("div", {class: "match-head"}, badge(match), el("span", {class: "meta"}, where)),
    el("dl", {class: "match-texts"},
      el("dt", {}, "Changes from the memory's source to yours"),
      el("dd", {class: "query", lang: match.source_lang}, marked(query, match.diff, diffMark)),
      el("dt", {}, "Memory source"),
      el("dd", {lang: match.source_lang}, match.source),
      el("dt", {}, repairs.length ? "Translation, with placeables repaired" : "Translation"),
      el("dd", {class: "target", lang: match.target_lang}, repairedText(translation, repairs))),
    repairs.length ? el("p", {class: "repairs"}, "Repaired: ", repairs.map((repair, index) => [
      index ? "; " : "", `“${repair.replaced}” → `, el("mark", {class: "repaired"}, repair.to), ` (${repair.kind})`,
    ])) : null,
    el("button", {type: "button", class: "copy", "data-copy": translation, onclick: (event) => copyFrom(event.currentTarget)},
      el("span", {class: "copy-label"}, "Copy translation"), spoken(` of match ${position}`)));
}

function suggestResults(answer) {
  // The API's offsets index the query as every score sees it: NFC, without surrounding spaces.
  const query = answer.query.normalize("NFC").trim();
  if (!answer.matches.length) {
    return [el("p", {class: "empty"}, `No match at ${answer.min_similarity}% or above. Lower the minimum similarity to see more.`)];
  }
  return [
    el("p", {class: "summary"}, `${plural(answer.matches.length, "match", "matches")}, best first`),
    el("ol", {class: "matches"}, answer.matches.map((match, index) => matchItem(match, query, index + 1))),
  ];
}

function setUpSuggest() {
  const form = $("#suggest-form"), results = $("#suggest-results"), problemBox = $("#suggest-problem");
  let pending = null, timer = null;

  async function lookUp({typed = false} = {}) {
    clearTimeout(timer);
    if (pending) pending.abort();  // a newer query makes the older answer useless
    const values = new FormData(form);
    const query = values.get("q");
    if (!query.trim()) {
      clearProblem(problemBox, form);
      results.replaceChildren(typed ? "" : el("p", {class: "empty"}, "Type the text to translate first."));
      return;
    }
    const [source_lang, target_lang] = languagesOf(form);
    const controller = pending = new AbortController();
    await busy(form, results, problemBox, async () => {
      const params = {q: query, source_lang, target_lang, memory: values.get("memory"),
        min_similarity: values.get("min_similarity"), limit: SUGGEST_LIMIT};
      try {
        results.replaceChildren(...suggestResults(await api("suggest", {params, signal: controller.signal})));
      } catch (error) {
        if (error.name !== "AbortError") results.replaceChildren();
        throw error;
      }
    }, controller.signal);
    if (pending === controller) pending = null;
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); lookUp(); });
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => lookUp({typed: true}), DEBOUNCE_MS);
  });
  form.elements.direction.addEventListener("change", () => { form.elements.q.lang = languagesOf(form)[0]; });
}

// -- concordance --------------------------------------------------------------------------------

const asSpans = (pairs) => pairs.map(([start, end]) => ({start, end}));
const hitMark = (text) => el("mark", {class: "hit"}, text);

function concordanceItem(item) {
  return el("li", {class: "hit-pair"},
    el("p", {lang: item.source_lang}, el("span", {class: "lang"}, item.source_lang), marked(item.source, asSpans(item.source_spans), hitMark)),
    el("p", {lang: item.target_lang}, el("span", {class: "lang"}, item.target_lang), marked(item.target, asSpans(item.target_spans), hitMark)));
}

function setUpConcordance() {
  const form = $("#concordance-form"), results = $("#concordance-results"), problemBox = $("#concordance-problem");

  async function search(page) {
    const values = new FormData(form);
    if (!values.get("q").trim()) {
      showProblem(problemBox, new Problem("Nothing to search for", "Type a word or phrase first."));
      return;
    }
    await busy(form, results, problemBox, async () => {
      const params = {q: values.get("q"), lang: values.get("lang"), memory: values.get("memory"), page};
      const answer = await api("concordance", {params});
      if (page === 1) {
        results.replaceChildren(
          el("p", {class: "summary"}, answer.total
            ? `${plural(answer.total, "unit")} ${answer.total === 1 ? "holds" : "hold"} “${answer.query}”`
            : `No unit holds “${answer.query}”.`),
          el("ol", {class: "hits"}));
      }
      $(".more", results)?.remove();
      $("ol.hits", results).append(...answer.items.map(concordanceItem));
      if (answer.has_more) {
        results.append(el("button", {type: "button", class: "more secondary", onclick: () => search(answer.page + 1)},
          "Show more"));
      }
    });
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); search(1); });
}

// -- review -------------------------------------------------------------------------------------

const score = (segment, name) => (segment[name] ? segment[name].score : null);

/** The review table's columns; `worst` is the order that puts the worst segments first. */
const REVIEW_COLUMNS = [
  {key: "position", label: "#", worst: "ascending", value: (segment) => segment.position},
  {key: "source", label: "Source"},
  {key: "draft", label: "Draft"},
  {key: "reference", label: "Reference"},
  {key: "match", label: "Match", worst: "ascending", value: (segment) => segment.match_similarity},
  {key: "bleu", label: "BLEU", worst: "ascending", value: (segment) => score(segment, "bleu")},
  {key: "chrf", label: "chrF", worst: "ascending", value: (segment) => score(segment, "chrf")},
  {key: "ter", label: "TER", worst: "descending", value: (segment) => score(segment, "ter")},
  {key: "flags", label: "Flags", worst: "descending", value: (segment) => segment.flags.length},
];

/** Order segments by a column; unknown values (no reference, so no score) go last either way. */
function sortSegments(segments, column, direction) {
  const sign = direction === "ascending" ? 1 : -1;
  const chrf = REVIEW_COLUMNS.find((c) => c.key === "chrf").value;
  const compare = (a, b, value, towards) => {
    const x = value(a), y = value(b);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * towards;
  };
  return [...segments].sort((a, b) =>
    compare(a, b, column.value, sign) || compare(a, b, chrf, 1) || a.position - b.position);
}

const formatScore = (value) => (value === null || value === undefined ? "—" : value.toFixed(1));

function flagList(flags) {
  if (!flags.length) return el("span", {class: "no-flag"}, "none");
  return el("ul", {class: "flags"}, flags.map((flag) =>
    el("li", {class: `flag flag-${flag.code}`, "data-code": flag.code},
      el("strong", {}, FLAG_LABELS[flag.code] || flag.code.replaceAll("_", " ")), `: ${flag.detail}`)));
}

function reviewCells(segment, sourceLang, targetLang) {
  const metric = (name) => el("td", {"data-label": name === "chrf" ? "chrF" : name.toUpperCase(), class: "number",
    title: segment[name] ? segment[name].signature : null}, formatScore(score(segment, name)));
  const similarity = segment.match_similarity === null || segment.match_similarity === undefined
    ? "—" : `${Math.floor(segment.match_similarity)}%`;
  const references = segment.references.length ? segment.references.join(" / ") : "—";
  return [
    el("td", {"data-label": "#", class: "number"}, String(segment.position),
      segment.pairing ? el("span", {class: "pairing"}, ` ${segment.pairing.link}`) : null),
    el("td", {"data-label": "Source", lang: sourceLang}, segment.source),
    el("td", {"data-label": "Draft", lang: targetLang}, segment.draft),
    el("td", {"data-label": "Reference", lang: targetLang}, references,
      segment.reference_origin === "given" ? el("span", {class: "origin"}, " (yours)") : null),
    el("td", {"data-label": "Match", class: "number"}, similarity),
    metric("bleu"), metric("chrf"), metric("ter"),
    el("td", {"data-label": "Flags"}, flagList(segment.flags)),
  ];
}

function corpusSummary(answer) {
  const summary = answer.summary || {};
  const parts = [
    `${plural(answer.segments.length, "segment")}`,
    `${summary.flagged ?? answer.segments.filter((s) => s.flags.length).length} flagged`,
    `${summary.with_reference ?? answer.segments.filter((s) => s.references.length).length} with a reference`,
  ];
  const scores = METRICS.filter((name) => answer.corpus && answer.corpus[name]).map((name) =>
    el("div", {class: "corpus-score"}, el("dt", {}, name === "chrf" ? "chrF" : name.toUpperCase()),
      el("dd", {title: answer.corpus[name].signature}, formatScore(answer.corpus[name].score))));
  const signatures = METRICS.filter((name) => answer.corpus && answer.corpus[name]).map((name) =>
    el("li", {}, el("code", {}, answer.corpus[name].signature)));
  return [
    el("p", {class: "summary"}, parts.join(", ")),
    scores.length ? el("dl", {class: "corpus", "aria-label": "Scores of the whole draft"}, scores) : null,
    signatures.length ? el("details", {class: "signatures"}, el("summary", {}, "sacreBLEU signatures"), el("ul", {}, signatures)) : null,
  ];
}

/** A table of segments whose header buttons sort it; worst first when first clicked. */
function reviewTable(answer, sourceLang, targetLang) {
  const segments = answer.segments.map((segment, index) => ({...segment, position: index + 1}));
  let column = REVIEW_COLUMNS.find((c) => c.key === "flags"), direction = column.worst;
  const caption = el("caption", {});
  const body = el("tbody", {});
  const headers = REVIEW_COLUMNS.map((c) => el("th", {scope: "col", "data-key": c.key},
    c.value ? el("button", {type: "button", class: "sort", onclick: () => sortBy(c)}, c.label, el("span", {class: "arrow", "aria-hidden": "true"})) : c.label));

  function render() {
    body.replaceChildren(...sortSegments(segments, column, direction).map((segment) =>
      el("tr", {class: segment.flags.length ? "flagged" : null}, reviewCells(segment, sourceLang, targetLang))));
    for (const th of headers) {
      if (th.dataset.key === column.key) th.setAttribute("aria-sort", direction);
      else th.removeAttribute("aria-sort");
    }
    const order = column.key === "position" ? (direction === "ascending" ? "in order" : "last first")
      : direction === column.worst ? "worst first" : "best first";
    caption.textContent = `Segments, by ${column.label === "#" ? "position" : column.label}, ${order}`;
  }

  function sortBy(chosen) {
    direction = chosen === column ? (direction === "ascending" ? "descending" : "ascending") : chosen.worst;
    column = chosen;
    render();
    announce(caption.textContent);
  }

  render();
  return el("div", {class: "table-wrap"},
    el("table", {class: "review-table cards"}, caption, el("thead", {}, el("tr", {}, headers)), body));
}

/** Pair the lines of source, draft and references; blank lines on both sides are skipped. */
function segmentsOf(values) {
  const lines = (name) => String(values.get(name) || "").replace(/\s+$/, "").split(/\r?\n/);
  const sources = lines("source"), drafts = lines("draft");
  const references = String(values.get("reference") || "").trim() ? lines("reference") : [];
  if (sources.length !== drafts.length) {
    throw new Problem("The source and the draft do not line up",
      `The source has ${plural(sources.length, "line")} and the draft ${drafts.length}. Put one segment a line on both sides, or choose “Whole documents”.`);
  }
  if (references.length && references.length !== sources.length) {
    throw new Problem("The references do not line up",
      `There are ${plural(references.length, "reference line")} for ${plural(sources.length, "segment")}; give one a line, or none.`);
  }
  return sources.map((source, index) => ({source, draft: drafts[index], reference: references[index] || undefined}))
    .filter((segment) => segment.source.trim() || segment.draft.trim());
}

function reviewRequest(form) {
  const values = new FormData(form);
  const [source_lang, target_lang] = languagesOf(form);
  const request = {source_lang, target_lang, metrics: METRICS};
  if (values.get("memory")) request.memory = values.get("memory");
  if (values.get("mode") === "documents") {
    return {...request, source_document: values.get("source"), draft_document: values.get("draft")};
  }
  const segments = segmentsOf(values);
  if (!segments.length) throw new Problem("Nothing to score", "Paste the source and the draft first.");
  return {...request, segments};
}

function setUpReview() {
  const form = $("#review-form"), results = $("#review-results"), problemBox = $("#review-problem");

  function showMode() {
    const mode = new FormData(form).get("mode");
    for (const label of $$("label[data-segments]", form)) label.textContent = label.dataset[mode];
    for (const field of $$("[data-only]", form)) field.hidden = field.dataset.only !== mode;
  }

  form.addEventListener("change", (event) => { if (event.target.name === "mode") showMode(); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, results, problemBox, async () => {
      results.replaceChildren();
      const request = reviewRequest(form);
      const answer = await api("score", {method: "POST", body: request});
      results.replaceChildren(...corpusSummary(answer), reviewTable(answer, request.source_lang, request.target_lang));
    });
  });
  showMode();
}

// -- align --------------------------------------------------------------------------------------

function pairRow(pair, position) {
  const percent = Math.round(pair.score * 100);
  const doubtful = pair.score < DOUBTFUL_SCORE;
  return el("tr", {class: doubtful ? "doubtful" : null},
    el("td", {"data-label": "Keep", class: "keep"}, el("label", {},
      el("input", {type: "checkbox", name: "keep", value: String(position), checked: !doubtful}),
      spoken(`Keep pair ${position + 1}`))),
    el("td", {"data-label": "French", lang: "fr"}, pair.source),
    el("td", {"data-label": "English", lang: "en"}, pair.target),
    el("td", {"data-label": "Confidence", class: "number"},
      el("meter", {min: 0, max: 1, low: DOUBTFUL_SCORE, high: 0.8, optimum: 1, value: pair.score, "aria-hidden": "true"}),
      ` ${percent}%`, doubtful ? el("span", {class: "doubt"}, " check") : null));
}

function pairsTable(pairs) {
  return el("div", {class: "table-wrap"},
    el("table", {class: "pairs-table cards"},
      el("caption", {}, `${plural(pairs.length, "sentence pair")}: untick the wrong ones. `,
        `Pairs under ${DOUBTFUL_SCORE * 100}% confidence start unticked; check them.`),
      el("thead", {}, el("tr", {}, ["Keep", "French", "English", "Confidence"].map((label) => el("th", {scope: "col"}, label)))),
      el("tbody", {}, pairs.map(pairRow))));
}

function setUpAlign() {
  const form = $("#align-form"), results = $("#align-results"), problemBox = $("#align-problem");
  const saveForm = $("#save-form"), saveProblem = $("#save-problem"), saveStatus = $("#save-status");
  const saveButton = $("button[type=submit]", saveForm);
  let pairs = [];

  const ticked = () => $$("input[name=keep]:checked", results).map((box) => pairs[Number(box.value)]);
  const countTicked = () => {
    saveButton.textContent = `Save ${plural(ticked().length, "ticked pair")}`;
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(form, results, problemBox, async () => {
      saveStatus.textContent = "";
      clearProblem(saveProblem, saveForm);
      const values = new FormData(form);
      // Every link comes back, however doubtful: the reviewer, not a threshold, decides what to keep.
      const body = {source: values.get("source"), target: values.get("target"), source_lang: "fr", target_lang: "en",
        min_score: 0};
      pairs = (await api("align", {method: "POST", body})).pairs;
      results.replaceChildren(pairs.length
        ? pairsTable(pairs) : el("p", {class: "empty"}, "The aligner found no sentence pair in these texts."));
      saveForm.hidden = !pairs.length;
      countTicked();
    });
  });
  results.addEventListener("change", countTicked);

  saveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    saveStatus.textContent = "";
    busy(saveForm, results, saveProblem, async () => {
      const values = new FormData(saveForm);
      const chosen = ticked();
      if (!chosen.length) throw new Problem("Nothing to save", "Tick at least one pair.");
      if (!values.get("memory")) throw new Problem("No memory chosen", "Choose the memory to save into.");
      if (!values.get("key").trim()) throw new Problem("A write key is needed", "Paste a write key for this memory.");
      const units = chosen.map((pair) => ({source_lang: "fr", target_lang: "en", source: pair.source, target: pair.target}));
      const memory = values.get("memory");
      await api(`memories/${encodeURIComponent(memory)}/units`, {method: "POST", body: {units}, key: values.get("key").trim()});
      saveStatus.textContent = `Saved ${plural(units.length, "pair")} into ${memory}.`;
      await loadMemories();
    });
  });
}

// -- views ------------------------------------------------------------------------------------

const VIEWS = ["suggest", "concordance", "review", "align"];

const currentView = () => $$(".view").find((section) => !section.hidden);

/** Show the view the address names; an address that names none (say #main) leaves the view as it is. */
function showView({focus}) {
  const named = location.hash.slice(1);
  if (!VIEWS.includes(named) && currentView() && focus) return;
  const name = VIEWS.includes(named) ? named : VIEWS[0];
  for (const section of $$(".view")) section.hidden = section.id !== name;
  for (const link of $$("nav a")) {
    if (link.hash === `#${name}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const heading = $(`#${name}-title`);
  document.title = `${heading.textContent} – Translation memory`;
  // Moving focus to the heading tells screen readers the view changed; Tab then reaches its form.
  if (focus) heading.focus();
}

/** The skip link goes to the open view's first field, without changing the address. */
function skipToForm(event) {
  event.preventDefault();
  $("input, select, textarea", currentView()).focus();
}

document.addEventListener("DOMContentLoaded", () => {
  setUpSuggest();
  setUpConcordance();
  setUpReview();
  setUpAlign();
  $(".skip-link").addEventListener("click", skipToForm);
  window.addEventListener("hashchange", () => showView({focus: true}));
  showView({focus: false});
  loadMemories();
});
