// Search with filters on /zoeken/, over the Pagefind index etalage builds.
//
// Progressive enhancement: without this script the page offers the facet pages. The state
// lives in the URL (?q=werkgevers&provincie=Overijssel,Drenthe), so a result can be shared and
// bookmarked; opening such a URL searches at once. Filters are combined with AND across groups
// and OR within a group; each group's counts ignore the group's own choice, so they say how many
// results ticking that box would give. Every word shown comes from the page (i18n).
//
// What a search downloads is kept small: Pagefind runs on the page itself (no web worker, whose
// script would be a second copy of Pagefind's), and each filter group is folded away until it
// is opened or has a choice: only then is its filter index loaded (a search names it with
// `{none: []}`, which narrows nothing) and its counts follow the search. The counts in the page
// are those of the whole site, shown while nothing is searched.
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root) return;
  // The content's language when the interface speaks another: results' titles and summaries
  // are marked with it.
  var contentLang = root.dataset.contentLang ? ' lang="' + root.dataset.contentLang.replace(/[^a-zA-Z-]/g, "") + '"' : "";
  var strings = JSON.parse(document.getElementById("search-strings").textContent);
  var app = root.querySelector("[data-search-app]");
  var form = document.getElementById("zoekformulier");
  var input = document.getElementById("zoekterm");
  var status = root.querySelector("[data-search-status]");
  var list = root.querySelector("[data-search-results]");
  var more = root.querySelector("[data-search-more]");
  var groups = Array.prototype.slice.call(root.querySelectorAll("[data-filter]"));
  var PAGE = 20;

  var panel = root.querySelector("[data-filters-panel]");
  var chosenCount = root.querySelector("[data-filters-chosen]");

  root.querySelector("[data-search-fallback]").hidden = true;
  app.hidden = false;
  // On small screens the filters fold away so the results come first.
  if (window.matchMedia && window.matchMedia("(max-width: 52rem)").matches) panel.open = false;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) {
      return k in values ? values[k] : m;
    });
  }

  function boxes(group) {
    return Array.prototype.slice.call(group.querySelectorAll("input[type=checkbox]"));
  }

  // The chosen values per filter name.
  function chosen() {
    var out = {};
    groups.forEach(function (g) {
      var values = boxes(g).filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      if (values.length) out[g.dataset.filter] = values;
    });
    return out;
  }

  // The labels of the chosen values, without their counts.
  function chosenLabels() {
    var out = [];
    groups.forEach(function (g) {
      boxes(g).forEach(function (b) {
        if (b.checked) out.push(b.parentNode.querySelector("label").firstChild.textContent.trim());
      });
    });
    return out;
  }

  // A filter value as loosely compared: lower case, without accents, spaces as hyphens.
  function loose(v) {
    return v.normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim().toLowerCase().replace(/\s+/g, "-");
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    groups.forEach(function (g) {
      var wanted = [];
      params.getAll(g.dataset.filter).forEach(function (v) {
        v.split(",").forEach(function (x) { if (x.trim()) wanted.push(x.trim()); });
      });
      // A shared or typed link may write a value in other capitals, with spaces or accents, or
      // as its label (`provincie=noord-holland`, `thema=Werkgeversdienstverlening`).
      var keys = wanted.map(loose);
      boxes(g).forEach(function (b) {
        var label = b.parentNode.querySelector("label").firstChild.textContent;
        b.checked = keys.indexOf(loose(b.value)) >= 0 || keys.indexOf(loose(label)) >= 0;
      });
      if (wanted.length) g.open = true;
    });
  }

  function writeUrl(push) {
    var params = new URLSearchParams();
    var q = input.value.trim();
    if (q) params.set("q", q);
    var c = chosen();
    Object.keys(c).forEach(function (k) { params.set(k, c[k].join(",")); });
    var query = params.toString().replace(/%2C/g, ",");
    var url = location.pathname + (query ? "?" + query : "");
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  // The groups whose filter index a search has asked for (Pagefind keeps what it loaded).
  var requested = {};

  // Pagefind's filters for the choice `c`: the chosen values of each group (except `without`),
  // and `{none: []}` for every other group that is open or chosen, so that its index is loaded
  // and its counts come back without narrowing the results.
  function pagefindFilters(c, without) {
    var f = {};
    groups.forEach(function (g) {
      var k = g.dataset.filter;
      if (c[k] && k !== without) f[k] = { any: c[k] };
      else if (g.open || c[k]) f[k] = { none: [] };
    });
    return f;
  }

  function showChosen() {
    var n = chosenLabels().length;
    chosenCount.textContent = n ? "(" + fill(strings.chosen, { n: n }) + ")" : "";
    groups.forEach(function (g) {
      var k = boxes(g).filter(function (b) { return b.checked; }).length;
      g.querySelector("[data-group-chosen]").textContent = k ? "(" + fill(strings.chosen, { n: k }) + ")" : "";
    });
  }

  // Shows the counts of every group `counts` has (all of them when `name` is null, else that
  // one); groups whose index is not loaded keep what they show.
  function setCounts(name, counts) {
    groups.forEach(function (g) {
      var k = g.dataset.filter;
      if ((name && k !== name) || !counts[k]) return;
      var byValue = counts[k];
      boxes(g).forEach(function (b) {
        var n = byValue[b.value] || 0;
        b.parentNode.querySelector("[data-count]").textContent = n;
        b.parentNode.classList.toggle("is-empty", n === 0 && !b.checked);
      });
    });
  }

  // A group waiting for its index: its counts would be those of the whole site.
  function setBusy(g, busy) {
    if (busy) {
      g.setAttribute("aria-busy", "true");
      g.querySelectorAll("[data-count]").forEach(function (el) { el.textContent = "…"; });
    } else {
      g.removeAttribute("aria-busy");
    }
  }

  var pagefind = null;
  // The site-wide counts, as rendered into the page.
  var totals = {};
  groups.forEach(function (g) {
    var byValue = (totals[g.dataset.filter] = {});
    boxes(g).forEach(function (b) {
      byValue[b.value] = Number(b.parentNode.querySelector("[data-count]").textContent);
    });
  });
  var results = [];
  var shown = 0;
  var run = 0;

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  async function showMore() {
    var mine = run;
    var slice = results.slice(shown, shown + PAGE);
    var data = await Promise.all(slice.map(function (r) { return r.data(); }));
    if (mine !== run) return;
    data.forEach(function (d) {
      var li = document.createElement("li");
      li.className = "search-result";
      // The slug is the last segment of the practice's URL (/praktijken/<slug>/).
      var slug = (d.url || "").split("/").filter(Boolean).pop() || "";
      var title = (d.meta && d.meta.title) || d.url;
      var html = '<h3 class="search-result__title"><a href="' + escapeHtml(d.url) + '"' + contentLang + ">" + escapeHtml(title) + "</a></h3>";
      if (d.meta && d.meta.kicker) html += '<p class="search-result__meta">' + escapeHtml(d.meta.kicker) + "</p>";
      if (d.meta && d.meta.summary) html += '<p class="search-result__excerpt"' + contentLang + ">" + escapeHtml(d.meta.summary) + "</p>";
      if (slug) {
        var id = "vergelijk-" + slug;
        html += '<p class="compare-pick"><input type="checkbox" name="p" value="' + escapeHtml(slug) + '" id="' + escapeHtml(id) + '">' +
          ' <label for="' + escapeHtml(id) + '">' + escapeHtml(strings.compare) + ' <span class="visually-hidden"' + contentLang + ">" + escapeHtml(title) + "</span></label></p>";
      }
      li.innerHTML = html;
      list.appendChild(li);
    });
    shown += slice.length;
    more.hidden = shown >= results.length;
  }

  async function search() {
    var mine = ++run;
    showChosen();
    var q = input.value.trim();
    var c = chosen();
    var active = Object.keys(c);
    if (!q && !active.length) {
      results = [];
      shown = 0;
      list.innerHTML = "";
      more.hidden = true;
      groups.forEach(function (g) { setBusy(g, false); });
      setCounts(null, totals);
      status.textContent = fill(strings.start, { n: root.dataset.total || "" });
      return;
    }
    // Without words the results come in Pagefind's page order, which is the site's title order.
    var filters = pagefindFilters(c);
    Object.keys(filters).forEach(function (k) {
      if (!requested[k]) {
        requested[k] = true;
        groups.forEach(function (g) { if (g.dataset.filter === k) setBusy(g, true); });
      }
    });
    var main = await pagefind.search(q || null, { filters: filters });
    // Counts per chosen group without that group's own choice.
    var own = await Promise.all(active.map(function (k) {
      return pagefind.search(q || null, { filters: pagefindFilters(c, k) });
    }));
    if (mine !== run) return;
    groups.forEach(function (g) { setBusy(g, false); });
    setCounts(null, main.filters || {});
    active.forEach(function (k, i) {
      var counts = {};
      counts[k] = (own[i] && own[i].filters && own[i].filters[k]) || {};
      setCounts(k, counts);
    });
    results = main.results;
    shown = 0;
    list.innerHTML = "";
    var n = results.length;
    var text = n === 0 ? strings.none : (n === 1 ? strings.found_one : fill(strings.found_many, { n: n.toLocaleString(document.documentElement.lang) }));
    if (n > 0) {
      if (q) text += " " + fill(strings["for"], { q: q });
      if (active.length) text += " " + fill(strings.with_filters, { list: chosenLabels().join(", ") });
    }
    await showMore();
    if (mine !== run) return;
    status.textContent = text + (n > 0 ? "." : "");
  }

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { writeUrl(false); search().catch(failed); }, 250);
  }

  function failed(e) {
    status.textContent = strings.error;
    if (window.console) console.error(e);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    writeUrl(true);
    search().catch(failed);
  });
  input.addEventListener("input", later);
  groups.forEach(function (g) {
    g.addEventListener("change", function () {
      clearTimeout(timer);
      writeUrl(true);
      search().catch(failed);
    });
    // Opening a group whose index is not loaded yet loads it with the current search.
    g.addEventListener("toggle", function () {
      if (!g.open || requested[g.dataset.filter] || !pagefind) return;
      if (!input.value.trim() && !Object.keys(chosen()).length) return;
      clearTimeout(timer);
      search().catch(failed);
    });
  });
  root.querySelector("[data-search-clear]").addEventListener("click", function () {
    input.value = "";
    groups.forEach(function (g) { boxes(g).forEach(function (b) { b.checked = false; }); });
    writeUrl(true);
    search().catch(failed);
    input.focus();
  });
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore().then(function () {
      var next = list.children[first];
      var link = next && next.querySelector("a");
      if (link) link.focus();
    }).catch(failed);
  });
  window.addEventListener("popstate", function () {
    readUrl();
    search().catch(failed);
  });

  readUrl();
  showChosen();
  status.textContent = strings.loading;
  import(root.dataset.pagefind + "pagefind.js")
    .then(async function (pf) {
      await pf.options({ noWorker: true });
      await pf.init();
      pagefind = pf;
      await search();
    })
    .catch(failed);
})();
