// Search with filters on /zoeken/, over the Pagefind index etalage builds.
//
// Progressive enhancement: without this script the page offers the facet pages. The state
// lives in the URL (?q=werkgevers&provincie=Overijssel,Drenthe), so a result can be shared and
// bookmarked; opening such a URL searches at once. Filters are combined with AND across groups
// and OR within a group; each group's counts ignore the group's own choice, so they say how many
// results ticking that box would give. Every word shown comes from the page (i18n).
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root) return;
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

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    groups.forEach(function (g) {
      var wanted = [];
      params.getAll(g.dataset.filter).forEach(function (v) {
        v.split(",").forEach(function (x) { if (x.trim()) wanted.push(x.trim()); });
      });
      boxes(g).forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
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

  function pagefindFilters(c, without) {
    var f = {};
    Object.keys(c).forEach(function (k) {
      if (k !== without) f[k] = { any: c[k] };
    });
    return f;
  }

  function showChosen() {
    var n = chosenLabels().length;
    chosenCount.textContent = n ? "(" + fill(strings.chosen, { n: n }) + ")" : "";
  }

  function setCounts(name, counts) {
    groups.forEach(function (g) {
      if (name && g.dataset.filter !== name) return;
      var byValue = counts[g.dataset.filter] || {};
      boxes(g).forEach(function (b) {
        var n = byValue[b.value] || 0;
        b.parentNode.querySelector("[data-count]").textContent = n;
        b.parentNode.classList.toggle("is-empty", n === 0 && !b.checked);
      });
    });
  }

  var pagefind = null;
  var totals = {};
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
      var slug = (d.meta && d.meta.slug) || "";
      var title = (d.meta && d.meta.title) || d.url;
      var html = '<h3 class="search-result__title"><a href="' + escapeHtml(d.url) + '">' + escapeHtml(title) + "</a></h3>";
      if (d.meta && d.meta.kicker) html += '<p class="search-result__meta">' + escapeHtml(d.meta.kicker) + "</p>";
      if (d.meta && d.meta.summary) html += '<p class="search-result__excerpt">' + escapeHtml(d.meta.summary) + "</p>";
      if (slug) {
        var id = "vergelijk-" + slug;
        html += '<p class="compare-pick"><input type="checkbox" name="p" value="' + escapeHtml(slug) + '" id="' + escapeHtml(id) + '">' +
          ' <label for="' + escapeHtml(id) + '">' + escapeHtml(strings.compare) + ' <span class="visually-hidden">' + escapeHtml(title) + "</span></label></p>";
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
      setCounts(null, totals);
      status.textContent = fill(strings.start, { n: root.dataset.total || "" });
      return;
    }
    var options = { filters: pagefindFilters(c) };
    if (!q) options.sort = { titel: "asc" };
    var main = await pagefind.search(q || null, options);
    // Counts per chosen group without that group's own choice.
    var own = await Promise.all(active.map(function (k) {
      return pagefind.search(q || null, { filters: pagefindFilters(c, k) });
    }));
    if (mine !== run) return;
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
  status.textContent = strings.loading;
  import(root.dataset.pagefind + "pagefind.js")
    .then(async function (pf) {
      pagefind = pf;
      await pagefind.options({ excerptLength: 24 });
      await pagefind.init();
      // Loads every filter's index: search results count only the filters already loaded.
      totals = await pagefind.filters();
      await search();
    })
    .catch(failed);
})();
