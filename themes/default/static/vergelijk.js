// Compare 2 to 4 practices side by side on /vergelijk/?p=<slug>,<slug>[,...].
//
// Works from the URL alone: each practice's open-data record (/data/praktijken/<slug>.json)
// is fetched and laid out in one table, a column per practice. Results are aligned by kind:
// results with the same label share a row, the others are grouped by unit. A legal framework
// or period that differs is flagged in words, not by colour alone. Every word and label comes
// from the page's configuration (i18n); this script holds none. Content (titles, names, result
// labels) is marked with the content's language when the interface speaks another
// (cfg.content_lang), and a recognition valid until before the build's date (cfg.today) is
// shown as expired. Problems with the URL (unknown or repeated practices, too few or too many)
// are each a sentence of their own in the status region.
(function () {
  "use strict";
  var root = document.querySelector("[data-compare]");
  if (!root) return;
  var cfg = JSON.parse(document.getElementById("compare-config").textContent);
  var t = cfg.t;
  var status = root.querySelector("[data-compare-status]");
  var out = root.querySelector("[data-compare-output]");
  var actions = root.querySelector("[data-compare-actions]");
  var locale = cfg.lang === "nl" ? "nl-NL" : "en-GB";

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function label(map, key) { return (map && map[key]) || key; }
  // Escaped content text, in an element marking its language when the interface speaks another.
  function content(s) {
    return cfg.content_lang ? '<span lang="' + esc(cfg.content_lang) + '">' + esc(s) + "</span>" : esc(s);
  }
  // The last day a partial ISO date (1997, 2006-04, 2009-03-24) can stand for, as YYYY-MM-DD.
  function lastDay(d) {
    var parts = String(d).split("-").map(function (x) { return parseInt(x, 10); });
    var month = parts[1] || 12;
    var day = parts[2] || new Date(Date.UTC(parts[0], month, 0)).getUTCDate();
    return parts[0] + "-" + String(month).padStart(2, "0") + "-" + String(day).padStart(2, "0");
  }
  function expired(r) {
    return Boolean(cfg.today && r.valid_until && lastDay(r.valid_until) < cfg.today);
  }
  function validity(r) {
    if (!r.valid_until) return "";
    var until = esc(t.valid_until) + " " + esc(date(r.valid_until));
    return expired(r) ? ', <strong class="expired">' + esc(t.expired) + "</strong> (" + until + ")" : ", " + until;
  }
  function number(v, digits) {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits == null ? 2 : digits }).format(v);
  }
  function percent(v) {
    return number(v, Math.abs(v) < 10 && v % 1 !== 0 ? 1 : 0) + "%";
  }
  function amount(v, unit) {
    if (unit === "procent") return percent(v);
    if (unit === "euro") return "€ " + number(v);
    return number(v) + " " + label(cfg.unit, unit);
  }
  function date(d) {
    if (!d) return "";
    var parts = String(d).split("-");
    var month = parts[1] ? cfg.months[parseInt(parts[1], 10) - 1] : null;
    if (parts[2]) return parseInt(parts[2], 10) + " " + month + " " + parts[0];
    if (month) return month + " " + parts[0];
    return parts[0];
  }
  function period(p) {
    return p.period_end ? date(p.period_start) + " – " + date(p.period_end) : t.since + " " + date(p.period_start);
  }
  function years(p) {
    var start = parseInt(String(p.period_start), 10);
    var end = p.period_end ? parseInt(String(p.period_end), 10) : Infinity;
    return [start, end];
  }
  function list(items) {
    if (!items.length) return '<span class="muted">' + esc(t.none) + "</span>";
    if (items.length === 1) return items[0];
    return '<ul class="compare-list">' + items.map(function (i) { return "<li>" + i + "</li>"; }).join("") + "</ul>";
  }
  function sameSet(a, b) {
    return a.slice().sort().join("|") === b.slice().sort().join("|");
  }

  // The practices the URL asks for, each once, and those it names more than once.
  function slugsFromUrl() {
    var params = new URLSearchParams(location.search);
    var slugs = [];
    var repeated = [];
    params.getAll("p").forEach(function (v) {
      v.split(",").forEach(function (s) {
        s = s.trim().toLowerCase();
        if (!s) return;
        if (slugs.indexOf(s) < 0) slugs.push(s);
        else if (repeated.indexOf(s) < 0) repeated.push(s);
      });
    });
    return { slugs: slugs, repeated: repeated };
  }

  // Each message a paragraph of its own; the last one may end in a link.
  function showMessages(messages, link) {
    status.innerHTML = messages.map(function (m, i) {
      var more = link && i === messages.length - 1 ? " " + link : "";
      return "<p>" + esc(m) + more + "</p>";
    }).join("");
    status.classList.toggle("compare-status--problem", messages.length > 0);
  }

  // Where a result of practice `p` comes from: its source's title (linked when the source has
  // a web address) and publisher, or that none is given; then its note, if any.
  function provenance(r, p) {
    var s = r.source && p.sources.filter(function (x) { return x.id === r.source; })[0];
    var title = s ? content(s.title) + (s.publisher ? " (" + content(s.publisher) + ")" : "") : "";
    var said = s
      ? esc(t.source) + ": " + (s.url ? '<a href="' + esc(s.url) + '">' + title + "</a>" : title)
      : esc(t.no_source);
    return '<span class="compare-result__source">' + said + "</span>" +
      (r.note ? '<span class="compare-result__source">' + esc(t.note) + ": " + content(r.note) + "</span>" : "");
  }

  function result(r, withLabel, p) {
    var text = (withLabel ? content(r.label) + ": " : "") + "<strong>" + esc(amount(r.value, r.unit)) + "</strong>";
    if (r.base != null) {
      // A base that is another result is said with its unit, as on the practice page: a rate
      // across units (trajecten of personen) shows as such.
      var of = typeof r.of === "string" && p.results.filter(function (x) { return x.id === r.of; })[0];
      text += " " + esc(t.of) + " " + esc(of ? amount(r.base, of.unit) : number(r.base));
      if (r.base_label) text += " (" + esc(r.base_label.toLowerCase()) + ")";
    }
    if (r.computed_rate != null) text += ' = <span class="computed-value">' + esc(percent(r.computed_rate)) + '</span> <span class="computed">' + esc(t.computed) + "</span>";
    if (r.computed_count != null) text += ' ≈ <span class="computed-value">' + esc(number(Math.round(r.computed_count))) + '</span> <span class="computed">' + esc(t.computed) + "</span>";
    var meta = [esc(t.method) + ": " + esc(label(cfg.method, r.method))];
    if (r.as_of) meta.push(esc(t.as_of) + " " + esc(date(r.as_of)));
    return text + '<span class="compare-result__meta">' + meta.join(" · ") + "</span>" + provenance(r, p);
  }

  // Rows of results: a shared label gets its own row; the rest are grouped by unit.
  function resultRows(practices) {
    var norm = function (s) { return s.trim().toLowerCase(); };
    var seen = {};
    practices.forEach(function (p, i) {
      p.results.forEach(function (r) {
        var k = norm(r.label);
        seen[k] = seen[k] || {};
        seen[k][i] = true;
      });
    });
    var rows = [];
    var byKey = {};
    practices.forEach(function (p, i) {
      p.results.forEach(function (r) {
        var shared = Object.keys(seen[norm(r.label)]).length > 1;
        var key = shared ? "label:" + norm(r.label) : "unit:" + r.unit;
        if (!byKey[key]) {
          byKey[key] = { head: shared ? r.label : t.results + " (" + label(cfg.unit, r.unit) + ")", shared: shared, cells: practices.map(function () { return []; }) };
          rows.push(byKey[key]);
        }
        byKey[key].cells[i].push(result(r, !shared, p));
      });
    });
    rows.sort(function (a, b) { return (b.shared ? 1 : 0) - (a.shared ? 1 : 0); });
    return rows;
  }

  function render(practices) {
    var legalDiffers = practices.some(function (p) {
      return p.legal_framework.length && practices.some(function (q) {
        return q.legal_framework.length && !sameSet(p.legal_framework, q.legal_framework);
      });
    });
    // A framework known for some practices and not for others may differ: said apart from
    // a known difference, since which it is cannot be told.
    var legalUnknown = !legalDiffers && practices.some(function (p) { return p.legal_framework.length; }) &&
      practices.some(function (p) { return !p.legal_framework.length; });
    var spans = practices.map(years);
    var periodDiffers = spans.some(function (a) {
      return spans.some(function (b) { return a[0] > b[1] || b[0] > a[1]; });
    });
    var flagged = function (text) { return '<strong class="flag"><span aria-hidden="true">⚠ </span>' + esc(text) + "</strong>"; };
    var flag = flagged(t.differs);
    // `differs`: true for a known difference, or the flag to show.
    var row = function (head, cells, differs, headIsContent) {
      var mark = differs === true ? flag : differs || "";
      return "<tr" + (differs ? ' class="is-different"' : "") + '><th scope="row">' + (headIsContent ? content(head) : esc(head)) + (mark ? " " + mark : "") + "</th>" +
        cells.map(function (c) { return "<td>" + c + "</td>"; }).join("") + "</tr>";
    };
    var col = function (f) { return practices.map(f); };
    var notes = [];
    if (legalDiffers) notes.push([flag, t.legal_differs]);
    if (legalUnknown) notes.push([flagged(t.not_everywhere), t.legal_unknown]);
    if (periodDiffers) notes.push([flag, t.period_differs]);
    var html = "";
    if (notes.length) {
      html += '<ul class="compare-notes">' + notes.map(function (n) { return "<li>" + n[0] + " " + esc(n[1]) + "</li>"; }).join("") + "</ul>";
    }
    var others = function (slug) {
      return practices.filter(function (p) { return p.slug !== slug; }).map(function (p) { return p.slug; }).join(",");
    };
    html += '<div class="table-scroll" tabindex="0" role="region" aria-labelledby="compare-caption">';
    html += '<table class="table compare-table compare-table--' + practices.length + '"><caption id="compare-caption">' + esc(fill(t.caption, { n: practices.length })) + "</caption>";
    html += '<thead><tr><td class="compare-table__corner"></td>' + practices.map(function (p) {
      var remove = practices.length > 2 ? '<a class="compare-remove" href="?p=' + esc(others(p.slug)) + '">' + esc(t.remove) + ' <span class="visually-hidden">' + content(p.title) + "</span></a>" : "";
      return '<th scope="col"><a href="' + esc(cfg.practice + p.slug + "/") + '">' + content(p.title) + "</a>" + remove + "</th>";
    }).join("") + "</tr></thead><tbody>";
    html += row(t.place, col(function (p) { return esc(p.municipalities.join(", ")); }));
    html += row(t.province, col(function (p) { return esc((p.provinces || [p.province]).join(", ")); }));
    html += row(t.period, col(function (p) { return esc(period(p)); }), periodDiffers);
    html += row(t.status, col(function (p) { return esc(label(cfg.status, p.status)); }));
    html += row(t.legal, col(function (p) {
      return list(p.legal_framework.map(function (k) { return esc(label(cfg.legal, k)); }));
    }), legalDiffers || (legalUnknown && flagged(t.not_everywhere)));
    html += row(t.partners, col(function (p) {
      return list(p.partners.map(function (x) { return content(x.name) + (x.role ? ' <span class="role">' + esc(label(cfg.role, x.role)) + "</span>" : ""); }));
    }));
    html += row(t.target_groups, col(function (p) { return list(p.target_groups.map(function (k) { return esc(label(cfg.target_groups, k)); })); }));
    html += row(t.themes, col(function (p) { return list(p.themes.map(function (k) { return esc(label(cfg.themes, k)); })); }));
    html += row(t.instruments, col(function (p) { return list(p.instruments.map(function (k) { return esc(label(cfg.instruments, k)); })); }));
    var rows = resultRows(practices);
    if (!rows.length) html += row(t.results, col(function () { return list([]); }));
    rows.forEach(function (r) { html += row(r.head, r.cells.map(list), false, r.shared); });
    html += row(t.awards, col(function (p) {
      return list(p.awards.map(function (a) {
        return esc(label(cfg.rank, a.rank)) + " – " + content(a.award_title) + " " + esc(a.edition) + " (" + esc(label(cfg.prize_type, a.prize_type)) + ")";
      }));
    }));
    html += row(t.recognitions, col(function (p) {
      return list(p.recognitions.map(function (r) {
        if (r.national) return esc(label(cfg.recognition_level, r.level)) + " (" + esc(t.national) + "), " + esc(date(r.date)) + validity(r);
        return content(r.level + " – " + r.scheme) + ", " + esc(t.by) + " " + content(r.body) + ", " + esc(date(r.date)) + validity(r);
      }));
    }));
    html += "</tbody></table></div>";
    out.innerHTML = html;
    actions.hidden = false;
  }

  root.querySelector("[data-compare-print]").addEventListener("click", function () { window.print(); });

  var asked = slugsFromUrl();
  var slugs = asked.slugs;
  var messages = asked.repeated.map(function (slug) { return fill(t.repeated, { slug: slug }); });
  if (slugs.length > cfg.max) {
    messages.push(t.too_many);
    slugs = slugs.slice(0, cfg.max);
  }
  if (slugs.length < cfg.min) {
    messages.push(t.too_few);
    showMessages(messages, '<a href="' + esc(cfg.practice) + '">' + esc(t.to_list || "") + "</a>");
    return;
  }
  status.textContent = t.loading;
  Promise.all(slugs.map(function (slug) {
    if (!/^[a-z0-9-]+$/.test(slug)) return Promise.resolve({ slug: slug, missing: true });
    return fetch(cfg.data + slug + ".json").then(function (r) {
      if (r.status === 404) return { slug: slug, missing: true };
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  })).then(function (records) {
    var found = records.filter(function (r) { return !r.missing; });
    records.filter(function (r) { return r.missing; }).forEach(function (r) {
      messages.push(fill(t.unknown, { slug: r.slug }));
    });
    if (found.length < cfg.min) messages.push(t.too_few);
    showMessages(messages, found.length < cfg.min ? '<a href="' + esc(cfg.practice) + '">' + esc(t.to_list || "") + "</a>" : "");
    if (found.length >= cfg.min) render(found);
  }).catch(function (e) {
    status.textContent = t.error;
    if (window.console) console.error(e);
  });
})();
