(function () {
  'use strict';
  var table = document.getElementById('findings-table');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById('filter');
  var priority = document.getElementById('priority');
  var category = document.getElementById('category');
  var shown = document.getElementById('shown');
  var empty = document.getElementById('empty');
  var sortKey = null;
  var ascending = true;

  function value(row, key) {
    var v = row.getAttribute('data-sort-' + key) || '';
    return /^[0-9]+$/.test(v) ? Number(v) : v;
  }

  function sortBy(key, asc) {
    sortKey = key;
    ascending = asc;
    var indexed = rows.map(function (row, i) { return { row: row, i: i }; });
    indexed.sort(function (a, b) {
      var x = value(a.row, key), y = value(b.row, key);
      var c = x < y ? -1 : x > y ? 1 : 0;
      if (c === 0) {
        return a.i - b.i;
      }
      return asc ? c : -c;
    });
    indexed.forEach(function (e) { body.appendChild(e.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var k = th.getAttribute('data-key');
      if (k) {
        th.setAttribute('aria-sort', k === key ? (asc ? 'ascending' : 'descending') : 'none');
      }
    });
    table.setAttribute('data-sorted', key + (asc ? '-asc' : '-desc'));
  }

  function apply() {
    var q = filter.value.trim().toLowerCase();
    var p = priority.value;
    var c = category.value;
    var n = 0;
    rows.forEach(function (row) {
      var ok = (!q || row.getAttribute('data-text').indexOf(q) >= 0)
        && (!p || row.getAttribute('data-priority') === p)
        && (!c || row.getAttribute('data-category') === c);
      if (ok) {
        row.removeAttribute('hidden');
        n++;
      } else {
        row.setAttribute('hidden', '');
      }
    });
    shown.textContent = String(n);
    if (n === 0) {
      empty.textContent = rows.length === 0 ? 'No findings.' : 'No findings match the filters.';
      empty.removeAttribute('hidden');
    } else {
      empty.setAttribute('hidden', '');
    }
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var key = th.getAttribute('data-key');
    if (!key) {
      return;
    }
    function activate() { sortBy(key, sortKey === key ? !ascending : true); }
    th.addEventListener('click', activate);
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        activate();
      }
    });
  });
  filter.addEventListener('input', apply);
  priority.addEventListener('change', apply);
  category.addEventListener('change', apply);

  // Initial filters from the address fragment: #q=text&priority=P1&category=http
  var hash = window.location.hash.replace(/^#/, '');
  hash.split('&').forEach(function (part) {
    var kv = part.split('=');
    var v = decodeURIComponent(kv[1] || '');
    if (kv[0] === 'q') { filter.value = v; }
    if (kv[0] === 'priority') { priority.value = v; }
    if (kv[0] === 'category') { category.value = v; }
  });
  sortBy('priority', true);
  apply();
  document.documentElement.setAttribute('data-ready', 'true');
})();
